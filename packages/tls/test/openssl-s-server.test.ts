// A TLS server no one here wrote: `openssl s_server -rev` reverses each line. connect()
// verifies its certificate against the test CA, and presents a client certificate when
// s_server demands one (-Verify).
import { StreamClosedError } from '@iostream/core';
import { afterEach, expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { hasOpenssl, useCerts } from './certs.js';
import { rejection } from './helpers.js';
import { killAll, sServer } from './openssl.js';

const certs = useCerts();
afterEach(killAll);

it.skipIf(!hasOpenssl)('connect() talks to openssl s_server -rev over verified TLS', async () => {
  const { port } = await sServer(['-cert', certs.files.serverCert, '-key', certs.files.serverKey, '-rev']);
  const stream = await connect({ host: 'localhost', port, ca: certs.ca, handshakeTimeout: 10_000 });
  expect(stream.authorized).toBe(true);
  expect(stream.getProtocol()).toBe('TLSv1.3');
  expect(stream.getPeerCertificate()?.subject?.CN).toBe('localhost');
  await stream.write('hello world\n');
  expect((await stream.readUntil('\n', { maxBytes: 1024 })).toString()).toBe('dlrow olleh\n');
  await stream.write('iostream\n');
  expect((await stream.readUntil('\n', { maxBytes: 1024 })).toString()).toBe('maertsoi\n');
  stream.close();
});

it.skipIf(!hasOpenssl)('with -Verify, a client certificate signed by the CA is required', async () => {
  const { port } = await sServer([
    '-cert',
    certs.files.serverCert,
    '-key',
    certs.files.serverKey,
    '-CAfile',
    certs.files.ca,
    '-Verify',
    '1',
    '-verify_return_error',
    '-rev',
  ]);
  const stream = await connect({ host: '127.0.0.1', port, ca: certs.ca, ...certs.client, handshakeTimeout: 10_000 });
  await stream.write('abc\n');
  expect((await stream.readUntil('\n', { maxBytes: 1024 })).toString()).toBe('cba\n');
  stream.close();

  // Without one, s_server refuses; in TLS 1.3 the client learns it on its first read.
  const bare = await connect({ host: '127.0.0.1', port, ca: certs.ca, handshakeTimeout: 10_000 });
  await bare.write('abc\n').catch(() => {});
  const error = await rejection(bare.readUntil('\n'));
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(bare.closed()).toBe(true);
});
