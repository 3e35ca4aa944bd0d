// Nothing leaks: once a test's streams and servers are closed, no socket, server or
// timer handle is left (process.getActiveResourcesInfo(), minus the worker's own).
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect, createConnection, listen } from '../src/index.js';

it('after an exchange, closing both streams and the server leaves no handle behind', async () => {
  const before = activeResources();
  const server = await listen({ host: '127.0.0.1', port: 0 }, async (s) => {
    await s.write(await s.readUntil('\n'));
  });
  const streams = await Promise.all(
    [1, 2, 3].map(() => connect({ host: '127.0.0.1', port: server.address().port, timeout: 10_000 })),
  );
  for (const s of streams) {
    await s.write('ping\n');
    expect((await s.readUntil('\n')).toString()).toBe('ping\n');
  }
  streams[0]?.close();
  await streams[1]?.end();
  await server.close({ closeStreams: true });
  streams[1]?.close();
  streams[2]?.close();
  expect(server.connections).toBe(0);
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('a stream closed while still connecting leaves no handle behind', async () => {
  const before = activeResources();
  const server = await listen({ host: '127.0.0.1', port: 0 }, () => {});
  const { stream, connected } = createConnection({ host: '127.0.0.1', port: server.address().port, timeout: 10_000 });
  stream.close();
  await connected.catch(() => {});
  await server.close({ closeStreams: true });
  expect(await waitForNoNewResources(before)).toEqual([]);
});
