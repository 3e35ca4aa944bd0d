// A TLS socket that fails with a value that is not an Error (`socket.destroy('x')`, an
// 'error' event carrying a plain object) closes its stream with an Error whose cause is
// that value: during the handshake (the handshake fails with it) and after it (the pending
// read rejects with it). Nothing is thrown uncaught, and no socket is left behind.
import net from 'node:net';
import { StreamClosedError } from '@iostream/core';
import { SocketFailedError } from '@iostream/tcp';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { createConnection } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection, tlsPair, waitFor } from './helpers.js';

const certs = useCerts();

function expectWrapped(error: unknown, value: unknown): Error {
  expect(error).toBeInstanceOf(StreamClosedError);
  const real = (error as StreamClosedError).realError;
  expect(real).toBeInstanceOf(Error);
  expect(real).toBeInstanceOf(SocketFailedError);
  expect((real as Error).cause).toEqual(value);
  return real as Error;
}

it('during the handshake: socket.destroy("x") fails connected, waitForHandshake and stream.error with an Error', async () => {
  const before = activeResources();
  // A server that accepts and never answers, so the handshake stays under way.
  const held: net.Socket[] = [];
  const silent = net.createServer((s) => {
    held.push(s);
    s.on('error', () => {});
    s.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as net.AddressInfo).port;
  const { stream, connected } = createConnection({ host: '127.0.0.1', port, ca: certs.ca });
  const waiting = stream.waitForHandshake();
  const closed = new Promise<void>((resolve) => stream.setCloseCallback(resolve));
  await waitFor(() => held.length === 1 && !stream.socket.connecting, 'the TCP connection is up');
  stream.socket.destroy('x' as never);
  const real = expectWrapped(await rejection(connected), 'x');
  expect(expectWrapped(await rejection(waiting), 'x')).toBe(real);
  expect(stream.error).toBe(real);
  await closed;
  for (const s of held) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('after the handshake: destroy with a string rejects the pending read with an Error', async () => {
  const { server, client, accepted } = await tlsPair(certs);
  const reading = client.readUntil('\n');
  client.socket.destroy('x' as never);
  const real = expectWrapped(await rejection(reading), 'x');
  expect(client.error).toBe(real);
  expect(client.closed()).toBe(true);
  accepted.close();
  await server.close({ closeStreams: true });
});

it("after the handshake: an 'error' event with a plain object closes the stream with an Error", async () => {
  const { server, client, accepted } = await tlsPair(certs);
  const reading = client.readBytes(1);
  const value = { code: 'EWEIRD', detail: 'not an Error' };
  client.socket.emit('error', value);
  expectWrapped(await rejection(reading), value);
  expect(client.error).toBeInstanceOf(Error);
  accepted.close();
  await server.close({ closeStreams: true });
});
