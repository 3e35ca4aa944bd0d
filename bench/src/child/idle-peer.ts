/**
 * The W7 peer (not measured): the other end of `count` idle connections, with raw
 * `node:net`. Variant `<side>-<state>` as in idle-conns.ts: for `accepted` it
 * connects to the measured process, for `connected` it listens for it; with `half`
 * it sends each connection half a line. It exits once the measured process has
 * closed every connection (by exiting).
 */
import net from 'node:net';
import { childArgs, HOST } from '../protocol.js';
import { HALF_LINE } from './idle-memory.js';
import { announcePort, fail, failOnStrayErrors } from './measure.js';

failOnStrayErrors();
const { variant, count, port } = childArgs();
const [side, state] = variant.split('-');
const CONCURRENT = 200;
let closed = 0;

const hold = (socket: net.Socket) => {
  if (state === 'half') socket.write(HALF_LINE);
  socket.on('error', () => {});
  socket.on('close', () => {
    if (++closed === count) process.exit(0);
  });
};

if (side === 'connected') {
  const server = net.createServer(hold);
  server.listen({ host: HOST, port: 0, backlog: 4096 }, () => announcePort((server.address() as net.AddressInfo).port));
} else if (side === 'accepted') {
  let started = 0;
  const one = async (): Promise<void> => {
    while (started < count) {
      started++;
      const socket = net.connect({ host: HOST, port: port as number });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      hold(socket);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT, count) }, one)).catch((e: Error) =>
    fail(`idle-peer: ${e.message}`),
  );
} else fail(`idle-peer: unknown variant ${variant}`);
