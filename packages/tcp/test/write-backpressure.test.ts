// Backpressure on the way out: while the peer does not read, queued writes pile
// up, needsDrain turns true and drained() waits; once the peer reads, it resolves.
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { turn, useRawServer, waitFor } from './helpers.js';

const server = useRawServer();

it('needsDrain turns true while the peer is not reading; drained() resolves once it reads', async () => {
  const stream = await connect({ host: '127.0.0.1', port: server.port, writeHighWaterMark: 1 << 20 });
  const peer = await server.accepted();
  peer.pause();
  const chunk = Buffer.alloc(1 << 20, 0x62);
  let written = 0;
  const writes: Promise<void>[] = [];
  // Bounded: loopback kernel buffers hold a few MiB at most.
  for (let i = 0; i < 256 && !stream.needsDrain; i++) {
    writes.push(stream.write(chunk));
    written += chunk.length;
    await turn();
  }
  expect(stream.needsDrain).toBe(true);
  let drained = false;
  const drainedPromise = stream.drained().then(() => {
    drained = true;
  });
  for (let i = 0; i < 50; i++) await turn();
  expect(drained).toBe(false);
  let received = 0;
  peer.on('data', (c: Buffer) => {
    received += c.length;
  });
  peer.resume();
  await drainedPromise;
  expect(stream.needsDrain).toBe(false);
  await Promise.all(writes);
  await waitFor(() => received === written, 'the peer received every byte');
  stream.close();
});
