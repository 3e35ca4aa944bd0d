import net from 'node:net';
import { expect, it, onTestFinished } from 'vitest';
import { countHandleWrites, waitFor } from '../src/index.js';

async function connectedSocket(): Promise<net.Socket> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  onTestFinished(async () => {
    socket.destroy();
    for (const s of accepted) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}

it("counts a socket's handle writes by method: corked chunks as one writev", async () => {
  const socket = await connectedSocket();
  const counts = countHandleWrites(socket);
  socket.cork();
  socket.write(Buffer.from('head'));
  socket.write(Buffer.from('body'));
  socket.uncork();
  await waitFor(() => socket.writableLength === 0, 'the socket wrote everything');
  expect(Object.fromEntries(counts)).toEqual({ writev: 1 });
});

it('throws for a socket without a handle', () => {
  expect(() => countHandleWrites(new net.Socket())).toThrow(/no handle/);
  expect(() => countHandleWrites(null)).toThrow(/no handle/);
});
