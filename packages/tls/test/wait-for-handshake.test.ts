// Tornado's wait_for_handshake cases on a stream from createConnection (handed over
// before its handshake): pending until done; a second call while one waits rejects with
// AlreadyWaitingError; after the handshake it resolves at once; after a failed one it
// rejects with StreamClosedError.
import { StreamClosedError } from '@iostream/core';
import { afterEach, expect, it } from 'vitest';
import { AlreadyWaitingError, createConnection, listen, type TlsServer } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection, turn } from './helpers.js';

const certs = useCerts();
let server: TlsServer | null = null;
afterEach(async () => {
  await server?.close({ closeStreams: true });
  server = null;
});

async function echoServer(cert = certs.server): Promise<number> {
  server = await listen({ host: '127.0.0.1', port: 0, ...cert, onError: () => {} }, async (s) => {
    for (;;) await s.write(await s.readUntil('\n'));
  });
  return server.address().port;
}

it('pending: resolves with the stream once the handshake is done; queued writes go after it', async () => {
  const port = await echoServer();
  const { stream } = createConnection({ host: '127.0.0.1', port, ca: certs.ca });
  expect(stream.handshakeDone).toBe(false);
  expect(stream.getProtocol()).toBeNull();
  expect(stream.getPeerCertificate()).toBeNull();
  expect(stream.alpnProtocol).toBeNull();
  const queued = stream.write('queued before the handshake\n');
  const done = await stream.waitForHandshake();
  expect(done).toBe(stream);
  expect(stream.handshakeDone).toBe(true);
  expect(stream.getProtocol()).toMatch(/^TLSv1\.[23]$/);
  await queued;
  expect((await stream.readUntil('\n')).toString()).toBe('queued before the handshake\n');
  stream.close();
});

it('already waiting: a second call rejects with AlreadyWaitingError, the first still resolves', async () => {
  const port = await echoServer();
  const { stream } = createConnection({ host: '127.0.0.1', port, ca: certs.ca });
  const first = stream.waitForHandshake();
  const second = await rejection(stream.waitForHandshake());
  expect(second).toBeInstanceOf(AlreadyWaitingError);
  expect(second).toMatchObject({ name: 'AlreadyWaitingError', code: 'ERR_TLS_ALREADY_WAITING' });
  expect(await first).toBe(stream);
  stream.close();
});

it('already done: resolves at once, before any I/O turn, as often as called', async () => {
  const port = await echoServer();
  const { stream, connected } = createConnection({ host: '127.0.0.1', port, ca: certs.ca });
  await connected;
  for (let i = 0; i < 3; i++) {
    const first = await Promise.race([stream.waitForHandshake(), turn().then(() => 'a turn passed')]);
    expect(first).toBe(stream);
  }
  stream.close();
});

it('failed: the waiter rejects with StreamClosedError carrying why, and so does a later call', async () => {
  const port = await echoServer(certs.selfSigned);
  const { stream, connected } = createConnection({ host: '127.0.0.1', port, ca: certs.ca });
  const waiting = stream.waitForHandshake();
  const error = await rejection(waiting);
  expect(error).toBeInstanceOf(StreamClosedError);
  const real = (error as StreamClosedError).realError as { code?: string };
  expect(real.code).toBeTypeOf('string');
  expect(await rejection(connected)).toBeInstanceOf(StreamClosedError);
  const later = await rejection(stream.waitForHandshake());
  expect((later as StreamClosedError).realError).toBe(real);
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(real);
});

it('closing the stream during the handshake rejects the waiter with realError null', async () => {
  const port = await echoServer();
  const { stream } = createConnection({ host: '127.0.0.1', port, ca: certs.ca });
  const waiting = stream.waitForHandshake();
  stream.close();
  const error = await rejection(waiting);
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toBeNull();
});
