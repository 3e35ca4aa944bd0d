// A half-open stream (allowHalfOpen, the peer's EOF seen, our side still open) whose socket
// is then destroyed without an error, as `server.close({ closeStreams: true })` does to a
// socket a STARTTLS upgrade holds: the stream closes with SocketClosedError, the close
// callback runs, and an end() waiting on queued writes settles. It used to stay open forever:
// the transport took a 'close' after EOF for a clean one.
import { once } from 'node:events';
import net from 'node:net';
import { IOStream, StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { SocketClosedError, SocketTransport } from '../src/index.js';
import { useRawServer, waitFor } from './helpers.js';

const server = useRawServer();

/** A stream over a socket we hold, half-open: the peer sent 'bye' and its FIN, which the stream has read. */
async function halfOpen(): Promise<{ stream: IOStream; socket: net.Socket; peer: net.Socket }> {
  const socket = net.connect({ host: '127.0.0.1', port: server.port });
  await once(socket, 'connect');
  const stream = new IOStream(new SocketTransport(socket), { allowHalfOpen: true });
  const peer = await server.accepted();
  peer.end('bye');
  expect((await stream.readUntilClose()).toString()).toBe('bye');
  expect(stream.closed()).toBe(false);
  return { stream, socket, peer };
}

it('destroying the socket of a half-open stream closes the stream with SocketClosedError', async () => {
  const { stream, socket } = await halfOpen();
  let closes = 0;
  stream.setCloseCallback(() => closes++);
  socket.destroy();
  await waitFor(() => stream.closed(), 'the stream closed');
  expect(stream.error).toBeInstanceOf(SocketClosedError);
  await waitFor(() => closes === 1, 'the close callback ran');
  const write = await stream.write('late').catch((e: unknown) => e);
  expect(write).toBeInstanceOf(StreamClosedError);
  expect((write as StreamClosedError).realError).toBe(stream.error);
});

it('an end() waiting behind a write the peer does not take settles when the socket is destroyed', async () => {
  const { stream, socket, peer } = await halfOpen();
  // The peer reads nothing, so 32 MiB stays queued and end() waits for it.
  peer.pause();
  const write = stream.write(Buffer.alloc(32 * 1024 * 1024)).catch((e: unknown) => e);
  const ended = stream.end().catch((e: unknown) => e);
  await waitFor(() => socket.writableLength > 0, 'the socket holds the write');
  socket.destroy();
  const error = (await ended) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.realError).toBeInstanceOf(SocketClosedError);
  expect(await write).toBeInstanceOf(StreamClosedError);
  expect(stream.closed()).toBe(true);
});
