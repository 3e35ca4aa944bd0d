// Host names are checked against the certificate (DNS and IP subjectAltNames) by default.
// A mismatch fails with ERR_TLS_CERT_ALTNAME_INVALID; the check is off only when the caller
// says so explicitly, with checkServerIdentity or rejectUnauthorized: false.
import { StreamClosedError } from '@iostream/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connect, listen, type TlsServer } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection } from './helpers.js';

const certs = useCerts();
let server: TlsServer;
let port: number;

beforeEach(async () => {
  // Clients that reject the certificate make the server see failed handshakes: not this file's subject.
  server = await listen({ host: '127.0.0.1', port: 0, ...certs.server, onError: () => {} }, (s) => {
    s.write('hi\n').catch(() => {});
  });
  port = server.address().port;
});
afterEach(() => server.close({ closeStreams: true }));

it.each([
  ['the DNS name', { host: 'localhost' }],
  ['the IP address', { host: '127.0.0.1' }],
  ['an explicit servername', { host: '127.0.0.1', servername: 'localhost' }],
])('matching %s: connects and is authorized', async (_what, where) => {
  const stream = await connect({ ...where, port, ca: certs.ca });
  expect(stream.authorized).toBe(true);
  expect(stream.authorizationError).toBeNull();
  expect((await stream.readUntil('\n')).toString()).toBe('hi\n');
  stream.close();
});

it('a name the certificate does not cover: rejects with ERR_TLS_CERT_ALTNAME_INVALID', async () => {
  const error = await rejection(connect({ host: '127.0.0.1', port, ca: certs.ca, servername: 'example.com' }));
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
});

it('check disabled with checkServerIdentity: connects; the chain is still verified', async () => {
  const stream = await connect({
    host: '127.0.0.1',
    port,
    ca: certs.ca,
    servername: 'example.com',
    checkServerIdentity: () => undefined,
  });
  expect(stream.authorized).toBe(true);
  expect((await stream.readUntil('\n')).toString()).toBe('hi\n');
  stream.close();
});

it('check disabled with rejectUnauthorized: false: connects, not authorized, says why', async () => {
  const stream = await connect({ host: '127.0.0.1', port, servername: 'example.com', rejectUnauthorized: false });
  expect(stream.authorized).toBe(false);
  // No CA given: the chain is what fails first.
  expect(stream.authorizationError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  stream.close();
});

// Node prints its own warning about the variable when connect() runs: expected here.
it('NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment does not turn verification off', async () => {
  const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  try {
    const error = await rejection(connect({ host: '127.0.0.1', port, servername: 'example.com', ca: certs.ca }));
    expect((error as StreamClosedError).realError).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  } finally {
    if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
  }
});
