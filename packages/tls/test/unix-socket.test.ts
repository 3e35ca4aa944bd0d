// TLS over a Unix domain socket: listen({ path }) and connect({ path }) with the certificate
// verified against an explicit servername (there is no host name to check it against), the
// same errors as over TCP, and a TypeError when the name to verify is missing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StreamClosedError } from '@iostream/core';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { connect, createConnection, listen, type TlsServer } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection } from './helpers.js';

const certs = useCerts();
const dir = mkdtempSync(path.join(os.tmpdir(), 'iostream-tls-unix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let server: TlsServer;
let socketPath: string;

beforeEach(async () => {
  socketPath = path.join(dir, `tls-${++n}.sock`);
  // Clients that reject the certificate make the server see failed handshakes: not this file's subject.
  server = await listen({ path: socketPath, ...certs.server, onError: () => {} }, async (stream) => {
    for (;;) await stream.write(await stream.readUntil('\n', { maxBytes: 4096 }));
  });
});
afterEach(() => server.close({ closeStreams: true }));

it('connects with servername, verifies the certificate, and echoes lines', async () => {
  expect(server.path).toBe(socketPath);
  const stream = await connect({ path: socketPath, servername: 'localhost', ca: certs.ca, handshakeTimeout: 5000 });
  expect(stream.authorized).toBe(true);
  expect(stream.getProtocol()).toMatch(/^TLSv1\.[23]$/);
  expect(stream.servername).toBe('localhost');
  await stream.write('over tls over unix\n');
  expect((await stream.readUntil('\n')).toString()).toBe('over tls over unix\n');
  expect(server.connections).toBe(1);
  stream.close();
});

it('a servername the certificate does not cover: ERR_TLS_CERT_ALTNAME_INVALID', async () => {
  const error = await rejection(connect({ path: socketPath, servername: 'example.com', ca: certs.ca }));
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
});

it('no servername: TypeError at once, unless verification is off', async () => {
  expect(() => createConnection({ path: socketPath, ca: certs.ca })).toThrow(TypeError);
  expect(() => createConnection({ path: socketPath, ca: certs.ca })).toThrow(/servername/);
  expect(() => createConnection({ path: socketPath, host: 'localhost', servername: 'localhost' })).toThrow(/host/);
  const unverified = await connect({ path: socketPath, rejectUnauthorized: false });
  // Nothing was required to match; the chain (no CA given) is what is reported.
  expect(unverified.authorized).toBe(false);
  expect(unverified.authorizationError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  unverified.close();
});

it('a path nobody listens on: realError ENOENT', async () => {
  const error = await rejection(connect({ path: path.join(dir, 'missing.sock'), servername: 'localhost' }));
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'ENOENT' });
});

it('listen on a path in use: EADDRINUSE; close() removes the socket file', async () => {
  await expect(listen({ path: socketPath, ...certs.server }, () => {})).rejects.toMatchObject({ code: 'EADDRINUSE' });
  const other = path.join(dir, 'other.sock');
  const second = await listen({ path: other, ...certs.server }, () => {});
  expect(existsSync(other)).toBe(true);
  await second.close();
  expect(existsSync(other)).toBe(false);
});
