// listen({ idleTimeout }): an accepted stream on which no byte moves either way for that long
// is closed with IdleTimeoutError (code ERR_IDLE_TIMEOUT); bytes in either direction keep it
// open. The timeouts are small; nothing asserts how long the close took.
import { type IOStream, StreamClosedError } from '@iostream/core';
import { afterEach, expect, it } from 'vitest';
import { connect, IdleTimeoutError, listen, type TcpServer } from '../src/index.js';
import { waitFor } from './helpers.js';

let server: TcpServer | null = null;
afterEach(async () => {
  await server?.close({ closeStreams: true });
  server = null;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('a stream on which nothing moves closes with IdleTimeoutError; its pending read rejects with it', async () => {
  let accepted: IOStream | null = null;
  let readFailure: unknown = null;
  server = await listen({ host: '127.0.0.1', port: 0, idleTimeout: 30 }, async (stream) => {
    accepted = stream;
    readFailure = await stream.readUntil('\n').catch((e: unknown) => e);
  });
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  // The client sends nothing: the server closes the connection, which the client sees as EOF.
  expect(await client.readUntilClose()).toHaveLength(0);
  await waitFor(() => readFailure !== null, 'the pending read settled');
  expect(readFailure).toBeInstanceOf(StreamClosedError);
  const cause = (readFailure as StreamClosedError).realError;
  expect(cause).toBeInstanceOf(IdleTimeoutError);
  expect(cause).toMatchObject({ code: 'ERR_IDLE_TIMEOUT', name: 'IdleTimeoutError' });
  expect((accepted as IOStream | null)?.closed()).toBe(true);
  expect((accepted as IOStream | null)?.error).toBe(cause);
  await waitFor(() => server?.connections === 0, 'the server counts no connection');
});

it('bytes from the peer keep a stream open past the timeout', async () => {
  const lines: string[] = [];
  let accepted: IOStream | null = null;
  server = await listen({ host: '127.0.0.1', port: 0, idleTimeout: 250 }, async (stream) => {
    accepted = stream;
    for (;;) lines.push((await stream.readUntil('\n')).toString());
  });
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  // Each gap is well under the timeout; all of them together are well over it.
  for (let i = 0; i < 25; i++) {
    await client.write(`${i}\n`);
    await pause(20);
  }
  await waitFor(() => lines.length === 25, 'the server read every line');
  expect((accepted as IOStream | null)?.closed()).toBe(false);
  client.close();
});

it('bytes to the peer keep a stream open past the timeout, with no read pending', async () => {
  let accepted: IOStream | null = null;
  server = await listen({ host: '127.0.0.1', port: 0, idleTimeout: 250 }, async (stream) => {
    accepted = stream;
    for (let i = 0; i < 25; i++) {
      await stream.write(`${i}\n`);
      await pause(20);
    }
    await stream.write('done\n');
  });
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  let received = '';
  while (!received.endsWith('done\n')) received += (await client.readUntil('\n')).toString();
  expect(received.split('\n')).toHaveLength(27);
  expect((accepted as IOStream | null)?.closed()).toBe(false);
  client.close();
});

it('idleTimeout is checked at once', () => {
  const handler = () => {};
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31])
    expect(() => listen({ port: 0, idleTimeout: bad }, handler)).toThrow(RangeError);
  expect(() => listen({ port: 0, idleTimeout: '100' as unknown as number }, handler)).toThrow(TypeError);
});
