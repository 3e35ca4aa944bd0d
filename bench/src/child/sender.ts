/**
 * The data source for W1, W2 and W4 (and T1, T2 over TLS): listens on loopback,
 * and to the one connection it gets writes `count` units (bytes, lines or frames)
 * from a prebuilt buffer of about 32 MiB, two writes in flight so the socket never
 * idles, then half-closes. Run: `node sender.js '{"variant":"lines","count":5000000}'`.
 * With `transport: 'pipe'` (P1, P2: spawned by the measured process) it writes to its
 * stdout instead, blocking `write(2)`s of the whole buffer, and says `ready` on
 * stderr first.
 */
import { writeSync } from 'node:fs';
import type net from 'node:net';
import { buildBulk, buildFrames, buildLines, FRAME_SIZE, LINE_SIZE, MiB } from '../data.js';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors } from './measure.js';
import { READY } from './pipe-child.js';
import { rawServer } from './tls-server.js';

failOnStrayErrors();
const { variant, count, transport = 'tcp' } = childArgs();

let block: Buffer;
let total: number;
if (variant === 'bulk') {
  block = buildBulk(32 * MiB);
  total = count;
} else if (variant === 'lines') {
  block = buildLines(Math.min(count, (32 * MiB) / LINE_SIZE));
  total = count * LINE_SIZE;
} else if (variant === 'frames') {
  block = buildFrames(Math.min(count, Math.floor((32 * MiB) / FRAME_SIZE)));
  total = count * FRAME_SIZE;
} else fail(`sender: unknown variant ${variant}`);

if (transport === 'pipe') {
  process.stderr.write(READY);
  // fd 1 is the blocking end of a socketpair: process.stdout is never touched, so Node never made it non-blocking.
  for (let left = total; left > 0; ) {
    const n = Math.min(left, block.length);
    for (let at = 0; at < n; ) at += writeSync(1, block, at, n - at);
    left -= n;
  }
  process.exit(0);
}

const server = rawServer(transport === 'tls', { allowHalfOpen: true }, (socket) => {
  server.close();
  let left = total;
  let inflight = 0;
  const pump = () => {
    while (inflight < 2 && left > 0) {
      const n = Math.min(left, block.length);
      left -= n;
      inflight++;
      socket.write(n === block.length ? block : block.subarray(0, n), done);
    }
    if (left === 0 && inflight === 0) socket.end();
  };
  const done = (error?: Error | null) => {
    if (error) fail(`sender: ${error.message}`);
    inflight--;
    pump();
  };
  socket.on('error', (e) => fail(`sender: ${e.message}`));
  // Drain whatever the receiver says (nothing), so its FIN closes the socket.
  socket.resume();
  socket.on('end', () => socket.end());
  pump();
});
server.listen(0, HOST, () => announcePort((server.address() as net.AddressInfo).port));
