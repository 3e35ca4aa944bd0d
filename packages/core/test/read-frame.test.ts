// readFrame / tryReadFrame over the scripted transport: every layout of the length
// field, what the result holds, and every way a frame can fail.
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AlreadyReadingError,
  type FrameFormat,
  type IOStream,
  StreamBufferFullError,
  StreamClosedError,
  UnsatisfiableReadError,
} from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection, state } from './helpers/scripted-transport.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Fails unless, when the rejection is observed, the stream is closed with that error set. */
async function expectClosedWith(
  stream: IOStream,
  p: Promise<unknown>,
  klass: typeof UnsatisfiableReadError | typeof StreamBufferFullError,
) {
  let seen: { error: unknown; closed: boolean; streamError: unknown } | null = null;
  await p.then(
    () => {},
    (error: unknown) => {
      seen = { error, closed: stream.closed(), streamError: stream.error };
    },
  );
  expect(seen).not.toBe(null);
  const { error, closed, streamError } = seen as unknown as { error: unknown; closed: boolean; streamError: unknown };
  expectIOError(error, klass, klass.expectedCode);
  expect(closed).toBe(true);
  expect(streamError).toBe(error);
}

describe('readFrame: length field layouts', () => {
  const cases: [string, FrameFormat, string][] = [
    ['u8', { lengthBytes: 1 }, '03 616263'],
    ['u16 big endian', { lengthBytes: 2 }, '0003 616263'],
    ['u16 little endian', { lengthBytes: 2, littleEndian: true }, '0300 616263'],
    ['u32 big endian', { lengthBytes: 4 }, '00000003 616263'],
    ['u32 little endian', { lengthBytes: 4, littleEndian: true }, '03000000 616263'],
    ['u64 big endian', { lengthBytes: 8 }, '0000000000000003 616263'],
    ['u64 little endian', { lengthBytes: 8, littleEndian: true }, '0300000000000000 616263'],
    ['varint, one byte', { lengthBytes: 'varint' }, '03 616263'],
    ['varint, padded to three bytes', { lengthBytes: 'varint' }, '83 80 00 616263'],
    ['u16 after a 2-byte tag', { lengthBytes: 2, lengthOffset: 2 }, 'abcd 0003 616263'],
    ['u32 counting itself', { lengthBytes: 4, lengthAdjust: -4 }, '00000007 616263'],
    ['u8 counting the whole frame (offset 1)', { lengthBytes: 1, lengthOffset: 1, lengthAdjust: -2 }, '7f 05 616263'],
    ['u16 with 2 trailing bytes not counted', { lengthBytes: 2, lengthAdjust: 2 }, '0001 616263'],
  ];

  it.each(cases)('%s', async (_name, format, wire) => {
    const { stream, t } = open();
    t.push(hex(wire), 'rest');
    expect((await stream.readFrame(format)).toString()).toBe('abc');
    expect(stream.readableLength).toBe(4);
  });

  it.each(cases)('%s, includeHeader: the whole frame', async (_name, format, wire) => {
    const { stream, t } = open();
    t.push(hex(wire), 'rest');
    expect(await stream.readFrame({ ...format, includeHeader: true })).toEqual(hex(wire));
  });

  it('reads every byte of large fixed-size lengths in the right order', async () => {
    const { stream, t } = open();
    const body = Buffer.alloc(0x010203, 7);
    t.push(hex('00010203'), body, hex('03020100'), body, hex('00 00 00 00 00 01 02 03'), body);
    expect((await stream.readFrame({ lengthBytes: 4 })).length).toBe(0x010203);
    expect((await stream.readFrame({ lengthBytes: 4, littleEndian: true })).length).toBe(0x010203);
    expect((await stream.readFrame({ lengthBytes: 8 })).length).toBe(0x010203);
  });

  it('decodes a multi-byte varint (300 = ac 02)', async () => {
    const { stream, t } = open();
    const body = Buffer.alloc(300, 1);
    t.push(hex('ac02'), body);
    expect(await stream.readFrame({ lengthBytes: 'varint' })).toEqual(body);
  });

  it('reads an empty payload', async () => {
    const { stream, t } = open();
    t.push(hex('0000 0000'));
    expect((await stream.readFrame({ lengthBytes: 2 })).length).toBe(0);
    expect(stream.tryReadFrame({ lengthBytes: 2 })?.length).toBe(0);
  });

  it('reads PostgreSQL backend messages (type byte, int32 length counting itself)', async () => {
    const PG: FrameFormat = { lengthOffset: 1, lengthBytes: 4, lengthAdjust: -4, includeHeader: true };
    const { stream, t } = open();
    const auth = hex('52 00000008 00000000'); // 'R' AuthenticationOk
    const ready = hex('5a 00000005 49'); // 'Z' ReadyForQuery, idle
    // Split everywhere awkward: inside the type byte's header and inside the length.
    const wire = Buffer.concat([auth, ready]);
    const p = stream.readFrame(PG);
    t.push(wire.subarray(0, 1), wire.subarray(1, 3));
    expect(await state(p)).toBe('pending');
    t.push(wire.subarray(3, 11));
    expect(await p).toEqual(auth);
    const q = stream.readFrame(PG);
    t.push(wire.subarray(11, 14));
    expect(await state(q)).toBe('pending');
    t.push(wire.subarray(14));
    expect(await q).toEqual(ready);
  });
});

