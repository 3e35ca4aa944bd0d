// A client whose handshake fails never reaches onStream and never crashes the server:
// the failure goes to onError (stream null) and the next client is served as usual.
// With requestCert, a missing or untrusted client certificate is such a failure, and
// the error says why (OpenSSL's code), not just "socket hang up".
import net from 'node:net';
import { StreamClosedError } from '@iostream/core';
import { afterEach, expect, it } from 'vitest';
import { connect, listen, type TlsServer } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection, reports } from './helpers.js';

const certs = useCerts();
let server: TlsServer | null = null;
afterEach(async () => {
  await server?.close({ closeStreams: true });
  server = null;
});

it('garbage instead of a ClientHello is reported; the next client is served', async () => {
  const r = reports();
  let served = 0;
  server = await listen({ host: '127.0.0.1', port: 0, ...certs.server, onError: r.onError }, async (s) => {
    served++;
    await s.write('welcome\n');
  });
  const port = server.address().port;
  const raw = net.connect({ host: '127.0.0.1', port });
  raw.on('error', () => {});
  raw.write('GET / HTTP/1.0\r\n\r\n');
  const error = await r.first;
  expect(error).toBeInstanceOf(Error);
  expect((error as { code?: unknown }).code).toBeTypeOf('string');
  expect(r.errors[0]?.[1]).toBeNull();
  expect(served).toBe(0);
  raw.destroy();

  const client = await connect({ host: '127.0.0.1', port, ca: certs.ca });
  expect((await client.readUntil('\n')).toString()).toBe('welcome\n');
  expect(served).toBe(1);
  client.close();
});

it('requestCert: an untrusted client certificate is rejected, and onError says why', async () => {
  const r = reports();
  let served = 0;
  server = await listen(
    { host: '127.0.0.1', port: 0, ...certs.server, requestCert: true, ca: certs.ca, onError: r.onError },
    () => void served++,
  );
  // The client presents the self-signed certificate, which the server's CA does not vouch for.
  const client = await connect({
    host: '127.0.0.1',
    port: server.address().port,
    ca: certs.ca,
    key: certs.selfSigned.key,
    cert: certs.selfSigned.cert,
  }).catch((e: unknown) => e);
  const error = await r.first;
  expect((error as { code?: unknown }).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  expect(served).toBe(0);
  // TLS 1.3: the client may finish its side first; it then sees the connection close.
  if (!(client instanceof StreamClosedError)) {
    expect(await rejection((client as { readBytes(n: number): Promise<Buffer> }).readBytes(1))).toBeInstanceOf(
      StreamClosedError,
    );
  }
});

it('requestCert without rejectUnauthorized: the stream is handed over, not authorized, with the reason', async () => {
  let seen!: (v: [boolean, string | null]) => void;
  const result = new Promise<[boolean, string | null]>((resolve) => {
    seen = resolve;
  });
  server = await listen(
    { host: '127.0.0.1', port: 0, ...certs.server, requestCert: true, rejectUnauthorized: false, ca: certs.ca },
    async (s) => {
      seen([s.authorized, s.authorizationError]);
      await s.write('ok\n');
    },
  );
  const client = await connect({ host: '127.0.0.1', port: server.address().port, ca: certs.ca, ...certs.selfSigned });
  expect((await client.readUntil('\n')).toString()).toBe('ok\n');
  expect(await result).toEqual([false, 'DEPTH_ZERO_SELF_SIGNED_CERT']);
  client.close();
});
