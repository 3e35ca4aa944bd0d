// write([head, body]) over a real socket reaches libuv as one writev (counted on the socket's
// handle: no strace in tests), from connect() and listen() streams alike; and many vectored
// writes against a peer that stops reading arrive intact and resolve in order.
import net from 'node:net';
import type { IOStream } from '@iostream/core';
import { countHandleWrites } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect, listen, type SocketTransport } from '../src/index.js';
import { turn, useRawServer, waitFor } from './helpers.js';

/** The handle writes of the socket under `stream`, counted by method. */
const countStreamWrites = (stream: IOStream) => countHandleWrites((stream.getTransport() as SocketTransport).socket);

const head = Buffer.alloc(200, 0x68);
const body = Buffer.alloc(1024, 0x62);

const server = useRawServer();

it('a connect() stream makes one writev per write([head, body])', async () => {
  await using stream = await connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  let received = 0;
  peer.on('data', (c: Buffer) => {
    received += c.length;
  });
  const counts = countStreamWrites(stream);
  for (let i = 0; i < 20; i++) await stream.write([head, body]);
  expect(Object.fromEntries(counts)).toEqual({ writev: 20 });
  await waitFor(() => received === 20 * 1224, 'the peer received every byte');
});

it('a listen() stream makes one writev per write([head, body]), strings included', async () => {
  let counts: Map<string, number> | undefined;
  let finished = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const srv = await listen({ host: '127.0.0.1', port: 0 }, async (stream) => {
    counts = countStreamWrites(stream);
    for (let i = 0; i < 10; i++) await stream.write(['HTTP/1.1 200 OK\r\n\r\n', body]);
    await stream.end();
    finished();
  });
  try {
    const client = net.connect(srv.address().port, '127.0.0.1');
    let received = 0;
    client.on('data', (c: Buffer) => {
      received += c.length;
    });
    await done;
    await waitFor(() => received === 10 * (19 + 1024), 'the client received every byte');
    client.destroy();
    expect(Object.fromEntries(counts ?? [])).toEqual({ writev: 10 });
  } finally {
    await srv.close();
  }
});

it('many vectored writes to a peer that stops reading arrive intact and resolve in order', async () => {
  await using stream = await connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  const received: Buffer[] = [];
  peer.on('data', (c: Buffer) => received.push(c));
  peer.pause();
  const counts = countStreamWrites(stream);
  const sent: Buffer[] = [];
  const order: number[] = [];
  const writes: Promise<void>[] = [];
  let queuedSeen = false;
  for (let i = 0; i < 400; i++) {
    const chunks = [
      Buffer.alloc(1 + (i % 200), i % 251),
      Buffer.alloc(16384 + i, (i * 7) % 251),
      Buffer.from([i & 0xff]),
    ];
    sent.push(...chunks);
    writes.push(stream.write(chunks).then(() => void order.push(i)));
    queuedSeen ||= stream.writableLength > 0;
    if (i % 100 === 99) await turn();
  }
  expect(queuedSeen).toBe(true);
  peer.resume();
  await Promise.all(writes);
  expect(order).toEqual(writes.map((_, i) => i));
  const total = sent.reduce((n, c) => n + c.length, 0);
  await waitFor(() => received.reduce((n, c) => n + c.length, 0) === total, 'the peer received every byte');
  expect(Buffer.concat(received).equals(Buffer.concat(sent))).toBe(true);
  // Never a handle write per chunk: one writev per write() at most, and queued chunks go over
  // in runs. (How many writes the kernel takes before the peer's pause shows depends on the
  // runtime: Node 22+ buffers up to 64 KiB per socket, so more go straight through there.)
  expect([...counts.keys()]).toEqual(['writev']);
  expect(counts.get('writev')).toBeLessThanOrEqual(writes.length);
});
