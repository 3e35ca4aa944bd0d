/**
 * Test certificates for this package's tests: testkit's throwaway set (a CA, a server
 * and a client certificate it signed, and a self-signed server certificate), made per
 * test file and removed after it.
 */
import { makeTestCertificates, opensslAvailable, type TestCertificates } from '@iostream/testkit';
import { afterAll, beforeAll } from 'vitest';

export type Certs = TestCertificates;

/** Whether the openssl command is available (the tests that drive it directly skip without it). */
export const hasOpenssl = opensslAvailable();

/** Make a fresh set of certificates in a new temp dir. */
export function makeCerts(): Certs {
  return makeTestCertificates({ prefix: 'iostream-tls-' });
}

/** Certificates for this test file: made before its tests, removed after them. Read them inside tests. */
export function useCerts(): Certs {
  const certs = {} as Certs;
  beforeAll(() => {
    Object.assign(certs, makeCerts());
  });
  afterAll(() => {
    certs.remove?.();
  });
  return certs;
}
