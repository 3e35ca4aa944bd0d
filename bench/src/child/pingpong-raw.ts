/**
 * W3 baseline client (T3 over TLS, P3 to `cat` over pipes): `count` round trips of a
 * 16-byte line over raw Node (Nagle off): write the ping, wait for all 16 bytes of the
 * echo, repeat.
 */
import { PING, PING_SIZE } from '../data.js';
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';
import { pipeChildFor } from './pipe-child.js';
import { rawEnds } from './raw-ends.js';

failOnStrayErrors();
const args = childArgs();
const { variant, count } = args;
if (variant !== 'raw') fail(`pingpong-raw: unknown variant ${variant}`);
let trips = 0;
let got = 0;
const child = await pipeChildFor(args, 'cat');
const stop = startClock();
const { input, output, ready } = rawEnds(args, child, { noDelay: true });
if (output === null) fail('raw: nothing to write to');
input.on('error', (e) => fail(`raw: ${e.message}`));
output.on('error', (e) => fail(`raw: ${e.message}`));
void ready.then(() => output.write(PING));
input.on('data', (chunk: Buffer) => {
  got += chunk.length;
  if (got < PING_SIZE) return;
  if (got > PING_SIZE || chunk[chunk.length - 1] !== 0x0a) fail(`raw: bad echo after ${trips} trips`);
  got = 0;
  if (++trips < count) output.write(PING);
  else {
    input.destroy();
    output.destroy();
    stop(trips, trips * PING_SIZE);
  }
});
