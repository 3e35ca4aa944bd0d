/**
 * The demo's certificates, made at start-up with the openssl command in a temp dir
 * (testkit's throwaway set, EC P-256 keys, so it takes milliseconds): a demo CA, and
 * a server certificate for localhost and 127.0.0.1 that it signed, valid for one
 * day. Clients verify against the demo CA; verification is never turned off.
 */
import { makeTestCertificates } from '@iostream/testkit';

export interface DemoCerts {
  dir: string;
  ca: Buffer;
  key: Buffer;
  cert: Buffer;
  /** Remove the temp dir. */
  remove(): void;
}

/** Throws an Error saying what failed (e.g. the openssl command is not installed). */
export function makeDemoCerts(): DemoCerts {
  const certs = makeTestCertificates({ caName: 'iostream demo CA', days: 1, prefix: 'iostream-demo-' });
  return { dir: certs.dir, ca: certs.ca, key: certs.server.key, cert: certs.server.cert, remove: certs.remove };
}
