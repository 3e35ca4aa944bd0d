// A TLS client no one here wrote: `openssl s_client`, which verifies our server's
// certificate (-verify_return_error, -verify_hostname) against the test CA. It reaches
// listen() directly, with ALPN and a client certificate, and a STARTTLS server built
// on @iostream/tcp + startTls through its own SMTP dialogue (-starttls smtp).
import { listen as tcpListen } from '@iostream/tcp';
import { afterEach, expect, it } from 'vitest';
import { listen, startTls, type TlsServer, type TlsStream } from '../src/index.js';
import { hasOpenssl, useCerts } from './certs.js';
import { killAll, sClient } from './openssl.js';

const certs = useCerts();
let server: { close(o?: { closeStreams?: boolean }): Promise<void> } | null = null;
afterEach(async () => {
  await killAll();
  await server?.close({ closeStreams: true });
  server = null;
});

const verify = () => ['-CAfile', certs.files.ca, '-verify_return_error', '-verify_hostname', 'localhost', '-quiet'];

/** A listen() server that answers one line with `reply(stream)` and ends; resolves the stream it served. */
async function oneLineServer(
  options: object,
  reply: (s: TlsStream, line: string) => string,
): Promise<{ port: number; served: Promise<TlsStream> }> {
  let done!: (s: TlsStream) => void;
  const served = new Promise<TlsStream>((resolve) => {
    done = resolve;
  });
  const tlsServer: TlsServer = await listen(
    { host: '127.0.0.1', port: 0, ...certs.server, onError: () => {}, ...options },
    async (s) => {
      const line = (await s.readUntil('\n', { maxBytes: 1024 })).toString();
      await s.write(reply(s, line));
      await s.end();
      done(s);
    },
  );
  server = tlsServer;
  return { port: tlsServer.address().port, served };
}

it.skipIf(!hasOpenssl)('s_client verifies listen() and negotiates ALPN and SNI', async () => {
  const { port, served } = await oneLineServer({ ALPNProtocols: ['http/1.1', 'h2'] }, (s, line) => {
    return `${line.trim()} ${s.alpnProtocol} ${s.servername} ${s.getProtocol()}\n`;
  });
  const result = await sClient(
    ['-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-alpn', 'h2', ...verify()],
    'ping\n',
  );
  expect(result.stdout).toContain('ping h2 localhost TLSv1.3');
  expect(result.code).toBe(0);
  const s = await served;
  expect(s.authorized).toBe(false); // no client certificate was asked for
  expect(s.getPeerCertificate()).toBeNull();
});

it.skipIf(!hasOpenssl)('requestCert: a client certificate signed by the CA is verified and visible', async () => {
  const { port, served } = await oneLineServer(
    { requestCert: true, ca: certs.ca },
    (s) => `hello ${s.getPeerCertificate()?.subject?.CN}\n`,
  );
  const result = await sClient(
    ['-connect', `127.0.0.1:${port}`, '-cert', certs.files.clientCert, '-key', certs.files.clientKey, ...verify()],
    'hi\n',
  );
  expect(result.stdout).toContain('hello iostream test client');
  const s = await served;
  expect(s.authorized).toBe(true);
  expect(s.authorizationError).toBeNull();
});

it.skipIf(!hasOpenssl)('s_client -starttls smtp upgrades a @iostream/tcp server through startTls', async () => {
  let done!: (line: string) => void;
  const received = new Promise<string>((resolve) => {
    done = resolve;
  });
  const tcpServer = await tcpListen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    await plain.write('220 localhost ESMTP iostream\r\n');
    await plain.readUntil('\r\n', { maxBytes: 512 }); // EHLO
    await plain.write('250-localhost\r\n250 STARTTLS\r\n');
    const command = (await plain.readUntil('\r\n', { maxBytes: 512 })).toString();
    if (command.toUpperCase() !== 'STARTTLS\r\n') throw new Error(`expected STARTTLS, got ${command}`);
    await plain.write('220 Go ahead\r\n');
    const secure = await startTls(plain, { serverSide: true, ...certs.server, handshakeTimeout: 10_000 });
    const line = (await secure.readUntil('\n', { maxBytes: 1024 })).toString();
    await secure.write(`250 got ${line.trim()} over ${secure.getProtocol()}\r\n`);
    await secure.end();
    done(line);
  });
  server = tcpServer;
  const result = await sClient(
    ['-connect', `127.0.0.1:${tcpServer.address().port}`, '-starttls', 'smtp', ...verify()],
    'NOOP\n',
  );
  expect(await received).toBe('NOOP\n');
  expect(result.stdout).toContain('250 got NOOP over TLSv1.3');
});
