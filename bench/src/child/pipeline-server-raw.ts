/**
 * W10, raw Node, the measured server: a `net` server answering each request line (found
 * with `indexOf` over `'data'` chunks) with a 64-byte reply.
 * `raw-each`: `socket.write(reply)` per request (a system call each).
 * `raw-cork`: `cork()` before the chunk's requests, `uncork()` after: one `writev` per chunk.
 * The clock runs from the connection to the client's EOF.
 */
import net from 'node:net';
import { REPLY, REPLY_SIZE } from '../pipeline-data.js';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant } = childArgs();
if (variant !== 'raw-each' && variant !== 'raw-cork') fail(`pipeline-server-raw: unknown variant ${variant}`);
const cork = variant === 'raw-cork';

const server = net.createServer({ noDelay: true }, (socket) => {
  const stop = startClock();
  server.close();
  let served = 0;
  let pending: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    let buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
    if (cork) socket.cork();
    for (let end = buf.indexOf(10); end >= 0; end = buf.indexOf(10)) {
      buf = buf.subarray(end + 1);
      socket.write(REPLY);
      served++;
    }
    if (cork) socket.uncork();
    pending = buf.length > 0 ? buf : null;
  });
  socket.on('end', () => stop(served, served * REPLY_SIZE));
  socket.on('error', (e) => fail(`${variant}: ${e.message}`));
});
server.listen(0, HOST, () => announcePort((server.address() as net.AddressInfo).port));
