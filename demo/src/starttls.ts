/**
 * Step: STARTTLS, SMTP-style. Both sides start in plaintext over @iostream/tcp, agree
 * to upgrade, and call startTls on the same connection (the server right after its
 * "go ahead" reply, the client right after reading it).
 */
import * as tcp from '@iostream/tcp';
import { startTls } from '@iostream/tls';
import type { DemoCerts } from './certs.js';
import { expectEqual, heading, ms, note, shown } from './report.js';

export async function startTlsStep(certs: DemoCerts): Promise<void> {
  const started = performance.now();
  const server = await tcp.listen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    await plain.write('220 demo.local ESMTP ready\r\n');
    const command = await plain.readUntil('\r\n', { maxBytes: 512 });
    if (command.toString() !== 'STARTTLS\r\n') {
      await plain.write('502 say STARTTLS first\r\n');
      return;
    }
    await plain.write('220 Go ahead\r\n');
    const secure = await startTls(plain, { serverSide: true, key: certs.key, cert: certs.cert });
    const hello = (await secure.readUntil('\r\n', { maxBytes: 512 })).toString().trim();
    await secure.write(`250 ${hello.replace('EHLO ', '')} greeted over ${secure.getProtocol()}\r\n`);
    await secure.end();
  });
  const { port } = server.address();
  heading(`STARTTLS: a plain @iostream/tcp connection upgraded in place with startTls, on 127.0.0.1:${port}`);
  try {
    const plain = await tcp.connect({ host: '127.0.0.1', port, timeout: 5000 });
    let t = performance.now();
    const greeting = await plain.readUntil('\r\n', { maxBytes: 512 });
    shown('server', 'client', greeting, t);
    t = performance.now();
    await plain.write('STARTTLS\r\n');
    shown('client', 'server', 'STARTTLS\r\n');
    const goAhead = await plain.readUntil('\r\n', { maxBytes: 512 });
    shown('server', 'client', goAhead, t);
    expectEqual('reply to STARTTLS', goAhead, '220 Go ahead\r\n');
    t = performance.now();
    const secure = await startTls(plain, { servername: 'localhost', ca: certs.ca, handshakeTimeout: 5000 });
    note(
      `upgraded in ${ms(t)}: ${secure.getProtocol()}, authorized=${secure.authorized}; plain stream closed: ${plain.closed()}`,
    );
    t = performance.now();
    await secure.write('EHLO demo-client\r\n');
    shown('client', 'server', 'EHLO demo-client\r\n');
    const reply = await secure.readUntil('\r\n', { maxBytes: 512 });
    shown('server', 'client', reply, t);
    expectEqual('reply to EHLO', reply, `250 demo-client greeted over ${secure.getProtocol()}\r\n`);
    await secure.readUntilClose();
    secure.close();
  } finally {
    await server.close({ closeStreams: true });
  }
  note(`step done in ${ms(started)}`);
}