describe('readFrame: results', () => {
  it('is a view of the received chunk where the frame lies in one', async () => {
    const { stream, t } = open();
    const chunk = Buffer.alloc(8192, 0x61);
    chunk.writeUInt32BE(5000, 0);
    chunk.writeUInt32BE(8192 - 5008, 5004);
    t.push(chunk);
    const a = await stream.readFrame({ lengthBytes: 4 });
    const b = stream.tryReadFrame({ lengthBytes: 4 }) as Buffer;
    // Both results are views of the one received chunk: same memory, 4 + 5000 + 4 bytes apart
    // (offsets relative, as the fake transport's copy may come from Buffer's pool, which
    // Node 24 made 64 KiB).
    expect(a.buffer).toBe(b.buffer);
    expect([b.byteOffset - a.byteOffset, a.length, b.length]).toEqual([5004, 5000, 8192 - 5008]);
  });

  it('assembles a frame that straddles chunks into one Buffer', async () => {
    const { stream, t } = open();
    const p = stream.readFrame({ lengthBytes: 2 });
    for (const c of ['\x00', '\x05h', 'el', 'l', 'o!']) t.push(c);
    expect((await p).toString()).toBe('hello');
    expect(stream.tryReadBytes(1)?.toString()).toBe('!');
  });

  it('leaves the bytes after the frame buffered, for any read mode', async () => {
    const { stream, t } = open();
    t.push(hex('0002 6869'), 'line\n');
    expect((await stream.readFrame({ lengthBytes: 2 })).toString()).toBe('hi');
    expect((await stream.readUntil('\n')).toString()).toBe('line\n');
  });
});

