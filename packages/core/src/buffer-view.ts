/**
 * The cheapest way Node offers to make a Buffer over existing memory. Every read result
 * is one, so a parsing loop pays this once or twice per message.
 */

import { Buffer } from 'node:buffer';

type MakeView = (memory: ArrayBufferLike, offset: number, length: number) => Buffer;
type ViewClass = new (memory: ArrayBufferLike, offset: number, length: number) => Buffer;

/**
 * Picks how views are made, given `Buffer[Symbol.species]`. On Node that is Node's own
 * Buffer class (`FastBuffer`: what `Buffer.from`, `subarray` and `slice` construct), whose
 * instances have `Buffer.prototype` as their prototype: Buffers in every way,
 * `assert.deepStrictEqual` included. Constructing it directly skips `Buffer.from`'s
 * argument dispatch and checks: 35 ns a view against 44 ns on Node 20 (`pnpm bench:micro`).
 * Anything else (a runtime that does not expose such a class, or answers `Buffer` itself)
 * gets `Buffer.from`.
 * Exported for tests.
 */
export function viewMakerFor(species: unknown): MakeView {
  // `Buffer` itself is excluded: `new Buffer(…)` is Node's deprecated constructor (DEP0005).
  if (typeof species === 'function' && species !== Buffer && species.prototype === Buffer.prototype) {
    const NodeBuffer = species as ViewClass;
    return (memory, offset, length) => new NodeBuffer(memory, offset, length);
  }
  return (memory, offset, length) => Buffer.from(memory, offset, length);
}

/**
 * A Buffer over `length` bytes of `memory` from `offset`, sharing the memory (no copy).
 * The range must lie within `memory`; like `Buffer.from(memory, offset, length)`, it
 * throws a RangeError otherwise.
 */
export const bufferView: MakeView = viewMakerFor((Buffer as unknown as Record<symbol, unknown>)[Symbol.species]);

/** `bytes` as a Buffer: itself when it is one, else a Buffer view of the same memory (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : bufferView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
