// setNoDelay reaches the TCP socket under TLS, and fileno() is that socket's descriptor
// (-1 after close), on both ends.
import { expect, it } from 'vitest';
import { useCerts } from './certs.js';
import { tlsPair } from './helpers.js';

const certs = useCerts();

it('setNoDelay works and fileno is the TCP descriptor on both ends', async () => {
  const { server, client, accepted } = await tlsPair(certs);
  for (const s of [client, accepted]) {
    s.setNoDelay(true);
    expect(s.fileno()).toBeGreaterThan(2);
  }
  expect(client.fileno()).not.toBe(accepted.fileno());
  await client.write('after setNoDelay\n');
  expect((await accepted.readUntil('\n')).toString()).toBe('after setNoDelay\n');
  client.close();
  expect(client.fileno()).toBe(-1);
  await server.close({ closeStreams: true });
});
