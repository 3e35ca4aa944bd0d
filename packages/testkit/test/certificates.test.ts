import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeTestCertificates, opensslAvailable } from '../src/index.js';

describe.skipIf(!opensslAvailable())('makeTestCertificates (needs the openssl command)', () => {
  it('makes a CA that signs the server and client certificates, and a self-signed one it does not', () => {
    const certs = makeTestCertificates({ caName: 'kit CA', days: 1 });
    try {
      const ca = new X509Certificate(certs.ca);
      const server = new X509Certificate(certs.server.cert);
      const client = new X509Certificate(certs.client.cert);
      const self = new X509Certificate(certs.selfSigned.cert);
      expect(ca.subject).toContain('CN=kit CA');
      expect(ca.ca).toBe(true);
      expect(server.verify(ca.publicKey)).toBe(true);
      expect(client.verify(ca.publicKey)).toBe(true);
      expect(self.verify(ca.publicKey)).toBe(false);
      expect(server.checkHost('localhost')).toBe('localhost');
      expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(self.checkHost('localhost')).toBe('localhost');
      expect(server.checkPrivateKey(createPrivateKey(certs.server.key))).toBe(true);
      expect(existsSync(certs.files.serverKey)).toBe(true);
    } finally {
      certs.remove();
    }
    expect(existsSync(certs.dir)).toBe(false);
  });
});
