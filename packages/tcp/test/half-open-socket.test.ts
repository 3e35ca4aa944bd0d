// SocketTransport makes any socket half-open capable: the stream, not Node, decides what the
// peer's EOF means for the writing side, whatever the socket was created with.
import { once } from 'node:events';
import net from 'node:net';
import { IOStream } from '@iostream/core';
import { expect, it } from 'vitest';
import { SocketTransport } from '../src/index.js';

it('a socket from a server without allowHalfOpen can still answer after the peer ends', async () => {
  const server = net.createServer(); // allowHalfOpen: false, Node's default
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const client = net.connect({
    port: (server.address() as net.AddressInfo).port,
    host: '127.0.0.1',
    allowHalfOpen: true,
  });
  const [socket] = await accepted;
  expect(socket.allowHalfOpen).toBe(false);
  const stream = new IOStream(new SocketTransport(socket), { allowHalfOpen: true });
  expect(socket.allowHalfOpen).toBe(true);
  const received: Buffer[] = [];
  client.on('data', (chunk: Buffer) => received.push(chunk));
  const clientDone = once(client, 'end');
  client.end('question\n');
  expect((await stream.readUntilClose()).toString()).toBe('question\n');
  // Node would have ended the socket at the peer's EOF; the stream still writes.
  await stream.write('answer\n');
  await stream.end();
  await clientDone;
  expect(Buffer.concat(received).toString()).toBe('answer\n');
  stream.close();
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});
