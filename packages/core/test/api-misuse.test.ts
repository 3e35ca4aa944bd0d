// API misuse that arguments.test.ts does not already cover: sizes that are not safe
// non-negative integers, delimiters and regexes swapped, read targets and written data of
// types the stream does not take. Each throws TypeError/RangeError at once, with a message
// that names the argument, and leaves the stream as it was.
import { describe, expect, it } from 'vitest';
import { open } from './helpers/scripted-transport.js';

// Deliberately wrong arguments, as JavaScript callers could pass them.
const bad = (v: unknown) => v as never;

describe('misuse throws at once with a clear error and changes nothing', () => {
  const { stream, t } = open();
  const cases: [string, () => unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    [
      'readBytes(Infinity)',
      () => stream.readBytes(Number.POSITIVE_INFINITY),
      RangeError,
      /n must be a non-negative integer/,
    ],
    ['readBytes(2 ** 53)', () => stream.readBytes(2 ** 53), RangeError, /n must be a non-negative integer/],
    ['readBytes(-0.5)', () => stream.readBytes(-0.5), RangeError, /non-negative integer/],
    ['readBytes("3")', () => stream.readBytes(bad('3'), { partial: true }), TypeError, /n must be a number/],
    ['readBytes(-1, partial)', () => stream.readBytes(-1, { partial: true }), RangeError, /non-negative/],
    ['readBytes(-1, onChunk)', () => stream.readBytes(-1, { onChunk: () => {} }), RangeError, /non-negative/],
    ['tryReadBytes(1.5)', () => stream.tryReadBytes(1.5), RangeError, /non-negative integer/],
    ['tryReadBytes(NaN)', () => stream.tryReadBytes(Number.NaN), RangeError, /non-negative integer/],
    ['readUntil maxBytes NaN', () => stream.readUntil('\n', { maxBytes: Number.NaN }), RangeError, /maxBytes/],
    ['readUntil maxBytes Infinity', () => stream.readUntil('\n', { maxBytes: Infinity }), RangeError, /maxBytes/],
    ['readUntil maxBytes 2.5', () => stream.readUntil('\n', { maxBytes: 2.5 }), RangeError, /maxBytes/],
    ['readUntil(/regex/)', () => stream.readUntil(bad(/\n/)), TypeError, /delimiter must be a string or Uint8Array/],
    ['readUntil(ArrayBuffer)', () => stream.readUntil(bad(new ArrayBuffer(1))), TypeError, /delimiter/],
    [
      'tryReadUntil(empty Buffer)',
      () => stream.tryReadUntil(Buffer.alloc(0)),
      RangeError,
      /delimiter must not be empty/,
    ],
    ['readUntilRegex maxBytes -1', () => stream.readUntilRegex(/x/, { maxBytes: -1 }), RangeError, /maxBytes/],
    ['readInto(Uint16Array)', () => stream.readInto(bad(new Uint16Array(4))), TypeError, /buffer must be a Uint8Array/],
    ['readInto(DataView)', () => stream.readInto(bad(new DataView(new ArrayBuffer(4)))), TypeError, /Uint8Array/],
    ['readInto(string)', () => stream.readInto(bad('abcd')), TypeError, /Uint8Array/],
    ['tryReadInto(Uint16Array)', () => stream.tryReadInto(bad(new Uint16Array(4))), TypeError, /Uint8Array/],
    ['write(undefined)', () => stream.write(bad(undefined)), TypeError, /data must be a string, Uint8Array/],
    ['write(ArrayBuffer)', () => stream.write(bad(new ArrayBuffer(4))), TypeError, /data must be/],
    ['write(DataView)', () => stream.write(bad(new DataView(new ArrayBuffer(4)))), TypeError, /data must be/],
    ['write(Uint16Array)', () => stream.write(bad(new Uint16Array(2))), TypeError, /data must be/],
    ['write(10n)', () => stream.write(bad(10n)), TypeError, /data must be/],
    ['write({ length: 3 })', () => stream.write(bad({ length: 3 })), TypeError, /data must be/],
    ['write([[nested]])', () => stream.write(bad([['nested']])), TypeError, /data must be/],
    ['write([Uint8Array, 1])', () => stream.write(bad([new Uint8Array(1), 1])), TypeError, /data must be/],
  ];
  it.each(cases)('%s', (_name, call, kind, message) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(kind);
    expect((thrown as Error).message).toMatch(message);
    expect(stream.closed()).toBe(false);
    expect(stream.reading()).toBe(false);
    expect(stream.writing()).toBe(false);
    expect(t.accepted).toHaveLength(0);
  });

  it('a rejected vectored write queues none of its chunks', async () => {
    const { stream: s, t: t2 } = open();
    expect(() => s.write(bad(['ok', 42]))).toThrow(TypeError);
    await s.write('after');
    expect(Buffer.concat(t2.accepted).toString()).toBe('after');
  });
});
