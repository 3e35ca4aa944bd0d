/**
 * Throwaway certificates for TLS tests and demos, made with the `openssl` command in
 * a new temp dir (EC P-256 keys, so it takes milliseconds): a CA; a server
 * certificate for `localhost` and `127.0.0.1` signed by it; a client certificate
 * signed by it; and a self-signed server certificate for the same names that no CA
 * vouches for. Tests verify against the CA: verification never needs turning off.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificates {
  /** The temp dir holding every file. */
  dir: string;
  /** Paths, for programs such as `openssl s_server` or nginx. */
  files: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
  /** The CA certificate (PEM), for `ca` options. */
  ca: Buffer;
  /** Signed by the CA, for `localhost` and `127.0.0.1`. */
  server: { key: Buffer; cert: Buffer };
  /** Signed by the CA, for client authentication. */
  client: { key: Buffer; cert: Buffer };
  /** Self-signed, for `localhost` and `127.0.0.1`: a verifying client refuses it. */
  selfSigned: { key: Buffer; cert: Buffer };
  /** Delete the temp dir. */
  remove(): void;
}

export interface TestCertificateOptions {
  /** The CA's common name. Default `'iostream test CA'`. */
  caName?: string;
  /** Days of validity. Default 2. */
  days?: number;
  /** Prefix of the temp dir's name. Default `'iostream-certs-'`. */
  prefix?: string;
}

/** Whether the `openssl` command can be run here. */
export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('the openssl command is not installed (Debian: apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() || e.message}`);
  }
}

const NAMES = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
const LEAF = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n';

/**
 * Make a fresh set of certificates in a new temp dir; call `remove()` when done.
 * Throws an `Error` saying what failed if openssl is missing or refuses.
 */
export function makeTestCertificates(options: TestCertificateOptions = {}): TestCertificates {
  const days = String(options.days ?? 2);
  const dir = mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'iostream-certs-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    writeFileSync(path.join(dir, 'server.ext'), `${LEAF}extendedKeyUsage=serverAuth\n${NAMES}\n`);
    writeFileSync(path.join(dir, 'client.ext'), `${LEAF}extendedKeyUsage=clientAuth\n`);
    for (const name of ['ca', 'server', 'client', 'self'])
      openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
    const selfSigned = (key: string, subject: string, out: string, ...ext: string[]) =>
      openssl(dir, ['req', '-x509', '-new', '-key', key, '-subj', subject, '-days', days, '-out', out, ...ext]);
    selfSigned(
      'ca.key',
      `/CN=${options.caName ?? 'iostream test CA'}`,
      'ca.crt',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    selfSigned('self.key', '/CN=localhost', 'self.crt', '-addext', NAMES);
    for (const [name, cn] of [
      ['server', 'localhost'],
      ['client', 'iostream test client'],
    ] as const) {
      openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`]);
      openssl(dir, [
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
        days,
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.crt`,
      ]);
    }
  } catch (error) {
    remove();
    throw error;
  }
  const file = (name: string) => path.join(dir, name);
  const read = (name: string) => readFileSync(file(name));
  return {
    dir,
    files: {
      ca: file('ca.crt'),
      serverCert: file('server.crt'),
      serverKey: file('server.key'),
      clientCert: file('client.crt'),
      clientKey: file('client.key'),
    },
    ca: read('ca.crt'),
    server: { key: read('server.key'), cert: read('server.crt') },
    client: { key: read('client.key'), cert: read('client.crt') },
    selfSigned: { key: read('self.key'), cert: read('self.crt') },
    remove,
  };
}
