/**
 * W3 baseline in ours' shape: `count` round trips of a 16-byte line over raw
 * `net` (Nagle off), awaiting the write's callback and then the echo, as
 * `await write(…)` + `await readUntil('\n')` do, with nothing of the library.
 */

import { once } from 'node:events';
import net from 'node:net';
import { PING, PING_SIZE } from '../data.js';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';
import { SocketChunks, writeAsync } from './socket-chunks.js';

failOnStrayErrors();
const { variant, port, count } = childArgs();
if (variant !== 'raw-await') fail(`pingpong-raw-await: unknown variant ${variant}`);
const stop = startClock();
const socket = net.connect({ host: HOST, port: port as number, noDelay: true });
socket.on('error', (e) => fail(`raw-await: ${e.message}`));
await once(socket, 'connect');
const chunks = new SocketChunks(socket);
for (let trip = 0; trip < count; trip++) {
  await writeAsync(socket, PING);
  let got = 0;
  let last = 0;
  while (got < PING_SIZE) {
    const chunk = await chunks.next();
    if (chunk === null) fail(`raw-await: closed after ${trip} trips`);
    got += chunk.length;
    last = chunk[chunk.length - 1] as number;
  }
  if (got > PING_SIZE || last !== 0x0a) fail(`raw-await: bad echo after ${trip} trips`);
}
socket.destroy();
stop(count, count * PING_SIZE);
