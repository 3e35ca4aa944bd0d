// A socket that fails with a value that is not an Error (`socket.destroy('x')`, a subclass
// emitting a plain object) closes the stream with a SocketFailedError whose `cause` is the
// value. Core's close() takes only Errors: handed the raw value it threw from inside the
// socket's 'error' event (an uncaught exception) and the stream stayed open.
import type net from 'node:net';
import { type IOStream, StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { connect, createConnection, SocketFailedError, type SocketTransport } from '../src/index.js';
import { useRawServer, waitFor } from './helpers.js';

const server = useRawServer();

async function connected(): Promise<{ stream: IOStream; socket: net.Socket }> {
  const stream = await connect({ host: '127.0.0.1', port: server.port });
  await server.accepted();
  return { stream, socket: (stream.getTransport() as SocketTransport).socket };
}

it.each([
  ['destroyed with a string', (socket: net.Socket) => socket.destroy('x' as unknown as Error), 'x'],
  ['emitting a plain object', (socket: net.Socket) => socket.emit('error', { reason: 'boom' }), { reason: 'boom' }],
])('a socket %s: the pending read rejects with SocketFailedError wrapping the value', async (_how, fail, value) => {
  const { stream, socket } = await connected();
  let closes = 0;
  stream.setCloseCallback(() => closes++);
  const read = stream.readBytes(1).catch((e: unknown) => e);
  fail(socket);
  const error = (await read) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.realError).toBeInstanceOf(SocketFailedError);
  expect(error.realError).toMatchObject({ code: 'ERR_SOCKET_FAILED', name: 'SocketFailedError' });
  expect(error.realError?.cause).toEqual(value);
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(error.realError);
  await waitFor(() => closes === 1, 'the close callback ran');
  expect(socket.destroyed).toBe(true);
});

it('a connecting socket destroyed with a string: connected rejects with SocketFailedError, as does the stream', async () => {
  const { stream, connected } = createConnection({ host: '127.0.0.1', port: server.port });
  (stream.getTransport() as SocketTransport).socket.destroy('x' as unknown as Error);
  const error = (await connected.catch((e: unknown) => e)) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.realError).toBeInstanceOf(SocketFailedError);
  expect(error.realError?.cause).toBe('x');
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(error.realError);
});
