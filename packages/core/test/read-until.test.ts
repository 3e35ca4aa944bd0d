import { describe, expect, it } from 'vitest';
import { UnsatisfiableReadError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, state } from './helpers/scripted-transport.js';

describe('readUntil', () => {
  it('resolves with everything up to and including the first delimiter', async () => {
    const { stream, t } = open();
    t.push('one\ntwo\n');
    expect(await stream.readUntil('\n')).toEqual(bytes('one\n'));
    expect(await stream.readUntil(new Uint8Array([0x0a]))).toEqual(bytes('two\n'));
  });

  it('waits for a delimiter that arrives later, and keeps the bytes after it', async () => {
    const { stream, t } = open();
    const p = stream.readUntil('\r\n');
    t.push('GET / HTTP/1.1\r');
    expect(await state(p)).toBe('pending');
    t.push('\nHost');
    expect(await p).toEqual(bytes('GET / HTTP/1.1\r\n'));
    expect(stream.readableLength).toBe(4);
  });

  it('finds a multi-byte delimiter split across large chunks (separate segments)', async () => {
    const { stream, t } = open();
    const a = Buffer.alloc(2000, 0x61);
    const b = Buffer.alloc(3000, 0x62);
    const delim = bytes('<END>');
    for (let cut = 1; cut < delim.length; cut++) {
      const p = stream.readUntil(delim);
      t.push(Buffer.concat([a, delim.subarray(0, cut)]));
      t.push(Buffer.concat([delim.subarray(cut), b.subarray(0, 1500)]));
      t.push(Buffer.concat([b.subarray(0, 1200), delim]));
      expect(await p).toEqual(Buffer.concat([a, delim]));
      const rest = await stream.readUntil(delim);
      expect(rest).toEqual(Buffer.concat([b.subarray(0, 1500), b.subarray(0, 1200), delim]));
    }
  });

  it('does not match a delimiter prefix at the end of one chunk followed by a mismatch', async () => {
    const { stream, t } = open();
    const p = stream.readUntil('abc');
    t.push(Buffer.concat([Buffer.alloc(1500, 0x78), bytes('ab')]));
    t.push(Buffer.concat([bytes('x'), Buffer.alloc(1500, 0x79)]));
    t.push(bytes('aabc'));
    expect(await p).toHaveLength(1500 + 2 + 1 + 1500 + 4);
  });

  it('encodes string delimiters as UTF-8', async () => {
    const { stream, t } = open();
    t.push(Buffer.from('prix: 5€ fin', 'utf8'));
    expect((await stream.readUntil('€')).toString('utf8')).toBe('prix: 5€');
  });

  // readUntil/tryReadUntil first look in the head chunk alone and take the bytes in one call
  // (ReadBuffer.takeUntilInHead); anything else goes on from where that look stopped.
  it('gives the same bytes wherever the delimiter lies against the head chunk (the hot path)', async () => {
    const { stream, t } = open();
    // Empty buffer: nothing to take, then a read that waits.
    expect(stream.tryReadUntil('\r\n')).toBeNull();
    const waiting = stream.readUntil('\r\n');
    t.push('a\rb\r\nrest');
    // The first candidate ('\r' then 'b') fails; the match is behind it.
    expect(await waiting).toEqual(bytes('a\rb\r\n'));
    expect(stream.readableLength).toBe(4);
    expect(stream.tryReadBytes(4)).toEqual(bytes('rest'));
    // Straddling two large chunks (two segments): the head chunk ends inside the delimiter.
    const big = Buffer.alloc(2000, 0x61);
    t.push(Buffer.concat([big, bytes('\r')]), Buffer.concat([bytes('\n'), big, bytes('\r\n')]));
    expect(stream.tryReadUntil('\r\n')).toEqual(Buffer.concat([big, bytes('\r\n')]));
    // A delimiter that ends the head chunk exactly leaves nothing of it.
    expect(await stream.readUntil('\r\n')).toEqual(Buffer.concat([big, bytes('\r\n')]));
    expect(stream.readableLength).toBe(0);
    // Small chunks behind others share an accumulator, whose memory runs on past its bytes.
    t.push(Buffer.concat([big, bytes('\n')]), 'x', 'yz\n', 'tail');
    expect(await stream.readUntil('\n')).toEqual(Buffer.concat([big, bytes('\n')]));
    expect(stream.tryReadUntil('\n')).toEqual(bytes('xyz\n'));
    expect(stream.tryReadUntil('\n')).toBeNull();
    expect(stream.readableLength).toBe(4);
  });

  it('takes a line ending exactly at maxBytes from the head chunk, and nothing one byte short', async () => {
    const { stream, t } = open();
    const line = Buffer.concat([Buffer.alloc(100, 0x61), bytes('\r\n')]);
    t.push(Buffer.concat([line, line, Buffer.alloc(1000, 0x62)]));
    // A native search must not run on past maxBytes to the delimiter behind it.
    expect(stream.tryReadUntil('\r\n', { maxBytes: 50 })).toBeNull();
    expect(stream.tryReadUntil('\r\n', { maxBytes: 101 })).toBeNull();
    expect(stream.readableLength).toBe(1204);
    expect(stream.tryReadUntil('\r\n', { maxBytes: 102 })).toEqual(line);
    expect(await stream.readUntil('\r\n', { maxBytes: 102 })).toEqual(line);
    const p = stream.readUntil('\r\n', { maxBytes: 999 });
    const error = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expectIOError(error, UnsatisfiableReadError, 'ERR_UNSATISFIABLE_READ');
    expect(stream.closed()).toBe(true);
  });
});
