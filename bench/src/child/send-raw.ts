/**
 * W5 baseline, the measured sender: listens, and to the sink that connects
 * sends `count` bytes in 64 KiB `socket.write`s, waiting for `'drain'` whenever
 * `write` returns false (`raw-drain`), or awaiting each write's callback (`raw-await`,
 * a reference); then half-closes and waits for the sink's byte count.
 */
import net from 'node:net';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors, startClock } from './measure.js';
import { pumpRaw, pumpRawAwait } from './send-bulk.js';

failOnStrayErrors();
const { variant, count } = childArgs();
if (variant !== 'raw-drain' && variant !== 'raw-await') fail(`send-raw: unknown variant ${variant}`);
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  const stop = startClock();
  server.close();
  const acks: Buffer[] = [];
  socket.on('error', (e) => fail(`${variant}: ${e.message}`));
  socket.on('data', (b: Buffer) => acks.push(b));
  socket.on('end', () => {
    const ack = Buffer.concat(acks);
    const received = ack.length === 8 ? Number(ack.readBigUInt64BE()) : -1;
    if (received !== count) fail(`${variant}: the sink received ${received} bytes, expected ${count}`);
    stop(count, count);
  });
  if (variant === 'raw-await') pumpRawAwait(socket, count).catch((e: Error) => fail(`${variant}: ${e.message}`));
  else pumpRaw(socket, count);
});
server.listen(0, HOST, () => announcePort((server.address() as net.AddressInfo).port));
