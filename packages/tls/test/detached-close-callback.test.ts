// Issue 14, bug 13, over real sockets: after startTls the plain stream is detached and the
// connection lives on in the TLS stream. A close callback set on the plain stream then is
// ignored (set it on the TLS stream): it used to run at once, as if the connection were gone.
import { connect, listen } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { startTls } from '../src/index.js';
import { useCerts } from './certs.js';

const certs = useCerts();

it('a close callback set on the plain stream after startTls never runs; the TLS stream keeps its own', async () => {
  const server = await listen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    await plain.readUntil('\n');
    await plain.write('GO\n');
    const secure = await startTls(plain, { serverSide: true, key: certs.server.key, cert: certs.server.cert });
    await secure.write(await secure.readUntil('\n'));
  });
  try {
    const plain = await connect({ host: '127.0.0.1', port: server.address().port });
    await plain.write('STARTTLS\n');
    // Only once the server answered: its stream must be idle when it upgrades.
    await plain.readUntil('\n');
    const secure = await startTls(plain, { servername: 'localhost', ca: certs.ca });
    let plainRuns = 0;
    plain.setCloseCallback(() => plainRuns++);
    const secureClosed = new Promise<void>((resolve) => secure.setCloseCallback(resolve));
    // Two turns later the plain stream's callback would have run, had it been scheduled.
    await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
    await secure.write('still here\n');
    expect((await secure.readUntil('\n')).toString()).toBe('still here\n');
    secure.close();
    await secureClosed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(plainRuns).toBe(0);
  } finally {
    await server.close({ closeStreams: true });
  }
});
