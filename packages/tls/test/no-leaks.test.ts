// Nothing leaks: after exchanges, failed handshakes (verification errors on either side,
// timeouts, aborts) and a server closed while connections are still in their handshake,
// no socket, server or timer handle is left (process.getActiveResourcesInfo(), minus the
// worker's own).
import net from 'node:net';
import { connect as tcpConnect, listen as tcpListen } from '@iostream/tcp';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect, createConnection, listen, startTls } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection, waitFor } from './helpers.js';

const certs = useCerts();

it('exchanges and failed handshakes of every kind leave no handle behind', async () => {
  const before = activeResources();
  const good = await listen({ host: '127.0.0.1', port: 0, ...certs.server, onError: () => {} }, async (s) => {
    await s.write(await s.readUntil('\n'));
  });
  const bad = await listen({ host: '127.0.0.1', port: 0, ...certs.selfSigned, onError: () => {} }, () => {});
  const goodPort = good.address().port;

  const streams = await Promise.all([1, 2, 3].map(() => connect({ host: '127.0.0.1', port: goodPort, ca: certs.ca })));
  for (const s of streams) {
    await s.write('ping\n');
    expect((await s.readUntil('\n')).toString()).toBe('ping\n');
  }
  streams[0]?.close();
  await streams[1]?.end();

  // Verification failures: untrusted chain, wrong name.
  await rejection(connect({ host: '127.0.0.1', port: bad.address().port, ca: certs.ca }));
  await rejection(connect({ host: '127.0.0.1', port: goodPort, ca: certs.ca, servername: 'example.com' }));
  // Closed and aborted mid-handshake.
  const pending = createConnection({ host: '127.0.0.1', port: goodPort, ca: certs.ca });
  pending.stream.close();
  await rejection(pending.connected);
  await rejection(connect({ host: '127.0.0.1', port: goodPort, ca: certs.ca, signal: AbortSignal.abort() }));
  // Refused.
  const closedPort = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
  await rejection(connect({ host: '127.0.0.1', port: closedPort, ca: certs.ca }));

  await good.close({ closeStreams: true });
  await bad.close({ closeStreams: true });
  streams[1]?.close();
  streams[2]?.close();
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('a failed startTls on both sides leaves no handle behind', async () => {
  const before = activeResources();
  const outcome: unknown[] = [];
  const server = await tcpListen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    await plain.readUntil('\n');
    await plain.write('go\n');
    outcome.push(await rejection(startTls(plain, { serverSide: true, ...certs.selfSigned })));
  });
  const plain = await tcpConnect({ host: '127.0.0.1', port: server.address().port });
  await plain.write('starttls\n');
  await plain.readUntil('\n');
  outcome.push(await rejection(startTls(plain, { servername: 'localhost', ca: certs.ca })));
  await waitFor(() => outcome.length === 2, 'both sides failed');
  await server.close({ closeStreams: true });
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('closing a server with connections still in their handshake releases them', async () => {
  const before = activeResources();
  const server = await listen({ host: '127.0.0.1', port: 0, ...certs.server, onError: () => {} }, () => {});
  const raws = [1, 2].map(() => {
    const raw = net.connect({ host: '127.0.0.1', port: server.address().port });
    raw.on('error', () => {});
    raw.resume();
    return raw;
  });
  await Promise.all(raws.map((raw) => new Promise((resolve) => raw.once('connect', resolve))));
  await server.close({ closeStreams: true });
  await Promise.all(
    raws.map((raw) => new Promise((resolve) => (raw.closed ? resolve(null) : raw.once('close', resolve)))),
  );
  expect(await waitForNoNewResources(before)).toEqual([]);
});
