/** W3, ours: `count` round trips of a 16-byte line, `write` then `readUntil('\n')`, Nagle off. */
import { connect } from '@iostream/tcp';
import { PING, PING_SIZE } from '../data.js';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, port, count } = childArgs();
if (variant !== 'ours') fail(`pingpong-ours: unknown variant ${variant}`);
const stop = startClock();
const s = await connect({ host: HOST, port: port as number, noDelay: true });
for (let i = 0; i < count; i++) {
  await s.write(PING);
  const echo = await s.readUntil('\n');
  if (echo.length !== PING_SIZE) fail(`ours: bad echo after ${i} trips`);
}
s.close();
stop(count, count * PING_SIZE);
