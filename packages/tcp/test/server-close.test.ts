// TcpServer: address(), connections, and close(): stop accepting (new connections
// are refused) while accepted streams stay usable, or with closeStreams close them too.
// listen() on a port in use rejects with the system EADDRINUSE.

import type { IOStream, StreamClosedError } from '@iostream/core';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect, listen } from '../src/index.js';
import { waitFor } from './helpers.js';

it('close() stops accepting, keeps accepted streams open, and closeStreams closes them', async () => {
  const before = activeResources();
  const accepted: IOStream[] = [];
  const server = await listen({ host: '127.0.0.1', port: 0, backlog: 8 }, async (s) => {
    accepted.push(s);
    for (;;) await s.write(await s.readUntil('\n'));
  });
  const { port, address } = server.address();
  expect(address).toBe('127.0.0.1');
  expect(port).toBeGreaterThan(0);
  const client = await connect({ host: '127.0.0.1', port });
  await waitFor(() => server.connections === 1, 'the server counts the connection');

  await server.close();
  const refused = await connect({ host: '127.0.0.1', port }).catch((e: unknown) => e);
  expect((refused as StreamClosedError).realError).toMatchObject({ code: 'ECONNREFUSED' });
  await client.write('still here\n');
  expect((await client.readUntil('\n')).toString()).toBe('still here\n');
  expect(server.connections).toBe(1);

  await server.close({ closeStreams: true });
  expect(server.connections).toBe(0);
  expect(accepted[0]?.closed()).toBe(true);
  expect(await client.readUntilClose().catch((e: unknown) => e)).toBeInstanceOf(Buffer);
  client.close();
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('listen() on a port already in use rejects with EADDRINUSE and leaves nothing behind', async () => {
  const first = await listen({ host: '127.0.0.1', port: 0 }, () => {});
  const before = activeResources();
  const error = await listen({ host: '127.0.0.1', port: first.address().port }, () => {}).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'EADDRINUSE' });
  expect(await waitForNoNewResources(before)).toEqual([]);
  await first.close();
});
