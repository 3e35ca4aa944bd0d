// The client against Node's own http server: every body framing, keep-alive reuse,
// a stale kept-alive connection, HEAD and 204, a POST body, and maxHeaderBytes.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type net from 'node:net';
import { UnsatisfiableReadError } from '@iostream/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HttpClient } from '../src/index.js';

const big = randomBytes(3 * 1024 * 1024 + 17);
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

let server: http.Server;
let base = '';
const connections: net.Socket[] = [];

beforeAll(async () => {
  server = http.createServer({ maxHeaderSize: 256 * 1024 }, async (req, res) => {
    const path = req.url ?? '/';
    if (path === '/fixed') {
      res.setHeader('content-length', 5);
      res.end('hello');
    } else if (path === '/chunked') {
      // No Content-Length: Node sends Transfer-Encoding: chunked, one chunk per write.
      for (let at = 0; at < big.length; ) {
        const n = 1 + ((at * 7919) % 70_000);
        res.write(big.subarray(at, at + n));
        at += n;
      }
      res.end();
    } else if (path === '/until-close') {
      res.removeHeader('transfer-encoding'); // neither length nor chunked: the body ends at close
      res.setHeader('connection', 'close');
      res.write('first part, ');
      setTimeout(() => res.end('then the rest'), 20);
    } else if (path === '/echo') {
      const parts: Buffer[] = [];
      for await (const part of req) parts.push(part as Buffer);
      res.setHeader('content-length', Buffer.concat(parts).length);
      res.end(Buffer.concat(parts));
    } else if (path === '/empty') {
      res.statusCode = 204;
      res.end();
    } else if (path === '/huge-header') {
      res.setHeader('x-huge', 'h'.repeat(100 * 1024));
      res.end('never read');
    } else if (path === '/remote-port') {
      res.end(String(req.socket.remotePort));
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  server.on('connection', (socket: net.Socket) => connections.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('Content-Length body', async () => {
  const client = new HttpClient();
  const res = await client.request({ url: `${base}/fixed` });
  expect([res.status, res.reason, res.framing, res.body.toString()]).toEqual([200, 'OK', 'content-length', 'hello']);
  expect(res.headers['content-length']).toBe('5');
  client.close();
});

it('chunked body of 3 MiB in chunks of many sizes arrives intact', async () => {
  const client = new HttpClient();
  const res = await client.request({ url: `${base}/chunked` });
  expect(res.headers['transfer-encoding']).toBe('chunked');
  expect(res.framing).toBe('chunked');
  expect(res.body.length).toBe(big.length);
  expect(sha(res.body)).toBe(sha(big));
  client.close();
});

it('a body without length or chunking is read until the server closes', async () => {
  const client = new HttpClient();
  const res = await client.request({ url: `${base}/until-close` });
  expect(res.framing).toBe('until-close');
  expect(res.body.toString()).toBe('first part, then the rest');
  expect(res.reusable).toBe(false);
  client.close();
});

it('keep-alive: sequential requests reuse one connection', async () => {
  const client = new HttpClient();
  const before = connections.length;
  const ports = new Set<string>();
  for (let i = 0; i < 10; i++) {
    const res = await client.request({ url: `${base}/remote-port` });
    expect(res.reused).toBe(i > 0);
    ports.add(res.body.toString());
  }
  await client.request({ url: `${base}/chunked` }); // a chunked body leaves the connection reusable too
  expect((await client.request({ url: `${base}/fixed` })).reused).toBe(true);
  expect(ports.size).toBe(1);
  expect(client.connectionsOpened).toBe(1);
  expect(connections.length - before).toBe(1);
  client.close();
});

it('a kept-alive connection the server closed is replaced transparently', async () => {
  const client = new HttpClient();
  await client.request({ url: `${base}/fixed` });
  server.closeIdleConnections();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const res = await client.request({ url: `${base}/fixed` });
  expect(res.body.toString()).toBe('hello');
  expect(client.connectionsOpened).toBe(2);
  client.close();
});

it('POST with a body; HEAD and 204 have no body', async () => {
  const client = new HttpClient();
  const posted = await client.request({ url: `${base}/echo`, method: 'POST', body: big });
  expect(sha(posted.body)).toBe(sha(big));
  const head = await client.request({ url: `${base}/fixed`, method: 'HEAD' });
  expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, '5', 0]);
  const empty = await client.request({ url: `${base}/empty` });
  expect([empty.status, empty.framing]).toEqual([204, 'none']);
  // All of them on the same connection: the framing rules left it in sync.
  expect((await client.request({ url: `${base}/fixed` })).body.toString()).toBe('hello');
  expect(client.connectionsOpened).toBe(1);
  client.close();
});

it('headers larger than maxHeaderBytes fail with UnsatisfiableReadError', async () => {
  const client = new HttpClient({ maxHeaderBytes: 16 * 1024 });
  await expect(client.request({ url: `${base}/huge-header` })).rejects.toBeInstanceOf(UnsatisfiableReadError);
  const ok = await client.request({ url: `${base}/fixed` }); // a new connection, all fine
  expect(ok.body.toString()).toBe('hello');
  client.close();
});

it('a 404 is a response like any other', async () => {
  const client = new HttpClient();
  const res = await client.request({ url: `${base}/nope` });
  expect([res.status, res.reason, res.body.toString()]).toEqual([404, 'Not Found', 'not found']);
  client.close();
});
