/**
 * The W10 client (not measured): connects to the measured server and sends `count`
 * requests in batches of {@link BATCH}, each batch in one write and the next only once
 * every reply of the last one arrived (a raw `'data'` listener counting bytes, checking
 * each batch's last byte). Then it half-closes; the server's clock stops at that EOF.
 */
import net from 'node:net';
import { BATCH, REPLY, REPLY_SIZE, REQUEST } from '../pipeline-data.js';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors } from './measure.js';

failOnStrayErrors();
const { port, count } = childArgs();
const total = count as number;
const full = Buffer.concat(Array.from({ length: BATCH }, () => REQUEST));
let sent = 0;
/** Reply bytes still due for the batch in flight. */
let due = 0;
const socket = net.connect({ host: HOST, port: port as number, noDelay: true, allowHalfOpen: true });

function sendBatch(): void {
  const n = Math.min(BATCH, total - sent);
  sent += n;
  due = n * REPLY_SIZE;
  socket.write(n === BATCH ? full : full.subarray(0, n * REQUEST.length));
}

socket.on('connect', sendBatch);
socket.on('data', (chunk: Buffer) => {
  if (chunk.length > due) fail('pipeline-client: more reply bytes than requested');
  due -= chunk.length;
  if (due > 0) return;
  if (chunk[chunk.length - 1] !== REPLY[REPLY_SIZE - 1]) fail('pipeline-client: a batch ended mid-reply');
  if (sent === total) socket.end();
  else sendBatch();
});
socket.on('end', () => {
  if (sent !== total || due !== 0) fail(`pipeline-client: ${sent} requests sent, ${due} reply bytes missing`);
  socket.end();
});
socket.on('error', (e) => fail(`pipeline-client: ${e.message}`));
