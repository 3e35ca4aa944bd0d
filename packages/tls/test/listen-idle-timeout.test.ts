// listen({ idleTimeout }) closes an accepted TLS stream on which no byte moved either way for
// that long, with tcp's IdleTimeoutError (code ERR_IDLE_TIMEOUT); traffic restarts the timer.
import { StreamClosedError } from '@iostream/core';
import { IdleTimeoutError } from '@iostream/tcp';
import { afterEach, expect, it } from 'vitest';
import { connect, listen, type TlsServer } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection } from './helpers.js';

const certs = useCerts();
let server: TlsServer | null = null;
afterEach(async () => {
  await server?.close({ closeStreams: true });
  server = null;
});

it('an idle accepted stream is closed with IdleTimeoutError; the client sees the connection end', async () => {
  let outcome!: (e: unknown) => void;
  const serverRead = new Promise<unknown>((resolve) => {
    outcome = resolve;
  });
  server = await listen({ host: '127.0.0.1', port: 0, ...certs.server, idleTimeout: 50 }, async (s) => {
    outcome(await rejection(s.readUntil('\n')));
  });
  const client = await connect({ host: '127.0.0.1', port: server.address().port, ca: certs.ca });
  const error = (await serverRead) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.realError).toBeInstanceOf(IdleTimeoutError);
  expect(error.realError).toMatchObject({ code: 'ERR_IDLE_TIMEOUT' });
  expect((await client.readUntilClose()).length).toBe(0);
});

it('traffic keeps the stream open past idleTimeout', async () => {
  server = await listen({ host: '127.0.0.1', port: 0, ...certs.server, idleTimeout: 300 }, async (s) => {
    for (;;) await s.write(await s.readUntil('\n'));
  });
  const client = await connect({ host: '127.0.0.1', port: server.address().port, ca: certs.ca });
  // 15 round trips 30 ms apart: 450 ms in all, never 300 ms quiet (a wide margin for a busy machine).
  for (let i = 0; i < 15; i++) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    await client.write(`ping ${i}\n`);
    expect((await client.readUntil('\n')).toString()).toBe(`ping ${i}\n`);
  }
  client.close();
});
