/**
 * Test certificates, made with the openssl command at test time in a temp dir (EC
 * P-256 keys, so it takes milliseconds): a CA; a server certificate for localhost and
 * 127.0.0.1 signed by it; a client certificate signed by it; and a self-signed server
 * certificate for the same names, which no CA vouches for. Valid for two days.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface Certs {
  dir: string;
  /** Paths, for the openssl command. */
  files: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
  ca: Buffer;
  server: { key: Buffer; cert: Buffer };
  client: { key: Buffer; cert: Buffer };
  selfSigned: { key: Buffer; cert: Buffer };
}

/** Whether the openssl command is available (the tests that drive it directly skip without it). */
export const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const SERVER_EXT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=serverAuth',
  'subjectAltName=DNS:localhost,IP:127.0.0.1',
].join('\n');
const CLIENT_EXT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=clientAuth',
].join('\n');

/** Make a fresh set of certificates in a new temp dir. */
export function makeCerts(): Certs {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iostream-tls-'));
  const key = (name: string) =>
    openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name);
  writeFileSync(path.join(dir, 'server.ext'), SERVER_EXT);
  writeFileSync(path.join(dir, 'client.ext'), CLIENT_EXT);
  for (const name of ['ca.key', 'server.key', 'client.key', 'self.key']) key(name);
  openssl(
    dir,
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/CN=iostream test CA',
    '-days',
    '2',
    '-out',
    'ca.crt',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const signed = (name: string, cn: string) => {
    openssl(dir, 'req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  };
  signed('server', 'localhost');
  signed('client', 'iostream test client');
  openssl(
    dir,
    'req',
    '-x509',
    '-new',
    '-key',
    'self.key',
    '-subj',
    '/CN=localhost',
    '-days',
    '2',
    '-out',
    'self.crt',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  );
  const read = (name: string) => readFileSync(path.join(dir, name));
  return {
    dir,
    files: {
      ca: path.join(dir, 'ca.crt'),
      serverCert: path.join(dir, 'server.crt'),
      serverKey: path.join(dir, 'server.key'),
      clientCert: path.join(dir, 'client.crt'),
      clientKey: path.join(dir, 'client.key'),
    },
    ca: read('ca.crt'),
    server: { key: read('server.key'), cert: read('server.crt') },
    client: { key: read('client.key'), cert: read('client.crt') },
    selfSigned: { key: read('self.key'), cert: read('self.crt') },
  };
}

/** Certificates for this test file: made before its tests, removed after them. Read them inside tests. */
export function useCerts(): Certs {
  const certs = {} as Certs;
  beforeAll(() => {
    Object.assign(certs, makeCerts());
  });
  afterAll(() => {
    if (certs.dir) rmSync(certs.dir, { recursive: true, force: true });
  });
  return certs;
}
