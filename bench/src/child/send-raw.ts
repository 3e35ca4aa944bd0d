/**
 * W5 baseline, the measured sender: listens, and to the sink that connects
 * sends `count` bytes in 64 KiB `socket.write`s, waiting for `'drain'` whenever
 * `write` returns false; then half-closes and waits for the sink's byte count.
 */
import net from 'node:net';
import { buildBulk } from '../data.js';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, count } = childArgs();
if (variant !== 'raw-drain') fail(`send-raw: unknown variant ${variant}`);
const chunk = buildBulk(65536);
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  const stop = startClock();
  server.close();
  let left = count;
  const acks: Buffer[] = [];
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void socket.once('drain', pump);
    }
    socket.end();
  };
  socket.on('error', (e) => fail(`raw-drain: ${e.message}`));
  socket.on('data', (b: Buffer) => acks.push(b));
  socket.on('end', () => {
    const ack = Buffer.concat(acks);
    const received = ack.length === 8 ? Number(ack.readBigUInt64BE()) : -1;
    if (received !== count) fail(`raw-drain: the sink received ${received} bytes, expected ${count}`);
    stop(count, count);
  });
  pump();
});
server.listen(0, HOST, () => announcePort((server.address() as net.AddressInfo).port));
