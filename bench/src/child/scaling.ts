/**
 * W6: one `readUntil('\n')` whose delimiter arrives after `count` one-byte chunks
 * over the in-memory fake transport (synchronous delivery). The time should grow
 * linearly with `count`: core remembers how far it has scanned.
 */
import { createStreamPair } from '@iostream/testkit';
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, count } = childArgs();
if (variant !== 'ours-readUntil') fail(`scaling: unknown variant ${variant}`);
const payload = Buffer.alloc(count, 0x78);
payload[count - 1] = 0x0a;
const { a, b } = createStreamPair(
  { b: { chunking: 1 }, delivery: 'sync', writeCapacity: 1 << 20 },
  { maxBufferSize: 128 * 1024 * 1024 },
);
const stop = startClock();
const line = b.readUntil('\n');
await a.write(payload);
const got = await line;
if (got.length !== count || got[count - 1] !== 0x0a) fail(`scaling: got ${got.length} bytes, expected ${count}`);
stop(count, count);