describe('readFrame: limits and malformed lengths', () => {
  it('maxBytes counts the header: a frame of exactly maxBytes is read, one byte more fails', async () => {
    const a = open();
    a.t.push(hex('0003 616263'));
    expect((await a.stream.readFrame({ lengthBytes: 2 }, { maxBytes: 5 })).toString()).toBe('abc');
    const b = open();
    b.t.push(hex('0004'));
    await expectClosedWith(b.stream, b.stream.readFrame({ lengthBytes: 2 }, { maxBytes: 5 }), UnsatisfiableReadError);
  });

  it('a 4 GiB length fails once the header is buffered, allocating nothing for it', async () => {
    const { stream, t } = open();
    const before = process.memoryUsage().arrayBuffers;
    const p = stream.readFrame({ lengthBytes: 4 }, { maxBytes: 1024 });
    t.push(hex('ff'));
    expect(await state(p)).toBe('pending');
    t.push(hex('ffffff 00')); // no payload needed to fail
    await expectClosedWith(stream, p, UnsatisfiableReadError);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(t.closeFdCalls).toBe(1);
  });

  it('the default maxBytes is maxBufferSize', async () => {
    const { stream, t } = open({ maxBufferSize: 100 });
    t.push(hex('0062'), Buffer.alloc(98)); // 100 bytes in all: fits
    expect((await stream.readFrame({ lengthBytes: 2 })).length).toBe(98);
    t.push(hex('0063'));
    await expectClosedWith(stream, stream.readFrame({ lengthBytes: 2 }), UnsatisfiableReadError);
  });

  it('a maxBytes above maxBufferSize fails an over-large frame with StreamBufferFullError at its header', async () => {
    const { stream, t } = open({ maxBufferSize: 1024 });
    const p = stream.readFrame({ lengthBytes: 8 }, { maxBytes: 2 ** 40 });
    t.push(hex('0000 0001 0000 0000'));
    await expectClosedWith(stream, p, StreamBufferFullError);
  });

  it('a u64 length past Number.MAX_SAFE_INTEGER fails, however large maxBytes is', async () => {
    const { stream, t } = open();
    t.push(hex('ffff ffff ffff ffff'));
    const p = stream.readFrame({ lengthBytes: 8, lengthAdjust: -(2 ** 52) }, { maxBytes: Number.MAX_SAFE_INTEGER });
    await expectClosedWith(stream, p, UnsatisfiableReadError);
  });

  it('a header inside a chunk with bytes to spare (the hot path) fails, waits and reads as anywhere else', async () => {
    const spare = Buffer.alloc(256, 0xee);
    // Past Number.MAX_SAFE_INTEGER: tryReadFrame leaves it, readFrame (no options) fails.
    const a = open();
    a.t.push(Buffer.concat([hex('ffff ffff ffff ffff'), spare]));
    expect(a.stream.tryReadFrame({ lengthBytes: 8 })).toBeNull();
    expect(a.stream.readableLength).toBe(264);
    await expectClosedWith(a.stream, a.stream.readFrame({ lengthBytes: 8 }), UnsatisfiableReadError);
    // Over maxBufferSize (the default maxBytes), little endian.
    const b = open({ maxBufferSize: 100 });
    b.t.push(Buffer.concat([hex('6500'), spare]));
    expect(b.stream.tryReadFrame({ lengthBytes: 2, littleEndian: true })).toBeNull();
    await expectClosedWith(
      b.stream,
      b.stream.readFrame({ lengthBytes: 2, littleEndian: true }),
      UnsatisfiableReadError,
    );
    // Negative after lengthAdjust.
    const c = open();
    c.t.push(Buffer.concat([hex('03'), spare]));
    expect(c.stream.tryReadFrame({ lengthBytes: 1, lengthAdjust: -4 })).toBeNull();
    await expectClosedWith(c.stream, c.stream.readFrame({ lengthBytes: 1, lengthAdjust: -4 }), UnsatisfiableReadError);
    // Empty payloads, a frame longer than the chunk's rest, and one that ends the chunk exactly.
    const d = open();
    const U32: FrameFormat = { lengthBytes: 4 };
    d.t.push(hex('00000000 00000000 00000002 6162 00000005 6364'));
    expect(d.stream.tryReadFrame(U32)).toEqual(Buffer.alloc(0));
    expect(await d.stream.readFrame(U32)).toEqual(Buffer.alloc(0));
    expect(await d.stream.readFrame(U32)).toEqual(Buffer.from('ab'));
    expect(d.stream.tryReadFrame(U32)).toBeNull();
    const p = d.stream.readFrame(U32);
    d.t.push(hex('656667'));
    expect(await p).toEqual(Buffer.from('cdefg'));
    d.t.push(hex('00000001 68'));
    expect(d.stream.tryReadFrame({ lengthBytes: 4, includeHeader: true })).toEqual(hex('00000001 68'));
    expect(d.stream.readableLength).toBe(0);
  });

  it('a negative length after lengthAdjust fails and closes', async () => {
    const { stream, t } = open();
    t.push(hex('5a 00000003')); // claims to count itself, but 3 < 4
    const p = stream.readFrame({ lengthOffset: 1, lengthBytes: 4, lengthAdjust: -4 });
    await expectClosedWith(stream, p, UnsatisfiableReadError);
  });

  it('a varint that does not end within 10 bytes fails at the 10th byte', async () => {
    const { stream, t } = open();
    const p = stream.readFrame({ lengthBytes: 'varint' });
    t.push(Buffer.alloc(9, 0x80));
    expect(await state(p)).toBe('pending');
    t.push(hex('80'));
    await expectClosedWith(stream, p, UnsatisfiableReadError);
  });

  it('a varint past Number.MAX_SAFE_INTEGER fails before it ends', async () => {
    const { stream, t } = open();
    const p = stream.readFrame({ lengthBytes: 'varint' }, { maxBytes: Number.MAX_SAFE_INTEGER });
    t.push(Buffer.alloc(8, 0xff)); // 56 bits set so far, continuation still on
    await expectClosedWith(stream, p, UnsatisfiableReadError);
  });

  it('a header that alone exceeds maxBytes fails', async () => {
    const { stream, t } = open();
    t.push(hex('00'));
    await expectClosedWith(stream, stream.readFrame({ lengthBytes: 8 }, { maxBytes: 4 }), UnsatisfiableReadError);
  });

  it('tryReadFrame returns null for an oversize or malformed header, consuming nothing; readFrame then fails', async () => {
    const { stream, t } = open();
    t.push(hex('ffffffff 00'));
    expect(stream.tryReadFrame({ lengthBytes: 4 }, { maxBytes: 64 })).toBe(null);
    expect(stream.tryReadFrame({ lengthBytes: 1, lengthAdjust: -1 })).toBe(null);
    expect(stream.closed()).toBe(false);
    expect(stream.readableLength).toBe(5);
    await expectClosedWith(stream, stream.readFrame({ lengthBytes: 4 }, { maxBytes: 64 }), UnsatisfiableReadError);
  });
});

