// stream.setNoDelay() reaches the socket, and fileno() is the socket's descriptor (-1 once released).
import type { Socket } from 'node:net';
import { expect, it, vi } from 'vitest';
import { connect, type SocketTransport } from '../src/index.js';
import { useRawServer } from './helpers.js';

const server = useRawServer();

it('setNoDelay(on) calls socket.setNoDelay(on)', async () => {
  const stream = await connect({ host: '127.0.0.1', port: server.port });
  const socket: Socket = (stream.getTransport() as SocketTransport).socket;
  const spy = vi.spyOn(socket, 'setNoDelay');
  stream.setNoDelay(true);
  stream.setNoDelay(false);
  expect(spy.mock.calls).toEqual([[true], [false]]);
  stream.close();
});

it.skipIf(process.platform === 'win32')(
  'fileno() is the descriptor of a connected socket, -1 after close',
  async () => {
    const stream = await connect({ host: '127.0.0.1', port: server.port });
    const fd = stream.fileno();
    expect(Number.isInteger(fd) && fd > 2).toBe(true);
    stream.close();
    expect(stream.fileno()).toBe(-1);
  },
);
