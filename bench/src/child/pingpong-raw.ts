/**
 * W3 baseline client: `count` round trips of a 16-byte line over raw `net`
 * (Nagle off): write the ping, wait for all 16 bytes of the echo, repeat.
 */
import net from 'node:net';
import { PING, PING_SIZE } from '../data.js';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, port, count } = childArgs();
if (variant !== 'raw') fail(`pingpong-raw: unknown variant ${variant}`);
let trips = 0;
let got = 0;
const stop = startClock();
const socket = net.connect({ host: HOST, port: port as number, noDelay: true }, () => socket.write(PING));
socket.on('error', (e) => fail(`raw: ${e.message}`));
socket.on('data', (chunk: Buffer) => {
  got += chunk.length;
  if (got < PING_SIZE) return;
  if (got > PING_SIZE || chunk[chunk.length - 1] !== 0x0a) fail(`raw: bad echo after ${trips} trips`);
  got = 0;
  if (++trips < count) socket.write(PING);
  else {
    socket.destroy();
    stop(trips, trips * PING_SIZE);
  }
});