describe('readFrame: stream states', () => {
  it('EOF inside the header or the payload rejects with StreamClosedError (realError null)', async () => {
    for (const partial of ['00', '0005 6162']) {
      const { stream, t } = open();
      const p = stream.readFrame({ lengthBytes: 2 });
      t.push(hex(partial));
      t.pushEof();
      const error = await rejection(p);
      expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
      expect((error as StreamClosedError).realError).toBe(null);
    }
  });

  it('a frame buffered before close is still read after it', async () => {
    const { stream, t } = open();
    t.push(hex('0002 6869'));
    t.pushEof();
    expect(stream.closed()).toBe(true);
    expect((await stream.readFrame({ lengthBytes: 2 })).toString()).toBe('hi');
    expectIOError(await rejection(stream.readFrame({ lengthBytes: 2 })), StreamClosedError, 'ERR_STREAM_CLOSED');
  });

  it('aborting keeps every buffered byte and the stream open; the next readFrame gets the frame', async () => {
    const { stream, t } = open();
    const ac = new AbortController();
    const p = stream.readFrame({ lengthBytes: 2 }, { signal: ac.signal });
    t.push(hex('0005 6869'));
    ac.abort('enough');
    const error = await rejection(p);
    expectIOError(error, AbortError, 'ABORT_ERR');
    expect((error as AbortError).cause).toBe('enough');
    expect(stream.closed()).toBe(false);
    expect(stream.readableLength).toBe(4);
    const q = stream.readFrame({ lengthBytes: 2 });
    t.push('!!!');
    expect((await q).toString()).toBe('hi!!!');
  });

  it('an already aborted signal rejects even when the frame is buffered, consuming nothing', async () => {
    const { stream, t } = open();
    t.push(hex('0001 61'));
    const error = await rejection(stream.readFrame({ lengthBytes: 2 }, { signal: AbortSignal.abort() }));
    expectIOError(error, AbortError, 'ABORT_ERR');
    expect(stream.readableLength).toBe(3);
  });

  it('one read at a time: ERR_ALREADY_READING from both forms, the pending read untouched', async () => {
    const { stream, t } = open();
    const pending = stream.readBytes(3);
    expectIOError(await rejection(stream.readFrame({ lengthBytes: 1 })), AlreadyReadingError, 'ERR_ALREADY_READING');
    expect(() => stream.tryReadFrame({ lengthBytes: 1 })).toThrow(AlreadyReadingError);
    t.push('abc');
    expect((await pending).toString()).toBe('abc');
    const frame = stream.readFrame({ lengthBytes: 1 });
    expectIOError(await rejection(stream.readBytes(1)), AlreadyReadingError, 'ERR_ALREADY_READING');
    t.push(hex('01 7a'));
    expect((await frame).toString()).toBe('z');
  });

  it('tryReadFrame: null until the whole frame is buffered, nothing consumed', () => {
    const { stream, t } = open();
    const U16: FrameFormat = { lengthBytes: 2 };
    expect(stream.tryReadFrame(U16)).toBe(null);
    t.push(hex('00'));
    expect(stream.tryReadFrame(U16)).toBe(null);
    t.push(hex('03 6162'));
    expect(stream.tryReadFrame(U16)).toBe(null);
    expect(stream.readableLength).toBe(4);
    t.push(hex('63 0000'));
    expect(stream.tryReadFrame(U16)?.toString()).toBe('abc');
    expect(stream.tryReadFrame(U16, { maxBytes: 2 })?.length).toBe(0);
    expect(stream.readableLength).toBe(0);
    expect(stream.reading()).toBe(false);
  });

  it('reads more from the transport after a frame taken from the buffer left it low', async () => {
    const { stream, t } = open({ readChunkSize: 4 });
    t.push(hex('0003 616263'), hex('0001 7a'));
    // Core stopped reading at readChunkSize; taking the first frame must restart it.
    expect(t.inbound.length).toBe(1);
    expect(stream.tryReadFrame({ lengthBytes: 2 })?.toString()).toBe('abc');
    expect(t.inbound.length).toBe(0);
    expect((await stream.readFrame({ lengthBytes: 2 })).toString()).toBe('z');
  });
});

