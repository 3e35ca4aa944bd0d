// An accepted TLS stream's socket carries one 'close' listener, the server's, which passes the
// close on to the stream's transport: a socket destroyed under the stream (no error, both ways
// open) still closes the stream with SocketClosedError, and the server forgets the connection.
import type tls from 'node:tls';
import { SocketClosedError } from '@iostream/tcp';
import { closedAfter } from '@iostream/testkit';
import { expect, it } from 'vitest';
import type { TlsStream } from '../src/index.js';
import { useCerts } from './certs.js';
import { tlsPairForTest, waitFor } from './helpers.js';

const certs = useCerts();

function socketOf(stream: TlsStream): tls.TLSSocket {
  return (stream.getTransport() as unknown as { socket: tls.TLSSocket }).socket;
}

it("a TLS socket destroyed under an accepted stream closes it with SocketClosedError, through the server's one 'close' listener", async () => {
  const { server, accepted } = await tlsPairForTest(certs);
  const socket = socketOf(accepted);
  // Node keeps two 'close' listeners of its own on a TLS socket; the transport adds none of its
  // shared ones (named onClose), the server one.
  expect(socket.listeners('close').filter((f) => f.name === 'onClose')).toEqual([]);
  expect(server.connections).toBe(1);
  await closedAfter(accepted, () => socket.destroy());
  expect(accepted.error).toBeInstanceOf(SocketClosedError);
  expect((accepted.error as SocketClosedError).code).toBe('ERR_SOCKET_CLOSED');
  await waitFor(() => server.connections === 0, 'the server forgot the connection');
});
