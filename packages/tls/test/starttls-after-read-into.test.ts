// startTls right after a readInto filled its target, in the same continuation. Over a tcp
// stream the read leaves the socket's handle pointed at the target for a moment (the next
// readInto usually lends it again); giving the socket up must point it away at once, before
// the TLS layer takes the socket over. Otherwise the handle would be pointed back later, on
// top of the TLS layer, and the handshake would never see the peer's bytes. The target keeps
// the plaintext it was given, and the TLS session carries 1 MiB intact.
import net from 'node:net';
import { IOStream } from '@iostream/core';
import { connect, SocketTransport } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { startTls } from '../src/index.js';
import { useCerts } from './certs.js';
import { waitFor } from './helpers.js';

const certs = useCerts();

const pattern = (n: number, seed: number) => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed + (i >>> 10)) % 256;
  return b;
};

it('upgrades a stream whose last readInto just filled its target, and never writes into that target again', async () => {
  const accepted: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const plainClient = await connect({ host: '127.0.0.1', port });
  await waitFor(() => accepted.length === 1, 'accepted');
  const plainServer = new IOStream(new SocketTransport(accepted[0] as net.Socket));

  const plaintext = pattern(64 * 1024, 7);
  const secret = pattern(1024 * 1024, 91);
  const serving = (async () => {
    await plainServer.write(plaintext);
    const tls = await startTls(plainServer, {
      serverSide: true,
      key: certs.server.key,
      cert: certs.server.cert,
      handshakeTimeout: 5_000,
    });
    await tls.write(secret);
    return tls;
  })();

  const target = Buffer.alloc(plaintext.length);
  expect(await plainClient.readInto(target)).toBe(plaintext.length);
  const client = await startTls(plainClient, {
    servername: 'localhost',
    ca: certs.ca,
    handshakeTimeout: 5_000,
  });
  expect((await client.readBytes(secret.length)).equals(secret)).toBe(true);
  expect(target.equals(plaintext)).toBe(true);
  const serverTls = await serving;
  client.close();
  serverTls.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
