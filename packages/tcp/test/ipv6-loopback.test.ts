// IPv6: listen on ::1, connect to ::1, bytes flow both ways.
import { expect, it } from 'vitest';
import { connect, listen } from '../src/index.js';
import { hasIPv6 } from './helpers.js';

// Skipped only where the machine has no IPv6 loopback interface to bind ::1 to.
it.skipIf(!hasIPv6)('connect and listen over ::1', async () => {
  const server = await listen({ host: '::1', port: 0 }, async (s) => {
    const line = await s.readUntil('\n');
    await s.write(line);
    await s.end();
  });
  expect(server.address().family).toMatch(/6/);
  const stream = await connect({ host: '::1', port: server.address().port, family: 6 });
  await stream.write('over v6\n');
  expect((await stream.readUntilClose()).toString()).toBe('over v6\n');
  await server.close({ closeStreams: true });
});
