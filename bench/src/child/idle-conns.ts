/**
 * The W7 measured process: holds `count` idle connections and reports the memory
 * each costs (see idle-memory.ts). Its variant is `<impl>-<side>-<state>`:
 *
 * - impl `raw`: `node:net` with a `'data'` listener; `ours`: `@iostream/tcp` with a
 *   pending read (`readUntil('\n')`); `raw-await`: `node:net` read the way an `await`
 *   API reads it, at its leanest: an async handler (or caller) awaits a promise per line,
 *   resolved from a `'data'` listener. The reference for what an awaited read costs by
 *   itself, before any stream library.
 * - side `accepted`: this process listens and the peer (idle-peer.ts) connects;
 *   `connected`: the peer listens and this process connects.
 * - state `idle`: nothing is sent; `half`: the peer sends each connection half a line
 *   (no newline), which stays buffered.
 */
import net from 'node:net';
import { connect, listen } from '@iostream/tcp';
import { childArgs, HOST } from '../protocol.js';
import { HALF_LINE, nextLine, reportIdle, settledMemory, until } from './idle-memory.js';
import { announcePort, fail, failOnStrayErrors } from './measure.js';

failOnStrayErrors();
const { variant, count, port } = childArgs();
const parts = variant.split('-');
const state = parts.pop();
const side = parts.pop();
const impl = parts.join('-');
if ((impl !== 'raw' && impl !== 'ours' && impl !== 'raw-await') || (side !== 'accepted' && side !== 'connected'))
  fail(`idle-conns: unknown variant ${variant}`);
/** Bytes each connection must have received before measuring. */
const expected = state === 'half' ? HALF_LINE.length : 0;
/** Connection attempts in flight at once (the listen backlog is 511). */
const CONCURRENT = 200;

let open = 0;
let received = 0;
/** Everything held, so nothing is collected (both contenders keep one array slot per connection). */
const held: unknown[] = [];
const lost = () => fail(`idle-conns ${variant}: a connection closed while held`);

const onRawSocket = (socket: net.Socket) => {
  held.push(socket);
  open++;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  socket.on('close', lost);
  socket.on('error', () => {});
};

/** `raw-await`'s connection: held, watched, and a line awaited. */
const awaitRawLine = async (socket: net.Socket): Promise<void> => {
  held.push(socket);
  open++;
  socket.on('close', lost);
  socket.on('error', () => {});
  await nextLine(socket);
};

const before = await settledMemory();
if (side === 'accepted') {
  if (impl === 'raw' || impl === 'raw-await') {
    const server = net.createServer(impl === 'raw' ? onRawSocket : awaitRawLine);
    await new Promise<void>((resolve) => server.listen({ host: HOST, port: 0, backlog: 4096 }, resolve));
    announcePort((server.address() as net.AddressInfo).port);
  } else {
    const server = await listen({ host: HOST, port: 0, backlog: 4096 }, async (stream) => {
      held.push(stream);
      open++;
      stream.setCloseCallback(lost);
      await stream.readUntil('\n', { maxBytes: 4096 });
    });
    announcePort(server.address().port);
  }
} else {
  // Connect with at most CONCURRENT attempts in flight.
  let started = 0;
  const one = async (): Promise<void> => {
    while (started < count) {
      started++;
      if (impl === 'raw' || impl === 'raw-await') {
        const socket = net.connect({ host: HOST, port: port as number });
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('error', reject);
        });
        // Pending for good in raw-await: the peer never completes the line.
        if (impl === 'raw') onRawSocket(socket);
        else awaitRawLine(socket).catch(() => {});
      } else {
        const stream = await connect({ host: HOST, port: port as number });
        held.push(stream);
        open++;
        stream.setCloseCallback(lost);
        // Pending for good: the peer never completes the line.
        stream.readUntil('\n', { maxBytes: 4096 }).catch(() => {});
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT, count) }, one));
}

/** Bytes received and held, by every connection: raw counts them, raw-await's sockets and our streams know. */
const bytesHeld = () =>
  impl === 'raw'
    ? received
    : impl === 'raw-await'
      ? held.reduce((n: number, s) => n + (s as net.Socket).bytesRead, 0)
      : held.reduce((n: number, s) => n + (s as { readableLength: number }).readableLength, 0);
await until(() => open === count && bytesHeld() === count * expected);
// Let the last reads and their callbacks finish before measuring.
await new Promise((resolve) => setTimeout(resolve, 200));
reportIdle(before, await settledMemory(), count);
