/**
 * A test CA and a server certificate for localhost and 127.0.0.1 that it signed
 * (testkit's throwaway set, made with the openssl command in a temp dir). The https
 * tests verify against this CA; verification is never turned off.
 */
import { makeTestCertificates, opensslAvailable } from '@iostream/testkit';

export interface TestCerts {
  dir: string;
  ca: Buffer;
  key: Buffer;
  cert: Buffer;
  keyFile: string;
  certFile: string;
  remove(): void;
}

export const hasOpenssl = opensslAvailable();

export function makeCerts(): TestCerts {
  const certs = makeTestCertificates({ prefix: 'iostream-http-certs-' });
  return {
    dir: certs.dir,
    ca: certs.ca,
    key: certs.server.key,
    cert: certs.server.cert,
    keyFile: certs.files.serverKey,
    certFile: certs.files.serverCert,
    remove: certs.remove,
  };
}
