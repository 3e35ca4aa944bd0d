// SocketTransport.release() (added to @iostream/tcp for startTls) gives the socket up
// without destroying it: its listeners come off, the socket is paused, and the chunks it
// had stashed for core come back, oldest first.
import net from 'node:net';
import { EOF } from '@iostream/core';
import { SocketTransport } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { waitFor } from './helpers.js';

it('returns stashed chunks, removes its listeners, pauses, and never destroys the socket', async () => {
  const accepted: net.Socket[] = [];
  const server = net.createServer((s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const socket = net.connect({
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    allowHalfOpen: true,
  });
  const counts = () => ['data', 'end', 'drain', 'error', 'close', 'connect'].map((e) => socket.listenerCount(e));
  const initial = counts();
  const transport = new SocketTransport(socket);
  let readable = 0;
  transport.watch({ readable: () => void readable++, writable: () => {}, error: () => {} });
  await waitFor(() => accepted.length === 1, 'accepted');
  transport.setReadInterest(true);
  accepted[0]?.write('first');
  await waitFor(() => readable >= 1, 'a chunk arrived');
  accepted[0]?.write('second');
  await waitFor(() => readable >= 2, 'another chunk arrived');

  const chunks = transport.release();
  expect(Buffer.concat(chunks).toString()).toBe('firstsecond');
  expect(counts()).toEqual(initial);
  expect(socket.isPaused()).toBe(true);
  expect(socket.destroyed).toBe(false);
  // Inert afterwards: nothing left to read, closeFd does not destroy, a second release returns nothing.
  expect(transport.readFromFd()).toBeNull();
  transport.closeFd();
  expect(socket.destroyed).toBe(false);
  expect(transport.release()).toEqual([]);
  expect(transport.readFromFd()).not.toBe(EOF);

  socket.destroy();
  accepted[0]?.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
