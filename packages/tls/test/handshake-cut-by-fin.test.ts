// A server that closes the connection (a clean FIN, no TLS alert) in the middle of the
// handshake is a failure with a cause, not the caller's own close: every way of waiting
// for the handshake rejects with StreamClosedError whose realError is HandshakeEofError
// (code ERR_TLS_HANDSHAKE_EOF, cause: the ECONNRESET Node's own client reports), and
// stream.error is set to it. The server here is plain TCP: it reads the ClientHello and ends.
import net from 'node:net';
import { StreamClosedError } from '@iostream/core';
import { connect as tcpConnect, listen as tcpListen } from '@iostream/tcp';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connect, createConnection, HandshakeEofError, startTls } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection } from './helpers.js';

const certs = useCerts();
let server: net.Server;
let port: number;

beforeEach(async () => {
  // Reads the first bytes the client sends (its ClientHello), then sends FIN.
  server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => s.end());
    s.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function expectHandshakeEof(error: unknown): HandshakeEofError {
  expect(error).toBeInstanceOf(StreamClosedError);
  const real = (error as StreamClosedError).realError;
  expect(real).toBeInstanceOf(HandshakeEofError);
  expect(real).toMatchObject({ name: 'HandshakeEofError', code: 'ERR_TLS_HANDSHAKE_EOF' });
  expect((real as Error).cause).toMatchObject({ code: 'ECONNRESET' });
  return real as HandshakeEofError;
}

it('connect: rejects with HandshakeEofError and releases the socket', async () => {
  const before = activeResources();
  expectHandshakeEof(await rejection(connect({ host: '127.0.0.1', port, ca: certs.ca })));
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('createConnection: connected, a queued write, waitForHandshake and stream.error all name it', async () => {
  const { stream, connected } = createConnection({ host: '127.0.0.1', port, ca: certs.ca });
  const write = stream.write('queued until the handshake is done');
  const waiting = stream.waitForHandshake();
  const closed = new Promise<void>((resolve) => stream.setCloseCallback(resolve));
  const real = expectHandshakeEof(await rejection(connected));
  expect(expectHandshakeEof(await rejection(write))).toBe(real);
  expect(expectHandshakeEof(await rejection(waiting))).toBe(real);
  expect(stream.error).toBe(real);
  // Asked after the failure, too.
  expect(expectHandshakeEof(await rejection(stream.waitForHandshake()))).toBe(real);
  await closed;
});

it('startTls (client side): rejects with HandshakeEofError and runs the close callback', async () => {
  const plain = await tcpConnect({ host: '127.0.0.1', port });
  const closed = new Promise<void>((resolve) => plain.setCloseCallback(resolve));
  expectHandshakeEof(await rejection(startTls(plain, { servername: 'localhost', ca: certs.ca })));
  await closed;
});

it('startTls (client side) over a server stream from @iostream/tcp listen', async () => {
  // The same with the plain side accepted by our own listen, the peer being the one that ends.
  let upgrade!: (e: unknown) => void;
  const outcome = new Promise<unknown>((resolve) => {
    upgrade = resolve;
  });
  const tcp = await tcpListen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    upgrade(await rejection(startTls(plain, { servername: 'localhost', ca: certs.ca })));
  });
  const peer = net.connect(tcp.address().port, '127.0.0.1');
  peer.on('error', () => {});
  peer.once('data', () => peer.end());
  peer.resume();
  expectHandshakeEof(await outcome);
  await tcp.close({ closeStreams: true });
});
