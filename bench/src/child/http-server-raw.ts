/**
 * W9, raw Node, the measured server: a `net` server answering each request (found with
 * `indexOf` over `'data'` chunks) with the 200-byte head and the 1 KiB body.
 * `raw-two`: `socket.write(head); socket.write(body)` (two system calls per response).
 * `raw-concat`: `socket.write(Buffer.concat([head, body]))`, concatenated per response as
 * a server with a varying head would.
 * `raw-cork`: `cork()`, both writes, `uncork()`: one `writev`, as `node:http` does it.
 * `raw-await` (a reference): `raw-cork` written the await way by hand, a loop that awaits
 * each request (a promise the `'data'` listener resolves) and each response's write callback.
 * The clock runs from the connection to the client's EOF.
 */
import net from 'node:net';
import { BODY, HEAD, REQUEST_END, RESPONSE_SIZE } from '../http-data.js';
import { childArgs, HOST } from '../protocol.js';
import { Arrivals } from './arrivals.js';
import { announcePort, fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant } = childArgs();
if (variant !== 'raw-two' && variant !== 'raw-concat' && variant !== 'raw-cork' && variant !== 'raw-await')
  fail(`http-server-raw: unknown variant ${variant}`);

/** `raw-await`: each request awaited, each response's write awaited, in one loop. */
async function serveAwaiting(socket: net.Socket, stop: (units: number, bytes: number) => void): Promise<void> {
  const input = new Arrivals();
  // A field, not a local: the listener sets it, the loop reads it after each await.
  const held = { pending: null as Buffer | null };
  socket.on('data', (chunk: Buffer) => {
    held.pending = held.pending === null ? chunk : Buffer.concat([held.pending, chunk]);
    input.arrived();
  });
  socket.on('end', () => input.end());
  socket.on('error', (e) => fail(`${variant}: ${e.message}`));
  const find = (): number => (held.pending === null ? -1 : held.pending.indexOf(REQUEST_END));
  let served = 0;
  for (;;) {
    let end = find();
    while (end < 0) {
      if (input.ended) return stop(served, served * RESPONSE_SIZE);
      await input.next();
      end = find();
    }
    const buf = held.pending as Buffer;
    const next = end + REQUEST_END.length;
    held.pending = next < buf.length ? buf.subarray(next) : null;
    await new Promise<void>((resolve) => {
      socket.cork();
      socket.write(HEAD);
      socket.write(BODY, () => resolve());
      socket.uncork();
    });
    served++;
  }
}

const server = net.createServer({ noDelay: true }, (socket) => {
  const stop = startClock();
  server.close();
  if (variant === 'raw-await') return void serveAwaiting(socket, stop);
  let served = 0;
  let pending: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    let buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
    for (let end = buf.indexOf(REQUEST_END); end >= 0; end = buf.indexOf(REQUEST_END)) {
      buf = buf.subarray(end + REQUEST_END.length);
      if (variant === 'raw-concat') socket.write(Buffer.concat([HEAD, BODY]));
      else if (variant === 'raw-two') {
        socket.write(HEAD);
        socket.write(BODY);
      } else {
        socket.cork();
        socket.write(HEAD);
        socket.write(BODY);
        socket.uncork();
      }
      served++;
    }
    pending = buf.length > 0 ? buf : null;
  });
  socket.on('end', () => stop(served, served * RESPONSE_SIZE));
  socket.on('error', (e) => fail(`${variant}: ${e.message}`));
});
server.listen(0, HOST, () => announcePort((server.address() as net.AddressInfo).port));
