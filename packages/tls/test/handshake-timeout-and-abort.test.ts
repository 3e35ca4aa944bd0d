// A handshake can be given a timeout (HandshakeTimeoutError, code ERR_TLS_HANDSHAKE_TIMEOUT)
// or an AbortSignal (core's AbortError); either way the promise rejects with
// StreamClosedError carrying it, and the socket is destroyed: no handle or timer is left.
// The peer here is a raw TCP server that accepts and never speaks TLS.
import { AbortError, StreamClosedError } from '@iostream/core';
import { connect as tcpConnect, listen as tcpListen } from '@iostream/tcp';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect, HandshakeTimeoutError, listen, startTls } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection, reports } from './helpers.js';
import { useSilentServer } from './silent-server.js';

const certs = useCerts();
const silent = useSilentServer();

function expectTimeout(error: unknown): void {
  expect(error).toBeInstanceOf(StreamClosedError);
  const real = (error as StreamClosedError).realError;
  expect(real).toBeInstanceOf(HandshakeTimeoutError);
  expect(real).toMatchObject({ name: 'HandshakeTimeoutError', code: 'ERR_TLS_HANDSHAKE_TIMEOUT' });
}

it('connect: handshakeTimeout rejects and releases the socket', async () => {
  const before = activeResources();
  expectTimeout(await rejection(connect({ host: '127.0.0.1', port: silent.port, ca: certs.ca, handshakeTimeout: 30 })));
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('connect: aborting the signal mid-handshake rejects with AbortError and releases the socket', async () => {
  const before = activeResources();
  const controller = new AbortController();
  const connecting = connect({ host: '127.0.0.1', port: silent.port, ca: certs.ca, signal: controller.signal });
  silent.server.once('connection', () => setImmediate(() => controller.abort()));
  const error = await rejection(connecting);
  expect((error as StreamClosedError).realError).toBeInstanceOf(AbortError);
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'ABORT_ERR' });
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('startTls (client side): handshakeTimeout rejects, destroys the socket, runs the close callback', async () => {
  const before = activeResources();
  const plain = await tcpConnect({ host: '127.0.0.1', port: silent.port });
  const closed = new Promise<void>((resolve) => plain.setCloseCallback(resolve));
  expectTimeout(await rejection(startTls(plain, { servername: 'localhost', ca: certs.ca, handshakeTimeout: 30 })));
  await closed;
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('startTls (server side): a client that never sends a ClientHello times out', async () => {
  const before = activeResources();
  let outcome!: (e: unknown) => void;
  const serverError = new Promise<unknown>((resolve) => {
    outcome = resolve;
  });
  const server = await tcpListen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    outcome(await rejection(startTls(plain, { serverSide: true, ...certs.server, handshakeTimeout: 30 })));
  });
  const client = await tcpConnect({ host: '127.0.0.1', port: server.address().port });
  expectTimeout(await serverError);
  // The client sees the connection go.
  expect((await client.readUntilClose()).length).toBe(0);
  await server.close({ closeStreams: true });
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('startTls (server side): aborting the signal rejects with AbortError', async () => {
  const controller = new AbortController();
  let outcome!: (e: unknown) => void;
  const serverError = new Promise<unknown>((resolve) => {
    outcome = resolve;
  });
  const server = await tcpListen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    const upgrading = startTls(plain, { serverSide: true, ...certs.server, signal: controller.signal });
    controller.abort();
    outcome(await rejection(upgrading));
  });
  const client = await tcpConnect({ host: '127.0.0.1', port: server.address().port });
  expect(((await serverError) as StreamClosedError).realError).toBeInstanceOf(AbortError);
  client.close();
  await server.close({ closeStreams: true });
});

it('listen: a client that never finishes its handshake is dropped and reported, onStream not called', async () => {
  const before = activeResources();
  const r = reports();
  let calls = 0;
  const server = await listen(
    { host: '127.0.0.1', port: 0, ...certs.server, handshakeTimeout: 30, onError: r.onError },
    () => void calls++,
  );
  const client = await tcpConnect({ host: '127.0.0.1', port: server.address().port });
  const error = await r.first;
  expect(error).toBeInstanceOf(HandshakeTimeoutError);
  expect(r.errors[0]?.[1]).toBeNull();
  expect(calls).toBe(0);
  expect((await client.readUntilClose()).length).toBe(0);
  await server.close({ closeStreams: true });
  expect(await waitForNoNewResources(before)).toEqual([]);
});
