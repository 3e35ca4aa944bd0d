// Small writes made in one turn (a loop with no await between them) reach libuv as two handle
// writes, whatever their number: the first at once, the rest as one writev when the turn ends
// (coalesceWrites, on by default). Counted on the socket's handle: no strace, no timing.
import net from 'node:net';
import type { IOStream } from '@iostream/core';
import { countHandleWrites } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect, listen, type SocketTransport } from '../src/index.js';
import { useRawServer, waitFor } from './helpers.js';

const countStreamWrites = (stream: IOStream) => countHandleWrites((stream.getTransport() as SocketTransport).socket);

/** 50 distinct small messages, and all of them as the peer should receive them. */
const messages = Array.from({ length: 50 }, (_, i) => Buffer.from(`message ${i}\n`));
const all = Buffer.concat(messages);

const server = useRawServer();

/** What the raw server's side of the next connection receives. */
async function peerBytes(): Promise<Buffer[]> {
  const peer = await server.accepted();
  const received: Buffer[] = [];
  peer.on('data', (c: Buffer) => received.push(c));
  return received;
}

it('a connect() stream: 50 writes in one turn are one write and one writev', async () => {
  await using stream = await connect({ host: '127.0.0.1', port: server.port });
  const received = await peerBytes();
  const counts = countStreamWrites(stream);
  const writes = messages.map((m) => stream.write(m));
  expect(Object.fromEntries(counts)).toEqual({ writeBuffer: 1 });
  await Promise.all(writes);
  expect(Object.fromEntries(counts)).toEqual({ writeBuffer: 1, writev: 1 });
  await waitFor(() => Buffer.concat(received).length === all.length, 'the peer received every byte');
  expect(Buffer.concat(received).equals(all)).toBe(true);
});

it('with coalesceWrites: false, each of them is a write of its own', async () => {
  await using stream = await connect({ host: '127.0.0.1', port: server.port, coalesceWrites: false });
  const received = await peerBytes();
  const counts = countStreamWrites(stream);
  await Promise.all(messages.map((m) => stream.write(m)));
  expect(Object.fromEntries(counts)).toEqual({ writeBuffer: 50 });
  await waitFor(() => Buffer.concat(received).length === all.length, 'the peer received every byte');
  expect(Buffer.concat(received).equals(all)).toBe(true);
});

it('a listen() stream answering a pipelined batch: two writes for the batch, every reply in order, then end()', async () => {
  const requests = messages.map((_, i) => `${i}\n`);
  const batch = requests.join('');
  let counts: Map<string, number> | undefined;
  const srv = await listen({ host: '127.0.0.1', port: 0 }, async (stream) => {
    counts = countStreamWrites(stream);
    // The whole batch, then a reply per request, written in one turn.
    const lines = (await stream.readBytes(batch.length)).toString().split('\n').slice(0, -1);
    for (const line of lines) void stream.write(`reply to ${line}\n`);
    await stream.end();
  });
  try {
    const client = net.connect(srv.address().port, '127.0.0.1');
    const received: Buffer[] = [];
    client.on('data', (c: Buffer) => received.push(c));
    const ended = new Promise((resolve) => client.on('end', resolve));
    client.write(batch);
    await ended;
    client.destroy();
    expect(Buffer.concat(received).toString()).toBe(requests.map((r) => `reply to ${r}`).join(''));
    expect(Object.fromEntries(counts ?? [])).toEqual({ writeBuffer: 1, writev: 1 });
  } finally {
    await srv.close();
  }
});
