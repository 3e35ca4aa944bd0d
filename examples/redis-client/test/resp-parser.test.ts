// The RESP2 reader and encoder without a server: every reply type, one byte at a time
// and in random chunks, over the in-memory pair from @iostream/testkit.
import { StreamClosedError, UnsatisfiableReadError } from '@iostream/core';
import { createStreamPair } from '@iostream/testkit';
import { describe, expect, it } from 'vitest';
import { encodeCommand, ProtocolError, RedisError, readReply } from '../src/index.js';

const chunkings = [1, 3, { seed: 7, min: 1, max: 40 }, 'whole'] as const;

describe.each(chunkings)('readReply with chunking %j', (chunking) => {
  it('reads every RESP2 type', async () => {
    const { a, b } = createStreamPair({ chunking, delivery: 'microtask' });
    const binary = Buffer.from([0, 13, 10, 255, 36, 42]);
    void a.write([
      '+OK\r\n',
      '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
      ':-42\r\n',
      ':9007199254740993\r\n',
      `$${binary.length}\r\n`,
      binary,
      '\r\n',
      '$0\r\n\r\n',
      '$-1\r\n',
      '*-1\r\n',
      '*0\r\n',
      '*3\r\n:1\r\n*2\r\n+a\r\n$-1\r\n-ERR inner\r\n',
    ]);
    expect(await readReply(b)).toBe('OK');
    const error = await readReply(b);
    expect(error).toBeInstanceOf(RedisError);
    expect((error as RedisError).code).toBe('WRONGTYPE');
    expect(await readReply(b)).toBe(-42);
    expect(await readReply(b)).toBe(9007199254740993n);
    expect(await readReply(b)).toEqual(binary);
    expect(await readReply(b)).toEqual(Buffer.alloc(0));
    expect(await readReply(b)).toBe(null);
    expect(await readReply(b)).toBe(null);
    expect(await readReply(b)).toEqual([]);
    const nested = (await readReply(b)) as unknown[];
    expect(nested.slice(0, 2)).toEqual([1, ['a', null]]);
    expect((nested[2] as RedisError).message).toBe('ERR inner');
    a.close();
    b.close();
  });
});

describe('limits and malformed input', () => {
  it('a type line longer than maxLineBytes fails with UnsatisfiableReadError and closes the stream', async () => {
    const { a, b } = createStreamPair();
    void a.write(`+${'x'.repeat(1000)}\r\n`);
    await expect(readReply(b, { maxLineBytes: 100 })).rejects.toBeInstanceOf(UnsatisfiableReadError);
    expect(b.closed()).toBe(true);
    a.close();
  });

  it('an oversized bulk length or an unknown type byte is a ProtocolError that closes the stream', async () => {
    for (const input of ['$2000\r\n', '!oops\r\n', '$abc\r\n', '$3\r\nabcXY']) {
      const { a, b } = createStreamPair();
      void a.write(input);
      await expect(readReply(b, { maxBulkBytes: 1000 })).rejects.toBeInstanceOf(ProtocolError);
      expect(b.closed()).toBe(true);
      a.close();
    }
  });

  it('a connection that ends mid-reply rejects with StreamClosedError', async () => {
    const { a, b } = createStreamPair();
    void a.write('$10\r\nabc');
    await a.end();
    await expect(readReply(b)).rejects.toBeInstanceOf(StreamClosedError);
  });
});

it('encodeCommand writes arrays of bulk strings, binary-safe', () => {
  const bytes = Buffer.concat(encodeCommand(['SET', Buffer.from([0, 13, 10]), 42]));
  expect(bytes.toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$3\r\n\x00\r\n\r\n$2\r\n42\r\n');
});
