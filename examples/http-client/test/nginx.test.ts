// The client against nginx, a server nobody here wrote: static files by Content-Length,
// gzip bodies chunked (HTTP/1.1) and until close (HTTP/1.0), keep-alive reuse that
// nginx itself counts ($connection_requests), 404s, and the same over TLS.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../src/index.js';
import { hasOpenssl, makeCerts, type TestCerts } from './certs.js';
import { hasNginx, SKIP_REASON, useNginx } from './nginx.js';

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe.skipIf(!hasNginx || !hasOpenssl)(
  `against nginx (skipped if missing: ${SKIP_REASON}; needs openssl too)`,
  () => {
    let certs: TestCerts;
    beforeAll(() => {
      certs = makeCerts();
    });
    afterAll(() => certs?.remove());
    const nginx = useNginx(() => certs);
    const file = randomBytes(2 * 1024 * 1024 + 3);
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${i} of a compressible text file\n`).join('');
    beforeAll(() => {
      writeFileSync(path.join(nginx.root, 'file.bin'), file);
      writeFileSync(path.join(nginx.root, 'text.txt'), text);
    });

    it('a static file by Content-Length, and a return directive', async () => {
      const client = new HttpClient();
      const res = await client.request({ url: `http://127.0.0.1:${nginx.port}/file.bin` });
      expect([res.status, res.framing, res.headers['content-length']]).toEqual([
        200,
        'content-length',
        String(file.length),
      ]);
      expect(res.headers.server).toMatch(/^nginx/);
      expect(sha(res.body)).toBe(sha(file));
      const hello = await client.request({ url: `http://127.0.0.1:${nginx.port}/hello` });
      expect(hello.body.toString()).toBe('hello from nginx\n');
      client.close();
    });

    it('a gzip response over HTTP/1.1 is chunked', async () => {
      const client = new HttpClient();
      const res = await client.request({
        url: `http://127.0.0.1:${nginx.port}/text.txt`,
        headers: { 'Accept-Encoding': 'gzip' },
      });
      expect([res.status, res.framing, res.headers['content-encoding']]).toEqual([200, 'chunked', 'gzip']);
      expect(gunzipSync(res.body).toString()).toBe(text);
      client.close();
    });

    it('the same over HTTP/1.0 has no length and ends when nginx closes the connection', async () => {
      const client = new HttpClient({ httpVersion: '1.0' });
      const res = await client.request({
        url: `http://127.0.0.1:${nginx.port}/text.txt`,
        headers: { 'Accept-Encoding': 'gzip' },
      });
      expect([res.httpVersion, res.status, res.framing]).toEqual(['1.1', 200, 'until-close']);
      expect(gunzipSync(res.body).toString()).toBe(text);
      client.close();
    });

    it('keep-alive: nginx counts the requests on one connection', async () => {
      const client = new HttpClient();
      const seen: [string | undefined, string | undefined][] = [];
      for (const url of ['/hello', '/file.bin', '/text.txt', '/missing', '/hello']) {
        const res = await client.request({
          url: `http://127.0.0.1:${nginx.port}${url}`,
          headers: { 'Accept-Encoding': 'gzip' },
        });
        seen.push([res.headers['x-connection'], res.headers['x-connection-requests']]);
      }
      expect(new Set(seen.map(([id]) => id)).size).toBe(1);
      expect(seen.map(([, n]) => n)).toEqual(['1', '2', '3', '4', '5']);
      expect(client.connectionsOpened).toBe(1);
      client.close();
    });

    it('404 with nginx’s own error page', async () => {
      const client = new HttpClient();
      const res = await client.request({ url: `http://127.0.0.1:${nginx.port}/missing` });
      expect([res.status, res.reason]).toEqual([404, 'Not Found']);
      expect(res.body.toString()).toContain('<center>nginx');
      client.close();
    });

    it('https: verified against the test CA, chunked gzip and keep-alive over TLS', async () => {
      const client = new HttpClient({ ca: certs.ca });
      const url = `https://localhost:${nginx.tlsPort}`;
      const file1 = await client.request({ url: `${url}/file.bin` });
      expect(sha(file1.body)).toBe(sha(file));
      const gz = await client.request({ url: `${url}/text.txt`, headers: { 'Accept-Encoding': 'gzip' } });
      expect(gz.framing).toBe('chunked');
      expect(gunzipSync(gz.body).toString()).toBe(text);
      expect(gz.headers['x-connection-requests']).toBe('2');
      expect(client.connectionsOpened).toBe(1);
      client.close();
    });
  },
);
