// The upgrade server against real clients on 127.0.0.1: node:http's client (upgrading its
// own socket with fromSocket), a hand-written client that sends its first commands in the
// same packet as the request (so they reach the server as `head`), curl-like plain
// requests, a refused protocol, and a line past maxLineBytes.
import http from 'node:http';
import { StreamClosedError } from '@iostream/core';
import { connect } from '@iostream/tcp';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connectLines, GREETING, startUpgradeServer, type UpgradeServer } from '../src/index.js';

let server: UpgradeServer;
beforeEach(async () => {
  server = await startUpgradeServer({ maxLineBytes: 256 });
});
afterEach(() => server.close());

const line = async (stream: { readUntil(d: string, o?: { maxBytes?: number }): Promise<Buffer> }) =>
  (await stream.readUntil('\n', { maxBytes: 1024 })).toString();

it("node:http's client upgrades, both ends switch to lines with fromSocket", async () => {
  const stream = await connectLines(server.port);
  expect(await line(stream)).toBe(`${GREETING}\n`);
  await stream.write('ECHO over an upgraded socket\n');
  expect(await line(stream)).toBe('over an upgraded socket\n');
  await stream.write('UPPER shout\n');
  expect(await line(stream)).toBe('SHOUT\n');
  await stream.write('QUIT\n');
  expect(await line(stream)).toBe('BYE\n');
  // The server ended the connection after BYE: a clean EOF.
  expect((await stream.readUntilClose()).length).toBe(0);
  expect(stream.error).toBeNull();
  stream.close();
  expect(server.stats).toMatchObject({ upgrades: 1, refused: 0, failures: [] });
});

it('commands sent with the request arrive as head, and are answered first, in order', async () => {
  const stream = await connect({ host: '127.0.0.1', port: server.port, timeout: 5000 });
  // One write: the request and two commands. Node's HTTP parser reads them together and
  // hands what follows the header to 'upgrade' as head.
  await stream.write(
    'GET /lines HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: line\r\n\r\nECHO one\nUPPER two\n',
  );
  const response = (await stream.readUntil('\r\n\r\n', { maxBytes: 4096 })).toString();
  expect(response.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
  expect(await line(stream)).toBe(`${GREETING}\n`);
  expect(await line(stream)).toBe('one\n');
  expect(await line(stream)).toBe('TWO\n');
  expect(server.stats.headBytes).toBe('ECHO one\nUPPER two\n'.length);
  await stream.write('QUIT\n');
  expect(await line(stream)).toBe('BYE\n');
  stream.close();
});

it('a plain request gets 426 from the HTTP handler; another Upgrade is refused with 400', async () => {
  const plain = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get({ host: '127.0.0.1', port: server.port, path: '/', agent: false }, resolve).on('error', reject),
  );
  expect(plain.statusCode).toBe(426);
  expect(plain.headers.upgrade).toBe('line');
  plain.resume();

  await expect(
    new Promise((resolve, reject) => {
      const request = http.request({
        host: '127.0.0.1',
        port: server.port,
        headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('upgrade', () => reject(new Error('upgraded to a protocol the server does not speak')));
      request.on('error', reject);
      request.end();
    }),
  ).resolves.toBe(400);
  expect(server.stats.refused).toBe(1);
});

it('a line past maxLineBytes drops that client only; server.close() closes the rest', async () => {
  const flooder = await connectLines(server.port);
  const calm = await connectLines(server.port);
  expect(await line(flooder)).toBe(`${GREETING}\n`);
  expect(await line(calm)).toBe(`${GREETING}\n`);
  await flooder.write(`ECHO ${'x'.repeat(1000)}\n`);
  const dropped = await flooder.readBytes(1).catch((e: unknown) => e);
  expect(dropped).toBeInstanceOf(StreamClosedError);
  expect(server.stats.failures.map((e) => (e as { code?: string }).code)).toEqual(['ERR_UNSATISFIABLE_READ']);
  await calm.write('ECHO still here\n');
  expect(await line(calm)).toBe('still here\n');
  expect(server.connections).toBe(1);
  await server.close();
  await expect(calm.readBytes(1)).rejects.toBeInstanceOf(StreamClosedError);
  flooder.close();
  calm.close();
});
