/**
 * W3 baseline in ours' shape (T3 over TLS): `count` round trips of a 16-byte line over raw
 * `net` (Nagle off), awaiting the write's callback and then the echo, as
 * `await write(…)` + `await readUntil('\n')` do, with nothing of the library.
 */

import type net from 'node:net';
import { PING, PING_SIZE } from '../data.js';
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';
import { rawEnds } from './raw-ends.js';
import { SocketChunks, writeAsync } from './socket-chunks.js';

failOnStrayErrors();
const args = childArgs();
const { variant, count } = args;
if (variant !== 'raw-await' || args.transport === 'pipe') fail(`pingpong-raw-await: unknown variant ${variant}`);
const stop = startClock();
const ends = rawEnds(args, null, { noDelay: true });
const socket = ends.input as net.Socket;
socket.on('error', (e) => fail(`raw-await: ${e.message}`));
await ends.ready;
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
