/**
 * The W5 receiver (not measured): connects to the measured sender and counts
 * what it sends with `onread` into one reused buffer (the fastest receive path,
 * so the sink is not the bottleneck). At EOF it answers with the count as a
 * big-endian u64 and half-closes, so the sender's clock stops only once every
 * byte has arrived.
 */
import net from 'node:net';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors } from './measure.js';

failOnStrayErrors();
const { port } = childArgs();
let received = 0;
const socket = net.connect({
  host: HOST,
  port: port as number,
  allowHalfOpen: true,
  onread: {
    buffer: Buffer.allocUnsafe(65536),
    callback: (n: number) => {
      received += n;
      return true;
    },
  },
});
socket.on('end', () => {
  const ack = Buffer.alloc(8);
  ack.writeBigUInt64BE(BigInt(received));
  socket.end(ack);
});
socket.on('error', (e) => fail(`sink: ${e.message}`));
