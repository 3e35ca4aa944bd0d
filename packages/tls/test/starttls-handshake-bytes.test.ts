// The peer's first handshake bytes can reach the server's socket before the server calls
// startTls. Bytes still in Node's readable buffer of the raw socket (never pulled by the
// stream) must go to the TLS layer, not be lost: here the ClientHello is already waiting
// in the raw socket when the plain stream is made and upgraded.
import net from 'node:net';
import { IOStream } from '@iostream/core';
import { connect, SocketTransport } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { startTls } from '../src/index.js';
import { useCerts } from './certs.js';
import { waitFor } from './helpers.js';

const certs = useCerts();

it('a ClientHello already buffered in the raw socket completes the server-side handshake', async () => {
  const accepted: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  const plainClient = await connect({ host: '127.0.0.1', port });
  const clientTls = startTls(plainClient, { servername: 'localhost', ca: certs.ca, handshakeTimeout: 10_000 });
  await waitFor(() => accepted.length === 1 && (accepted[0]?.readableLength ?? 0) > 0, 'the ClientHello is buffered');
  const raw = accepted[0] as net.Socket;

  const plainServer = new IOStream(new SocketTransport(raw));
  const serverTls = await startTls(plainServer, {
    serverSide: true,
    key: certs.server.key,
    cert: certs.server.cert,
    handshakeTimeout: 10_000,
  });
  const client = await clientTls;
  await client.write('over tls\n');
  expect((await serverTls.readUntil('\n')).toString()).toBe('over tls\n');
  await serverTls.write('and back\n');
  expect((await client.readUntil('\n')).toString()).toBe('and back\n');
  client.close();
  serverTls.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
