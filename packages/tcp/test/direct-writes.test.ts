// Writes over a plain socket go without a callback while nothing is in flight: when the
// kernel takes the bytes before write() returns, the write is done then and there. When it
// does not (the peer stops reading), writes are tracked by callbacks or 'drain' until the
// socket is idle again. Either way every write resolves in order and every byte arrives.
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { turn, useRawServer, waitFor } from './helpers.js';

const server = useRawServer();

it('a small write to an idle socket is done before Node runs its next tick', async () => {
  await using stream = await connect({ host: '127.0.0.1', port: server.port });
  await server.accepted();
  let done = false;
  void stream.write('x').then(() => {
    done = true;
  });
  // Two microtask hops, no process.nextTick in between: a write waiting for its callback is still pending.
  await Promise.resolve();
  await Promise.resolve();
  expect(done).toBe(true);
});

it('writes resolve in order and arrive intact while the kernel alternates between taking them and not', async () => {
  await using stream = await connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  const received: Buffer[] = [];
  peer.on('data', (c: Buffer) => received.push(c));
  peer.pause();
  const sizes = [1, 16, 300, 4096, 65536, 262144, 7, 1 << 20];
  const sent: Buffer[] = [];
  const order: number[] = [];
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 96; i++) {
    const size = sizes[(i * 5) % sizes.length] as number;
    const chunk = Buffer.alloc(size, i % 251);
    sent.push(chunk);
    writes.push(stream.write(chunk).then(() => void order.push(i)));
    // Let the peer read now and then, so the socket goes from full to idle and back.
    if (i % 12 === 11) {
      peer.resume();
      await turn();
      await turn();
      peer.pause();
    }
  }
  peer.resume();
  await Promise.all(writes);
  expect(order).toEqual(writes.map((_, i) => i));
  const total = sent.reduce((n, c) => n + c.length, 0);
  await waitFor(() => received.reduce((n, c) => n + c.length, 0) === total, 'the peer received every byte');
  expect(Buffer.concat(received).equals(Buffer.concat(sent))).toBe(true);
});