describe('readFrame: arguments', () => {
  const bad: [string, unknown, typeof TypeError | typeof RangeError][] = [
    ['no format', undefined, TypeError],
    ['a number as format', 4, TypeError],
    ['lengthBytes missing', {}, TypeError],
    ['lengthBytes 3', { lengthBytes: 3 }, RangeError],
    ["lengthBytes '4'", { lengthBytes: '4' }, RangeError],
    ['lengthOffset -1', { lengthBytes: 1, lengthOffset: -1 }, RangeError],
    ['lengthOffset 1.5', { lengthBytes: 1, lengthOffset: 1.5 }, RangeError],
    ["lengthOffset '1'", { lengthBytes: 1, lengthOffset: '1' }, TypeError],
    ['lengthAdjust 0.5', { lengthBytes: 1, lengthAdjust: 0.5 }, RangeError],
    ['lengthAdjust NaN', { lengthBytes: 1, lengthAdjust: Number.NaN }, RangeError],
    ["littleEndian 'yes'", { lengthBytes: 2, littleEndian: 'yes' }, TypeError],
    ['includeHeader 1', { lengthBytes: 2, includeHeader: 1 }, TypeError],
  ];

  it.each(bad)('%s throws synchronously, from both forms, every time', (_name, format, klass) => {
    const { stream, t } = open();
    t.push(hex('0001 61'));
    for (let i = 0; i < 2; i++) {
      expect(() => stream.readFrame(format as FrameFormat)).toThrow(klass);
      expect(() => stream.tryReadFrame(format as FrameFormat)).toThrow(klass);
    }
    expect(stream.readableLength).toBe(3);
    expect(stream.reading()).toBe(false);
  });

  it('a bad maxBytes or signal throws synchronously', () => {
    const { stream } = open();
    expect(() => stream.readFrame({ lengthBytes: 1 }, { maxBytes: -1 })).toThrow(RangeError);
    expect(() => stream.tryReadFrame({ lengthBytes: 1 }, { maxBytes: 0.5 })).toThrow(RangeError);
    expect(() => stream.readFrame({ lengthBytes: 1 }, { signal: {} as AbortSignal })).toThrow(TypeError);
  });

  it('formats are told apart by object: alternating two of them reads each right', async () => {
    const { stream, t } = open();
    const A: FrameFormat = { lengthBytes: 1 };
    const B: FrameFormat = { lengthBytes: 2, littleEndian: true, includeHeader: true };
    t.push(hex('01 61 0100 62 01 63'), hex('0100 64'));
    expect(stream.tryReadFrame(A)?.toString()).toBe('a');
    expect(stream.tryReadFrame(B)).toEqual(hex('0100 62'));
    expect((await stream.readFrame(A)).toString()).toBe('c');
    expect(await stream.readFrame(B)).toEqual(hex('0100 64'));
  });
});
