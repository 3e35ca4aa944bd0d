import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { resolvedBuffer } from '../src/resolved-buffer.js';
import { open } from './helpers/scripted-transport.js';

/** `count` frames of a u32 length and `i % 251` as a one-byte payload, then `count` lines. */
function wire(count: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) parts.push(Buffer.from([0, 0, 0, 1, i % 251]));
  for (let i = 0; i < count; i++) parts.push(Buffer.from(`${i}\n`));
  return Buffer.concat(parts);
}

describe('reads settled from the buffer (resolvedBuffer)', () => {
  it('resolves with the very Buffer it is given, a plain one', async () => {
    const b = Buffer.from('abc');
    const p = resolvedBuffer(b);
    expect(p).toBeInstanceOf(Promise);
    const got = await p;
    expect(got).toBe(b);
    expect(Object.getPrototypeOf(got)).toBe(Buffer.prototype);
  });

  it('gives every result right once the loop is optimized (thousands of reads of each kind)', async () => {
    const count = 20_000;
    const { stream, t } = open({ maxBufferSize: 1 << 20 });
    t.push(wire(count));
    const U32 = { lengthBytes: 4 } as const;
    for (let i = 0; i < count; i++) {
      // Alternates the hot path (no options) and the general one (options), both settled at once.
      const frame = i % 2 === 0 ? await stream.readFrame(U32) : await stream.readFrame(U32, { maxBytes: 16 });
      if (frame.length !== 1 || frame[0] !== i % 251) assert.fail(`frame ${i}: ${frame.toString('hex')}`);
    }
    for (let i = 0; i < count; i++) {
      const line = i % 2 === 0 ? await stream.readUntil('\n') : await stream.readUntil('\n', { maxBytes: 16 });
      if (line.toString() !== `${i}\n`) assert.fail(`line ${i}: ${JSON.stringify(line.toString())}`);
    }
    expect(stream.readableLength).toBe(0);
    t.push(Buffer.from('abcdef'));
    const two = await stream.readBytes(2);
    assert.deepStrictEqual(two, Buffer.from('ab'));
    assert.deepStrictEqual(await stream.readBytes(4, {}), Buffer.from('cdef'));
  });

  it('keeps Promise.resolve semantics: a `then` on Buffer.prototype is honoured, as for any thenable', async () => {
    const { stream, t } = open();
    // Warm the settled path first, so an optimized readBytes sees the prototype change.
    t.push(Buffer.alloc(4000, 1));
    for (let i = 0; i < 4000; i++) await stream.readBytes(1);
    t.push(Buffer.from('xyz'));
    const proto = Buffer.prototype as unknown as Record<string, unknown>;
    Object.defineProperty(proto, 'then', {
      configurable: true,
      value(this: Buffer, onFulfilled: (v: unknown) => void) {
        onFulfilled(`adopted ${this.toString()}`);
      },
    });
    let got: unknown;
    try {
      got = await stream.readBytes(3);
    } finally {
      delete proto.then;
    }
    expect(got).toBe('adopted xyz');
    expect('then' in Buffer.prototype).toBe(false);
  });
});
