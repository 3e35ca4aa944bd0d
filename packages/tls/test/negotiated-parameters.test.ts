// What the handshake negotiated is visible on both ends: protocol version, cipher,
// ALPN protocol, SNI name, peer certificates; minVersion/maxVersion pass through to Node.
import { afterEach, expect, it } from 'vitest';
import { connect, listen, type TlsServer, type TlsStream } from '../src/index.js';
import { useCerts } from './certs.js';

const certs = useCerts();
let server: TlsServer | null = null;
afterEach(async () => {
  await server?.close({ closeStreams: true });
  server = null;
});

async function serve(options: object): Promise<{ port: number; accepted: Promise<TlsStream> }> {
  let accept!: (s: TlsStream) => void;
  const accepted = new Promise<TlsStream>((resolve) => {
    accept = resolve;
  });
  server = await listen({ host: '127.0.0.1', port: 0, ...certs.server, ...options }, (s) => accept(s));
  return { port: server.address().port, accepted };
}

it('TLS 1.3 by default: protocol, cipher, ALPN, SNI, and both certificates', async () => {
  const { port, accepted } = await serve({ ALPNProtocols: ['h2', 'http/1.1'], requestCert: true, ca: certs.ca });
  const client = await connect({
    host: 'localhost',
    port,
    ca: certs.ca,
    ...certs.client,
    ALPNProtocols: ['http/1.1'],
  });
  const peer = await accepted;
  for (const s of [client, peer]) {
    expect(s.handshakeDone).toBe(true);
    expect(s.getProtocol()).toBe('TLSv1.3');
    expect(s.getCipher()?.version).toBe('TLSv1.3');
    expect(s.getCipher()?.name).toMatch(/^TLS_/);
    expect(s.alpnProtocol).toBe('http/1.1');
    expect(s.authorized).toBe(true);
  }
  expect(client.getPeerCertificate()?.subject?.CN).toBe('localhost');
  expect(peer.getPeerCertificate()?.subject?.CN).toBe('iostream test client');
  expect(peer.servername).toBe('localhost');
  const detailed = client.getPeerCertificate(true) as { issuerCertificate?: { subject?: { CN?: string } } };
  expect(detailed.issuerCertificate?.subject?.CN).toBe('iostream test CA');
  expect(await peer.waitForHandshake()).toBe(peer);
  client.close();
});

it('maxVersion TLSv1.2 negotiates TLS 1.2; without a common ALPN protocol alpnProtocol is false', async () => {
  const { port, accepted } = await serve({});
  const client = await connect({ host: '127.0.0.1', port, ca: certs.ca, maxVersion: 'TLSv1.2' });
  const peer = await accepted;
  expect(client.getProtocol()).toBe('TLSv1.2');
  expect(peer.getProtocol()).toBe('TLSv1.2');
  expect(client.alpnProtocol).toBe(false);
  expect(peer.servername).toBeNull(); // an IP address is not sent as SNI
  await client.write('over 1.2\n');
  expect((await peer.readUntil('\n')).toString()).toBe('over 1.2\n');
  client.close();
});

it('after close, the negotiated values are gone but the handshake stays done', async () => {
  const { port, accepted } = await serve({});
  const client = await connect({ host: '127.0.0.1', port, ca: certs.ca });
  await accepted;
  client.close();
  expect(client.handshakeDone).toBe(true);
  expect(await client.waitForHandshake()).toBe(client);
  expect(client.getProtocol()).toBeNull();
  expect(client.getPeerCertificate()).toBeNull();
});
