// connect({ path }) and listen({ path }): the same streams as over TCP, on a Unix domain
// socket in a temp dir, through the same fast paths (slab reads on both ends, zero-copy writes).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type { IOStream } from '@iostream/core';
import { afterAll, expect, it } from 'vitest';
import { connect, createConnection, listen, type SocketTransport, type TcpServer } from '../src/index.js';
import { socketDir } from './unix-socket-dir.js';

const dir = socketDir();
afterAll(() => dir.remove());

/** An echo server: each line back as it came. */
function echoLines(stream: IOStream): Promise<void> {
  return (async () => {
    for (;;) await stream.write(await stream.readUntil('\n', { maxBytes: 65536 }));
  })();
}

/** Whether `stream` reads through a slab reader (no 'data' listener on its socket). */
function readsIntoSlabs(stream: IOStream): boolean {
  return (stream.getTransport() as SocketTransport).socket.listenerCount('data') === 0;
}

it('serves lines over listen({ path }) and connect({ path }), both ends reading into slabs', async () => {
  const socketPath = dir.next();
  const accepted: IOStream[] = [];
  const server = await listen({ path: socketPath }, (stream) => {
    accepted.push(stream);
    return echoLines(stream);
  });
  try {
    expect(server.path).toBe(socketPath);
    expect(statSync(socketPath).isSocket()).toBe(true);
    const client = await connect({ path: socketPath, timeout: 5000 });
    await client.write('hello over a unix socket\n');
    expect((await client.readUntil('\n')).toString()).toBe('hello over a unix socket\n');
    expect(readsIntoSlabs(client)).toBe(true);
    expect(accepted).toHaveLength(1);
    expect(readsIntoSlabs(accepted[0] as IOStream)).toBe(true);
    expect(client.fileno()).toBeGreaterThanOrEqual(0);
    expect(server.connections).toBe(1);
    client.close();
  } finally {
    await server.close({ closeStreams: true });
  }
});

it('createConnection({ path }) sends writes queued before the connection was up, connected first', async () => {
  const socketPath = dir.next();
  const server = await listen({ path: socketPath }, echoLines);
  try {
    const order: string[] = [];
    const { stream, connected } = createConnection({ path: socketPath });
    const sent = stream.write('early\n').then(() => order.push('write'));
    await connected.then(() => order.push('connected'));
    await sent;
    expect(order).toEqual(['connected', 'write']);
    expect((await stream.readUntil('\n')).toString()).toBe('early\n');
    stream.close();
  } finally {
    await server.close({ closeStreams: true });
  }
});

it('moves 8 MiB each way intact, with the stream options applied to both ends', async () => {
  const socketPath = dir.next();
  const size = 8 * 1024 * 1024;
  const data = randomBytes(size);
  const digest = createHash('sha256').update(data).digest('hex');
  let serverSaw = '';
  const server = await listen({ path: socketPath, readChunkSize: 16384 }, async (stream) => {
    const received = await stream.readBytes(size);
    serverSaw = createHash('sha256').update(received).digest('hex');
    await stream.write(received);
    await stream.end();
  });
  try {
    const client = await connect({ path: socketPath, maxBufferSize: size });
    const writing = client.write(data);
    const back = await client.readUntilClose();
    await writing;
    expect(serverSaw).toBe(digest);
    expect(back.length).toBe(size);
    expect(createHash('sha256').update(back).digest('hex')).toBe(digest);
    client.close();
  } finally {
    await server.close({ closeStreams: true });
  }
});

it('server.close() removes the socket file; address() throws and points to server.path', async () => {
  const socketPath = dir.next();
  const server: TcpServer = await listen({ path: socketPath }, () => {});
  expect(() => server.address()).toThrow(TypeError);
  expect(() => server.address()).toThrow(/server\.path/);
  expect(existsSync(socketPath)).toBe(true);
  await server.close();
  expect(existsSync(socketPath)).toBe(false);
  expect(server.path).toBe(socketPath);
  // The path is free again: a new server can take it.
  const again = await listen({ path: socketPath }, () => {});
  expect(again.path).toBe(socketPath);
  await again.close();
});
