// A half-open TLS stream (allowHalfOpen, the peer's EOF seen, our side still open) whose
// socket is then destroyed without an error closes: closed() turns true, stream.error says
// the socket was closed underneath it (tcp's SocketClosedError), the close callback runs.
// The case from the field: `server.close({ closeStreams: true })` on a tcp server while a
// STARTTLS-upgraded connection is half-open.
import { StreamClosedError } from '@iostream/core';
import { SocketClosedError, connect as tcpConnect, listen as tcpListen } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { connect, listen, startTls, type TlsServer, type TlsStream } from '../src/index.js';
import { useCerts } from './certs.js';
import { waitFor } from './helpers.js';

const certs = useCerts();

/** A verified TLS pair whose client is half-open: the server sent 'bye' and ended, the client read it all. */
async function halfOpenPair(): Promise<{ server: TlsServer; client: TlsStream; accepted: TlsStream }> {
  let accept!: (s: TlsStream) => void;
  const serverSide = new Promise<TlsStream>((resolve) => {
    accept = resolve;
  });
  const server = await listen({ host: '127.0.0.1', port: 0, ...certs.server, allowHalfOpen: true }, (s) => accept(s));
  const client = await connect({ host: '127.0.0.1', port: server.address().port, ca: certs.ca, allowHalfOpen: true });
  const accepted = await serverSide;
  await accepted.write('bye');
  await accepted.end();
  expect((await client.readUntilClose()).toString()).toBe('bye');
  expect(client.closed()).toBe(false);
  return { server, client, accepted };
}

it('destroying the socket of a half-open TLS stream closes it and runs the close callback', async () => {
  const { server, client } = await halfOpenPair();
  let closes = 0;
  client.setCloseCallback(() => closes++);
  client.socket.destroy();
  await waitFor(() => client.closed(), 'the half-open stream closed');
  expect(client.error).toBeInstanceOf(SocketClosedError);
  await waitFor(() => closes === 1, 'the close callback ran');
  expect(await client.write('late').catch((e: unknown) => e)).toBeInstanceOf(StreamClosedError);
  await server.close({ closeStreams: true });
});

it('server.close({ closeStreams: true }) closes a half-open STARTTLS stream', async () => {
  let upgraded!: (s: TlsStream) => void;
  const serverSide = new Promise<TlsStream>((resolve) => {
    upgraded = resolve;
  });
  const server = await tcpListen({ host: '127.0.0.1', port: 0, allowHalfOpen: true }, async (plain) => {
    await plain.readUntil('STARTTLS\r\n', { maxBytes: 64 });
    await plain.write('220 go\r\n');
    upgraded(await startTls(plain, { serverSide: true, ...certs.server }));
  });
  const plain = await tcpConnect({ host: '127.0.0.1', port: server.address().port });
  await plain.write('STARTTLS\r\n');
  await plain.readUntil('\r\n');
  const client = await startTls(plain, { servername: 'localhost', ca: certs.ca });
  const secure = await serverSide;
  // The client finishes its side: the server's stream is half-open, still writable.
  await client.end();
  expect((await secure.readUntilClose()).length).toBe(0);
  expect(secure.closed()).toBe(false);
  let closes = 0;
  secure.setCloseCallback(() => closes++);
  // Destroys the socket under the upgraded stream, without an error.
  await server.close({ closeStreams: true });
  await waitFor(() => secure.closed(), 'the half-open STARTTLS stream closed');
  expect(secure.error).toBeInstanceOf(SocketClosedError);
  await waitFor(() => closes === 1, 'the close callback ran');
  expect(await secure.end().catch((e: unknown) => e)).toBeInstanceOf(StreamClosedError);
  client.close();
});
