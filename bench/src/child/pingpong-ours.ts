/**
 * W3 (T3 over TLS, P3 to `cat` over pipes), ours: `count` round trips of a 16-byte
 * line, `write` then `readUntil('\n')`, Nagle off.
 */
import { PING, PING_SIZE } from '../data.js';
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';
import { oursEnds } from './ours-ends.js';
import { pipeChildFor } from './pipe-child.js';

failOnStrayErrors();
const args = childArgs();
const { variant, count } = args;
if (variant !== 'ours') fail(`pingpong-ours: unknown variant ${variant}`);
const child = await pipeChildFor(args, 'cat');
const stop = startClock();
const { reader, writer } = await oursEnds(args, child, { noDelay: true });
if (writer === undefined) fail('ours: nothing to write to');
for (let i = 0; i < count; i++) {
  await writer.write(PING);
  const echo = await reader.readUntil('\n');
  if (echo.length !== PING_SIZE) fail(`ours: bad echo after ${i} trips`);
}
writer.close();
reader.close();
stop(count, count * PING_SIZE);
