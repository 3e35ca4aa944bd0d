/**
 * W6, self-similar delimiters: `count` bytes of `-` and then a `d`-byte `---…X`
 * delimiter, whose every prefix recurs in the run of `-` before it (issue 14).
 * Variant `ours:<d>`: one `readUntil` over the in-memory fake transport, 64 KiB
 * chunks, synchronous delivery. Variant `indexOf:<d>`: `Buffer#indexOf` over the
 * whole payload at once, the native search with nothing around it.
 */
import { createStreamPair } from '@iostream/testkit';
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, count } = childArgs();
const [how, length] = variant.split(':');
const d = Number(length);
if ((how !== 'ours' && how !== 'indexOf') || !(d >= 1)) fail(`self-similar: unknown variant ${variant}`);
const delimiter = Buffer.alloc(d, 0x2d);
delimiter[d - 1] = 0x58;
const payload = Buffer.alloc(count + d, 0x2d);
delimiter.copy(payload, count);

if (how === 'indexOf') {
  const stop = startClock();
  const at = payload.indexOf(delimiter);
  if (at !== count) fail(`self-similar: indexOf found ${at}, expected ${count}`);
  stop(count, payload.length);
} else {
  const { a, b } = createStreamPair(
    { b: { chunking: 65536 }, delivery: 'sync', writeCapacity: 1 << 20 },
    { maxBufferSize: 2 * payload.length },
  );
  const stop = startClock();
  const line = b.readUntil(delimiter);
  await a.write(payload);
  const got = await line;
  if (got.length !== payload.length) fail(`self-similar: got ${got.length} bytes, expected ${payload.length}`);
  stop(count, payload.length);
}
