// A TcpServer keeps track of a connection after startTls took its plain stream over:
// it still counts in `connections`, and close({ closeStreams: true }) ends it too
// (the upgraded stream then closes) instead of waiting for it forever.
import type { IOStream } from '@iostream/core';
import { connect, listen } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { startTls, type TlsStream } from '../src/index.js';
import { useCerts } from './certs.js';

const certs = useCerts();

it('counts an upgraded connection and closes it with closeStreams', async () => {
  let upgraded!: (s: TlsStream) => void;
  const serverSecure = new Promise<TlsStream>((resolve) => {
    upgraded = resolve;
  });
  const server = await listen({ host: '127.0.0.1', port: 0 }, async (plain: IOStream) => {
    await plain.readUntil('STARTTLS\r\n');
    await plain.write('220 go\r\n');
    upgraded(await startTls(plain, { serverSide: true, key: certs.server.key, cert: certs.server.cert }));
  });
  const plain = await connect({ host: '127.0.0.1', port: server.address().port });
  await plain.write('STARTTLS\r\n');
  await plain.readUntil('\r\n');
  const client = await startTls(plain, { servername: 'localhost', ca: certs.ca });
  const secure = await serverSecure;
  await client.write('ping\n');
  expect((await secure.readUntil('\n')).toString()).toBe('ping\n');

  expect(server.connections).toBe(1);
  const serverClosed = new Promise<void>((resolve) => secure.setCloseCallback(resolve));
  await server.close({ closeStreams: true });
  await serverClosed;
  expect(secure.closed()).toBe(true);
  expect(server.connections).toBe(0);
  // The client sees the connection end.
  await expect(client.readBytes(1)).rejects.toMatchObject({ code: 'ERR_STREAM_CLOSED' });
  client.close();
});
