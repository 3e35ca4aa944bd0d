// Tornado's "fd closed underneath" case: the socket is destroyed by someone other
// than the stream while a read is pending. The read rejects with StreamClosedError
// whose realError is SocketClosedError (code ERR_SOCKET_CLOSED), not a clean EOF.
import type { Socket } from 'node:net';
import { StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { connect, SocketClosedError, type SocketTransport } from '../src/index.js';
import { useRawServer } from './helpers.js';

const server = useRawServer();

it('a pending read rejects with realError SocketClosedError and the stream closes', async () => {
  const stream = await connect({ host: '127.0.0.1', port: server.port });
  const read = stream.readUntil('\n').catch((e: unknown) => e);
  const socket: Socket = (stream.getTransport() as SocketTransport).socket;
  socket.destroy();
  const error = await read;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toBeInstanceOf(SocketClosedError);
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'ERR_SOCKET_CLOSED' });
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBeInstanceOf(SocketClosedError);
});
