/**
 * The W9 client (not measured): connects to the measured server and sends `count`
 * keep-alive requests, each only after the whole previous response arrived (a raw
 * `'data'` listener counting bytes, checking that every response starts with `H` and
 * ends with the body's last byte). Then it half-closes; the server's clock stops at that EOF.
 */
import net from 'node:net';
import { BODY, REQUEST, RESPONSE_SIZE } from '../http-data.js';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors } from './measure.js';

failOnStrayErrors();
const { port, count } = childArgs();
const LAST = BODY[BODY.length - 1] as number;
/** Bytes of the current response seen so far. */
let at = 0;
let done = 0;
const socket = net.connect({ host: HOST, port: port as number, noDelay: true, allowHalfOpen: true });
socket.on('connect', () => socket.write(REQUEST));
socket.on('data', (chunk: Buffer) => {
  let i = 0;
  while (i < chunk.length) {
    if (done === count) fail(`http-client: bytes after the last response`);
    if (at === 0 && chunk[i] !== 0x48) fail(`http-client: response ${done} does not start with H`);
    const take = Math.min(chunk.length - i, RESPONSE_SIZE - at);
    i += take;
    at += take;
    if (at < RESPONSE_SIZE) break;
    if (chunk[i - 1] !== LAST) fail(`http-client: response ${done} has the wrong last byte`);
    at = 0;
    done++;
    if (done === count) socket.end();
    else socket.write(REQUEST);
  }
});
socket.on('end', () => {
  if (done !== count || at !== 0) fail(`http-client: got ${done} responses (+${at} bytes), expected ${count}`);
  socket.end();
});
socket.on('error', (e) => fail(`http-client: ${e.message}`));
