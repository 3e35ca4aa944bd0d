// Client TLS settings that would only fail inside the handshake are refused at the call.
// A `checkServerIdentity` that is not a function used to be accepted and then throw
// "check is not a function" uncaught in the middle of the handshake, leaving connect()
// pending forever; an empty ALPN protocol name aborts Node 20 outright. Both now throw
// at once from connect, createConnection and startTls, and nothing is started.
import { connect as tcpConnect } from '@iostream/tcp';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, createConnection, listen, startTls, type TlsServer } from '../src/index.js';
import { useCerts } from './certs.js';

const certs = useCerts();
let server: TlsServer;
let port: number;

beforeAll(async () => {
  server = await listen({ host: '127.0.0.1', port: 0, ...certs.server }, (s) => s.close());
  port = server.address().port;
});
afterAll(() => server.close({ closeStreams: true }));

const notFunctions = [42, 'tls.checkServerIdentity', {}, null];

it.each(notFunctions)('checkServerIdentity %j: connect and createConnection throw TypeError', async (value) => {
  const before = activeResources();
  const bad = { host: '127.0.0.1', port, ca: certs.ca, checkServerIdentity: value as never };
  expect(() => connect(bad)).toThrow(TypeError);
  expect(() => connect(bad)).toThrow(/checkServerIdentity must be a function/);
  expect(() => createConnection(bad)).toThrow(TypeError);
  // Nothing was started.
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('checkServerIdentity 42: startTls throws TypeError and leaves the plain stream open', async () => {
  const plain = await tcpConnect({ host: '127.0.0.1', port });
  expect(() => startTls(plain, { servername: 'localhost', ca: certs.ca, checkServerIdentity: 42 as never })).toThrow(
    TypeError,
  );
  expect(plain.closed()).toBe(false);
  // The stream is whole: it can still be upgraded.
  const secure = await startTls(plain, { servername: 'localhost', ca: certs.ca });
  expect(secure.authorized).toBe(true);
  secure.close();
});

it('a checkServerIdentity function is still called, with the name verified against', async () => {
  const names: string[] = [];
  const stream = await connect({
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    ca: certs.ca,
    checkServerIdentity: (name) => {
      names.push(name);
      return undefined;
    },
  });
  expect(names).toEqual(['localhost']);
  stream.close();
});

it('an empty or over-long ALPN protocol name throws RangeError instead of aborting the process', () => {
  for (const ALPNProtocols of [[''], ['x'.repeat(256)], ['h2', Buffer.alloc(0)] as never]) {
    expect(() => connect({ host: '127.0.0.1', port, ca: certs.ca, ALPNProtocols })).toThrow(RangeError);
  }
  expect(() => connect({ host: '127.0.0.1', port, ca: certs.ca, ALPNProtocols: 'h2' as never })).toThrow(TypeError);
});
