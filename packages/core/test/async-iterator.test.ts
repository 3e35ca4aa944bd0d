import { describe, expect, it } from 'vitest';
import { StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, tick } from './helpers/scripted-transport.js';

describe('for await (const chunk of stream)', () => {
  it('yields every byte, buffered first, in chunks of at most readChunkSize, until a clean close', async () => {
    const { stream, t } = open({ readChunkSize: 4 });
    t.push('0123456789');
    const chunks: Buffer[] = [];
    const done = (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })();
    await tick();
    t.push('abc', 'defgh');
    await tick();
    t.pushEof();
    await done;
    expect(Buffer.concat(chunks)).toEqual(bytes('0123456789abcdefgh'));
    for (const c of chunks) {
      expect(c.length).toBeGreaterThan(0);
      expect(c.length).toBeLessThanOrEqual(4);
    }
  });

  it('throws StreamClosedError when the stream closed with an error', async () => {
    const { stream, t } = open();
    const boom = new Error('reset');
    const seen: string[] = [];
    const done = (async () => {
      for await (const chunk of stream) seen.push(chunk.toString('latin1'));
    })();
    t.push('abc');
    await tick();
    t.fail(boom);
    let error: unknown;
    await done.catch((e: unknown) => {
      error = e;
    });
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((error as StreamClosedError).realError).toBe(boom);
    expect(seen).toEqual(['abc']);
  });

  it('breaking out of the loop leaves unread bytes buffered', async () => {
    const { stream, t } = open({ readChunkSize: 3 });
    t.push('abcdef');
    for await (const chunk of stream) {
      expect(chunk).toEqual(bytes('abc'));
      break;
    }
    expect(stream.closed()).toBe(false);
    expect(await stream.readBytes(3)).toEqual(bytes('def'));
  });
});

describe('Symbol.asyncDispose', () => {
  it('closes the stream at the end of the scope', async () => {
    const { stream, t } = open();
    {
      await using s = stream;
      expect(s.closed()).toBe(false);
    }
    expect(stream.closed()).toBe(true);
    expect(t.closeFdCalls).toBe(1);
  });
});
