// startTls refuses bad options before it touches the plain stream. `minDHSize: 0`,
// `ALPNProtocols: 42` and `highWaterMark: -5` are checked only inside Node's tls.connect,
// which used to run after the plain stream was taken apart: the stream was dead, its
// socket orphaned, the close callback never ran. Now they throw at the call and the plain
// stream goes on working. A setting Node still refuses after that point fails the upgrade
// properly: socket destroyed, close callback run, StreamClosedError.
import tls from 'node:tls';
import { type IOStream, StreamClosedError } from '@iostream/core';
import { type TcpServer, connect as tcpConnect, listen as tcpListen } from '@iostream/tcp';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { type StartTlsClientOptions, startTls } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection } from './helpers.js';

const certs = useCerts();
let server: TcpServer;

beforeEach(async () => {
  // Echoes lines; on STARTTLS answers "220", upgrades, and echoes lines over TLS.
  server = await tcpListen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    for (;;) {
      const line = await plain.readUntil('\n', { maxBytes: 256 });
      if (line.toString() !== 'STARTTLS\n') {
        await plain.write(line);
        continue;
      }
      await plain.write('220\n');
      const secure = await startTls(plain, { serverSide: true, ...certs.server });
      for (;;) await secure.write(await secure.readUntil('\n', { maxBytes: 256 }));
    }
  });
});
afterEach(async () => {
  await server.close({ closeStreams: true });
});

async function roundTrip(stream: IOStream, text: string): Promise<string> {
  await stream.write(`${text}\n`);
  return (await stream.readUntil('\n')).toString();
}

const base: StartTlsClientOptions = { servername: 'localhost', ca: certs.ca };

it.each([
  ['minDHSize: 0', { minDHSize: 0 }, RangeError],
  ['ALPNProtocols: 42', { ALPNProtocols: 42 as never }, TypeError],
  ['highWaterMark: -5', { highWaterMark: -5 }, RangeError],
])('%s throws at the call and leaves the plain stream working', async (_name, bad, kind) => {
  const plain = await tcpConnect({ host: '127.0.0.1', port: server.address().port });
  let closes = 0;
  plain.setCloseCallback(() => closes++);
  expect(() => startTls(plain, { ...base, ca: certs.ca, ...bad })).toThrow(kind);
  expect(plain.closed()).toBe(false);
  expect(await roundTrip(plain, 'still plain')).toBe('still plain\n');
  // And it can still be upgraded, with good options.
  expect(await roundTrip(plain, 'STARTTLS')).toBe('220\n');
  const secure = await startTls(plain, { ...base, ca: certs.ca });
  expect(await roundTrip(secure, 'secure')).toBe('secure\n');
  secure.close();
  await new Promise((resolve) => setImmediate(resolve));
  expect(closes).toBe(1);
});

it('valid values of the same options upgrade', async () => {
  const plain = await tcpConnect({ host: '127.0.0.1', port: server.address().port });
  expect(await roundTrip(plain, 'STARTTLS')).toBe('220\n');
  // highWaterMark is not in @types/node's tls.ConnectionOptions, but tls.connect takes it.
  const options = { ...base, ca: certs.ca, minDHSize: 2048, ALPNProtocols: ['smtp', 'x-smtp'], highWaterMark: 1024 };
  const secure = await startTls(plain, options);
  expect(secure.socket.readableHighWaterMark).toBe(1024);
  expect(await roundTrip(secure, 'secure')).toBe('secure\n');
  secure.close();
});

it('a setting Node still refuses after the stream was taken apart fails the upgrade cleanly', async () => {
  const before = activeResources();
  const plain = await tcpConnect({ host: '127.0.0.1', port: server.address().port });
  const closed = new Promise<void>((resolve) => plain.setCloseCallback(resolve));
  expect(await roundTrip(plain, 'STARTTLS')).toBe('220\n');
  // Stands in for a setting no check here knows: Node's own refusal, from half-way through
  // making the TLS socket (after it attached itself to the raw socket).
  const realConnect = tls.connect;
  const spy = vi
    .spyOn(tls, 'connect')
    .mockImplementationOnce(((options: tls.ConnectionOptions) =>
      realConnect({ ...options, highWaterMark: -5 } as tls.ConnectionOptions)) as typeof tls.connect);
  try {
    const error = await rejection(startTls(plain, { ...base, ca: certs.ca }));
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).realError).toBeInstanceOf(TypeError);
  } finally {
    spy.mockRestore();
  }
  await closed;
  expect(await waitForNoNewResources(before)).toEqual([]);
});
