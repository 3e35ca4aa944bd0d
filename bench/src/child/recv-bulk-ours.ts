/**
 * W1 (T1 over TLS, P1 over pipes), ours: receive `count` bytes through an `IOStream`.
 * `ours-readBytes`: `await readBytes(65536)` in a loop.
 * `ours-readInto`: `await readInto(buf)` into one reused 64 KiB buffer.
 * Both then `readUntilClose()`, which must find nothing left, so the clock stops at EOF.
 */
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startBulkClock } from './measure.js';
import { oursEnds } from './ours-ends.js';
import { pipeChildFor } from './pipe-child.js';

failOnStrayErrors();
const args = childArgs();
const { variant, count } = args;
const CHUNK = 65536;
const child = await pipeChildFor(args, 'source', 'bulk');
const clock = startBulkClock(count);
const { reader: s } = await oursEnds(args, child);
let bytes = 0;
if (variant === 'ours-readBytes') {
  while (bytes < count) {
    bytes += (await s.readBytes(Math.min(CHUNK, count - bytes))).length;
    clock.seen(bytes);
  }
} else if (variant === 'ours-readInto') {
  const buf = Buffer.allocUnsafe(CHUNK);
  while (bytes < count) {
    bytes += await s.readInto(count - bytes >= CHUNK ? buf : buf.subarray(0, count - bytes));
    clock.seen(bytes);
  }
} else fail(`recv-bulk-ours: unknown variant ${variant}`);
bytes += (await s.readUntilClose()).length;
if (bytes !== count) fail(`${variant}: received ${bytes} bytes, expected ${count}`);
clock.stop(bytes, bytes);
