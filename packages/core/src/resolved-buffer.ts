/**
 * `Promise.resolve(buffer)` for a read settled from the buffer, in the form V8 makes cheapest.
 *
 * Resolving a promise with an object looks up the object's `then` (it might be a thenable).
 * For a typed array V8's resolve builtin cannot do that lookup itself and calls into C++:
 * 40-60 ns, a third of an awaited `readFrame` or `readUntil` whose bytes are already here.
 * The optimizing compiler of V8 12 and later (Node 22+) skips the lookup when it knows the
 * object's map and that no prototype on it has a `then`, and reading a property gives it the
 * map. On Node 20 the read costs about 2 ns and changes nothing else. The Buffer stays a
 * plain Buffer: its prototype is not touched.
 */
import type { Buffer } from 'node:buffer';

export function resolvedBuffer(result: Buffer): Promise<Buffer> {
  // Only the map check this load brings matters; its value is not needed.
  void result.length;
  return Promise.resolve(result);
}
