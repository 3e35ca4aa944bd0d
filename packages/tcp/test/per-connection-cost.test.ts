// What an accepted connection costs before it does anything: a server holds thousands of
// streams that only wait to read, so the write side's machinery and its 'drain' listener are
// made by the first write that needs them, and the server takes each connection with one
// listener, and its socket carries one 'close' listener (the server's, which passes the close
// on to the transport). Behaviour is unchanged: a write that fills the socket still waits for
// the peer, and a socket destroyed under a stream still closes it with SocketClosedError.
import type net from 'node:net';
import type { IOStream } from '@iostream/core';
import { closedAfter } from '@iostream/testkit';
import { afterEach, expect, it } from 'vitest';
import { connect, listen, SocketClosedError, type TcpServer } from '../src/index.js';
import { waitFor } from './helpers.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** The socket and the lazily made write side under a stream from `listen()`. */
function internals(stream: IOStream): { socket: net.Socket; writes: unknown } {
  return stream.getTransport() as unknown as { socket: net.Socket; writes: unknown };
}

/** A server whose handler leaves a read pending; resolves with it and the first accepted stream. */
async function serverWithIdleStream(): Promise<{ server: TcpServer; accepted: IOStream; client: IOStream }> {
  let accepted: IOStream | undefined;
  const server = await listen({ host: '127.0.0.1', port: 0 }, (stream) => {
    accepted = stream;
    // Left pending: the stream waits to read, as a server's idle connections do.
    stream.readUntil('\n').catch(() => {});
  });
  cleanup.push(() => server.close({ closeStreams: true }));
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  cleanup.push(() => client.close());
  await waitFor(() => accepted !== undefined, 'the server accepted');
  return { server, accepted: accepted as IOStream, client };
}

it('a stream that only waits to read has no write machinery and no drain listener', async () => {
  const { server, accepted } = await serverWithIdleStream();
  const { socket, writes } = internals(accepted);
  expect(writes).toBeNull();
  expect(socket.listenerCount('drain')).toBe(0);
  // One 'connection' listener for tracking and serving both (two would be copied per connection).
  const netServer = (server as unknown as { server: net.Server }).server;
  expect(netServer.listenerCount('connection')).toBe(1);
  // A small write makes the write side, and still needs no 'drain' (the kernel took it whole).
  await accepted.write('hello\n');
  expect(internals(accepted).writes).not.toBeNull();
  expect(socket.listenerCount('drain')).toBe(0);
});

it('a write that fills the socket listens for drain, and completes once the peer reads', async () => {
  const { accepted, client } = await serverWithIdleStream();
  const { socket } = internals(accepted);
  // More than loopback's buffers hold while the client reads nothing: the socket refuses more.
  const big = Buffer.alloc(16 << 20);
  for (let i = 0; i < big.length; i += 4096) big[i] = (i >> 12) & 0xff;
  let done = false;
  const written = accepted.write(big).then(() => {
    done = true;
  });
  await waitFor(() => socket.listenerCount('drain') === 1, 'the transport listens for drain');
  expect(done).toBe(false);
  const received = await client.readBytes(big.length);
  await written;
  expect(received.equals(big)).toBe(true);
  // Listened for once, not once per blocked write.
  const again = client.readBytes(big.length);
  await accepted.write(big);
  expect((await again).length).toBe(big.length);
  expect(socket.listenerCount('drain')).toBe(1);
});

it("an accepted socket has one 'close' listener, and its close still reaches the stream", async () => {
  const { server, accepted } = await serverWithIdleStream();
  const { socket } = internals(accepted);
  expect(socket.listenerCount('close')).toBe(1);
  // Destroyed by someone else, without an error and with both ways open: only the socket's
  // 'close' says so, and the stream must not pass it off as a clean EOF.
  await closedAfter(accepted, () => socket.destroy());
  expect(accepted.error).toBeInstanceOf(SocketClosedError);
  expect((accepted.error as SocketClosedError).code).toBe('ERR_SOCKET_CLOSED');
  await waitFor(() => server.connections === 0, 'the server forgot the connection');
});

it("a half-open accepted stream learns from the socket's 'close' that it is gone", async () => {
  let accepted: IOStream | undefined;
  let received: Promise<Buffer> | undefined;
  const server = await listen({ host: '127.0.0.1', port: 0, allowHalfOpen: true }, (stream) => {
    accepted = stream;
    received = stream.readUntilClose();
  });
  cleanup.push(() => server.close({ closeStreams: true }));
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  cleanup.push(() => client.close());
  // The client's last bytes and FIN: the accepted stream reads them and stays open to write.
  await client.write('bye');
  await client.end();
  await waitFor(() => received !== undefined, 'the server accepted');
  expect((await received)?.toString()).toBe('bye');
  const stream = accepted as IOStream;
  expect(stream.closed()).toBe(false);
  // Only the socket's 'close' can tell this stream (its EOF already seen) that it is gone.
  await closedAfter(stream, () => internals(stream).socket.destroy());
  expect(stream.error).toBeInstanceOf(SocketClosedError);
});
