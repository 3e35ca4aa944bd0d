import { describe, expect, it } from 'vitest';
import { IOStream } from '../src/index.js';
import { open, ScriptedTransport } from './helpers/scripted-transport.js';

type Kind = typeof TypeError | typeof RangeError;

/** Argument errors throw synchronously (no promise is returned), as Node's own APIs do. */
function expectThrows(f: () => unknown, kind: Kind) {
  let thrown: unknown;
  let returned: unknown;
  try {
    returned = f();
  } catch (error) {
    thrown = error;
  }
  expect(returned).toBeUndefined();
  expect(thrown).toBeInstanceOf(kind);
  if (kind === TypeError) expect(thrown).not.toBeInstanceOf(RangeError);
}

// Deliberately wrong arguments, as JavaScript callers could pass them.
const bad = (v: unknown) => v as never;

describe('argument errors throw TypeError / RangeError at once', () => {
  const { stream } = open();
  const cases: [string, () => unknown, Kind][] = [
    ['readBytes(-1)', () => stream.readBytes(-1), RangeError],
    ['readBytes(1.5)', () => stream.readBytes(1.5), RangeError],
    ['readBytes(NaN)', () => stream.readBytes(Number.NaN), RangeError],
    ["readBytes('3')", () => stream.readBytes(bad('3')), TypeError],
    ['readBytes signal', () => stream.readBytes(1, { signal: bad({}) }), TypeError],
    ['readBytes onChunk', () => stream.readBytes(1, { onChunk: bad('f') }), TypeError],
    ["readUntil('')", () => stream.readUntil(''), RangeError],
    ['readUntil(empty bytes)', () => stream.readUntil(new Uint8Array(0)), RangeError],
    ['readUntil(number)', () => stream.readUntil(bad(10)), TypeError],
    ['readUntil(null)', () => stream.readUntil(bad(null)), TypeError],
    ['readUntil([1])', () => stream.readUntil(bad([1])), TypeError],
    ['readUntil maxBytes -1', () => stream.readUntil('x', { maxBytes: -1 }), RangeError],
    ["readUntil maxBytes '1'", () => stream.readUntil('x', { maxBytes: bad('1') }), TypeError],
    ['readUntil signal', () => stream.readUntil('x', { signal: bad(1) }), TypeError],
    ["readUntilRegex('x')", () => stream.readUntilRegex(bad('x')), TypeError],
    ['readUntilRegex maxBytes', () => stream.readUntilRegex(/x/, { maxBytes: -2 }), RangeError],
    ['readUntilClose onChunk', () => stream.readUntilClose({ onChunk: bad(1) }), TypeError],
    ['readUntilClose signal', () => stream.readUntilClose({ signal: bad('s') }), TypeError],
    ['readInto(array)', () => stream.readInto(bad([1, 2])), TypeError],
    ['readInto(ArrayBuffer)', () => stream.readInto(bad(new ArrayBuffer(4))), TypeError],
    ['tryReadBytes(-1)', () => stream.tryReadBytes(-1), RangeError],
    ["tryReadUntil('')", () => stream.tryReadUntil(''), RangeError],
    ['tryReadUntil(maxBytes 0.5)', () => stream.tryReadUntil('x', { maxBytes: 0.5 }), RangeError],
    ['write(number)', () => stream.write(bad(42)), TypeError],
    ['write(null)', () => stream.write(bad(null)), TypeError],
    ['write([ok, bad])', () => stream.write(bad(['ok', {}])), TypeError],
    // A hole reads as undefined: refused like any other non-bytes element, not skipped.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    ['write([ok, hole, ok])', () => stream.write(bad(['a', , 'b'])), TypeError],
    ['setCloseCallback(1)', () => stream.setCloseCallback(bad(1)), TypeError],
  ];
  it.each(cases)('%s', (_name, f, kind) => {
    expectThrows(f, kind);
    expect(stream.closed()).toBe(false);
    expect(stream.reading()).toBe(false);
  });

  it('readInto rejects a detached buffer where the runtime can tell', async () => {
    const target = new Uint8Array(8);
    structuredClone(target.buffer, { transfer: [target.buffer] });
    if ('detached' in ArrayBuffer.prototype) {
      expectThrows(() => stream.readInto(target), TypeError);
      expectThrows(() => stream.tryReadInto(target), TypeError);
    } else {
      // Without ArrayBuffer#detached the view reads as empty: a zero-length target, filled at once.
      expect(await stream.readInto(target)).toBe(0);
      expect(stream.tryReadInto(target)).toBe(0);
    }
  });

  it('an array with a hole names the hole, and writes nothing', () => {
    const { stream, t } = open();
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    expect(() => stream.write(bad(['a', , 'b']))).toThrow(/array of them, got type undefined/);
    expect(t.written().length).toBe(0);
    expect(stream.writableLength).toBe(0);
  });

  it('argument errors win over state errors', () => {
    const s = open().stream;
    s.close();
    expectThrows(() => s.readBytes(-1), RangeError);
    expectThrows(() => s.write(bad(undefined)), TypeError);
  });

  it('the constructor validates options', () => {
    expectThrows(() => new IOStream(new ScriptedTransport(), { maxBufferSize: 0 }), RangeError);
    expectThrows(() => new IOStream(new ScriptedTransport(), { readChunkSize: bad('1') }), TypeError);
  });
});
