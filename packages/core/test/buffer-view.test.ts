import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, expect, it, vi } from 'vitest';
import { asBuffer, viewMakerFor } from '../src/buffer-view.js';
import { bufferView } from '../src/index.js';
import { bytes, open } from './helpers/scripted-transport.js';

describe('bufferView', () => {
  it('is an ordinary Buffer over the given range, sharing its memory', () => {
    const memory = new ArrayBuffer(16);
    const view = bufferView(memory, 4, 8);
    expect(Buffer.isBuffer(view)).toBe(true);
    expect(Object.getPrototypeOf(view)).toBe(Buffer.prototype);
    expect(view.constructor).toBe(Buffer);
    expect([view.buffer, view.byteOffset, view.length]).toEqual([memory, 4, 8]);
    view.write('abcdefgh');
    expect(Buffer.from(memory, 3, 10).toString('latin1')).toBe('\0abcdefgh\0');
    assert.deepStrictEqual(view, Buffer.from('abcdefgh'));
    // Methods that build new Buffers from a view still build plain Buffers.
    expect(Object.getPrototypeOf(view.subarray(1))).toBe(Buffer.prototype);
    expect(Object.getPrototypeOf(view.slice(1))).toBe(Buffer.prototype);
  });

  it('allows an empty range, also at the very end', () => {
    const memory = new ArrayBuffer(4);
    expect(bufferView(memory, 4, 0).length).toBe(0);
    expect(bufferView(memory, 0, 0).length).toBe(0);
  });

  it('throws a RangeError for a range outside the memory, as Buffer.from does', () => {
    const memory = new ArrayBuffer(8);
    expect(() => bufferView(memory, 4, 5)).toThrow(RangeError);
    expect(() => bufferView(memory, 9, 0)).toThrow(RangeError);
    expect(() => Buffer.from(memory, 4, 5)).toThrow(RangeError);
  });

  it('works over a SharedArrayBuffer', () => {
    const memory = new SharedArrayBuffer(8);
    const view = bufferView(memory, 2, 3);
    view.fill(7);
    expect([...new Uint8Array(memory)]).toEqual([0, 0, 7, 7, 7, 0, 0, 0]);
  });
});

describe('asBuffer', () => {
  it('returns a Buffer as it is, and a Uint8Array as a Buffer over the same memory', () => {
    const buffer = Buffer.from('abc');
    expect(asBuffer(buffer)).toBe(buffer);
    const memory = new Uint8Array(8).subarray(2, 5);
    const view = asBuffer(memory);
    expect(Object.getPrototypeOf(view)).toBe(Buffer.prototype);
    expect([view.buffer, view.byteOffset, view.length]).toEqual([memory.buffer, 2, 3]);
  });
});

describe('viewMakerFor', () => {
  it("uses Node's Buffer class when Buffer[Symbol.species] is it, Buffer.from otherwise", () => {
    const memory = new ArrayBuffer(8);
    const nodeClass = (Buffer as unknown as Record<symbol, unknown>)[Symbol.species];
    const made: unknown[] = [];
    const spy = new Proxy(nodeClass as object, {
      construct(target, args) {
        made.push(args);
        return Reflect.construct(target as new (...a: unknown[]) => object, args);
      },
    });
    // Same prototype as Buffer's: taken, and constructed directly.
    expect(viewMakerFor(spy)(memory, 1, 2).length).toBe(2);
    expect(made).toEqual([[memory, 1, 2]]);
    // Not a function, a class of its own, or Buffer itself (`new Buffer()` is deprecated):
    // Buffer.from, which still gives a plain Buffer.
    const from = vi.spyOn(Buffer, 'from');
    try {
      for (const species of [undefined, Uint8Array, class Other {}, Buffer]) {
        from.mockClear();
        const view = viewMakerFor(species)(memory, 3, 4);
        expect(from).toHaveBeenCalledWith(memory, 3, 4);
        expect(Object.getPrototypeOf(view)).toBe(Buffer.prototype);
        expect([view.buffer, view.byteOffset, view.length]).toEqual([memory, 3, 4]);
      }
    } finally {
      from.mockRestore();
    }
    expect(() => viewMakerFor(undefined)(memory, 6, 4)).toThrow(RangeError);
  });
});

describe('read results', () => {
  it('are plain Buffers: assert.deepStrictEqual, which compares prototypes, accepts them', async () => {
    const { stream, t } = open();
    t.push('key=value\r\nab');
    t.push('cdef:');
    t.push('tail');
    const results = [
      stream.tryReadBytes(4),
      await stream.readUntil('\r\n'),
      await stream.readBytes(3),
      await stream.readUntilRegex(/:/),
    ];
    t.pushEof();
    results.push(await stream.readUntilClose());
    assert.deepStrictEqual(results, [bytes('key='), bytes('value\r\n'), bytes('abc'), bytes('def:'), bytes('tail')]);
    for (const result of results) expect(Object.getPrototypeOf(result)).toBe(Buffer.prototype);
  });
});
