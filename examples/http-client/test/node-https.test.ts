// https: Node's https server with a certificate from a test CA made by openssl; the
// client verifies it (and refuses it without the CA), and keeps the TLS connection alive.
import { once } from 'node:events';
import https from 'node:https';
import type net from 'node:net';
import { StreamClosedError } from '@iostream/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../src/index.js';
import { hasOpenssl, makeCerts, type TestCerts } from './certs.js';

describe.skipIf(!hasOpenssl)('https against node:https (skipped if the openssl command is missing)', () => {
  let certs: TestCerts;
  let server: https.Server;
  let base = '';
  beforeAll(async () => {
    certs = makeCerts();
    server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
      if (req.url === '/chunked') {
        res.write('chunk one, ');
        res.end('chunk two');
      } else res.end(`tls ${(req.socket as import('node:tls').TLSSocket).getProtocol()} port ${req.socket.remotePort}`);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `https://localhost:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    certs.remove();
  });

  it('verifies the server against the CA, reads chunked and fixed bodies, and reuses the connection', async () => {
    const client = new HttpClient({ ca: certs.ca });
    const first = await client.request({ url: `${base}/` });
    expect(first.body.toString()).toMatch(/^tls TLSv1\.3 port \d+$/);
    const chunked = await client.request({ url: `${base}/chunked` });
    expect([chunked.framing, chunked.body.toString(), chunked.reused]).toEqual([
      'chunked',
      'chunk one, chunk two',
      true,
    ]);
    const again = await client.request({ url: `${base}/` });
    expect(again.body.toString()).toBe(first.body.toString());
    expect(client.connectionsOpened).toBe(1);
    client.close();
  });

  it('without the CA the connection is refused (verification is on by default)', async () => {
    const client = new HttpClient();
    const error = await client.request({ url: `${base}/` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).realError).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });
});
