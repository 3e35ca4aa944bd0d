// listen() streams read like connect() streams: Node reads an accepted socket straight into
// a SlabReader's slabs (net.Server has no `onread` option, so the socket's `onread` slots are
// set before it reads anything). On a socket already reading, nothing is changed.
import { once } from 'node:events';
import net from 'node:net';
import { IOStream } from '@iostream/core';
import { afterEach, expect, it } from 'vitest';
import { readAcceptedIntoSlabs } from '../src/accepted-slab-reads.js';
import { SocketTransport } from '../src/index.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

/** A server with the given `pauseOnConnect`, and a client connected to it; resolves with both sockets. */
async function pair(pauseOnConnect: boolean): Promise<{ accepted: net.Socket; client: net.Socket }> {
  const server = net.createServer({ pauseOnConnect, allowHalfOpen: true });
  cleanup.push(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  cleanup.push(() => client.destroy());
  const [accepted] = (await once(server, 'connection')) as [net.Socket];
  cleanup.push(() => accepted.destroy());
  return { accepted, client };
}

it('an accepted socket paused on connect reads into slabs, with no data events', async () => {
  const { accepted, client } = await pair(true);
  const reader = readAcceptedIntoSlabs(accepted);
  // Node 20 keeps onread in the slots this relies on: if a Node upgrade moves them, this says so.
  expect(reader).toBeDefined();
  const stream = new IOStream(new SocketTransport(accepted, reader === undefined ? {} : { reader }));
  expect(accepted.listenerCount('data')).toBe(0);
  client.write('hel');
  client.write('lo\nwor');
  client.end('ld');
  expect((await stream.readUntil('\n')).toString()).toBe('hello\n');
  expect((await stream.readBytes(5)).toString()).toBe('world');
  expect((await stream.readUntilClose()).length).toBe(0);
  stream.close();
});

it('a socket that is already reading is left to data events', async () => {
  const { accepted, client } = await pair(false);
  expect(readAcceptedIntoSlabs(accepted)).toBeUndefined();
  const stream = new IOStream(new SocketTransport(accepted));
  client.end('still\n');
  expect((await stream.readUntil('\n')).toString()).toBe('still\n');
  stream.close();
});

it('a destroyed socket (no handle) is left alone', async () => {
  const { accepted } = await pair(true);
  accepted.destroy();
  expect(readAcceptedIntoSlabs(accepted)).toBeUndefined();
});

it('a handle that refuses the slab leaves the socket reading through data events', async () => {
  const { accepted, client } = await pair(true);
  const handle = (accepted as unknown as { _handle: { useUserBuffer: (b: Uint8Array) => void } })._handle;
  handle.useUserBuffer = () => {
    throw new Error('refused');
  };
  expect(readAcceptedIntoSlabs(accepted)).toBeUndefined();
  const stream = new IOStream(new SocketTransport(accepted));
  client.end('intact\n');
  expect((await stream.readUntil('\n')).toString()).toBe('intact\n');
  stream.close();
});

it('a handle without useUserBuffer (as on Bun) is left to data events', async () => {
  const { accepted, client } = await pair(true);
  const handle = (accepted as unknown as { _handle: { useUserBuffer?: unknown } })._handle;
  // Shadows the prototype's method on this one handle: what a runtime without it looks like.
  handle.useUserBuffer = undefined;
  expect(readAcceptedIntoSlabs(accepted)).toBeUndefined();
  const stream = new IOStream(new SocketTransport(accepted));
  expect(accepted.listenerCount('data')).toBe(1);
  const sent = Buffer.alloc(1 << 20, 0x5a);
  client.end(sent);
  expect((await stream.readBytes(sent.length)).equals(sent)).toBe(true);
  expect((await stream.readUntilClose()).length).toBe(0);
  stream.close();
});
