/**
 * A real nginx for the tests: started on free loopback ports (plain and TLS) with a
 * config generated into a temp dir that also holds the document root, the pid file,
 * the logs and the temp paths, so nothing under /etc or /var is read or written.
 * `master_process off` keeps it one process running as the test's user, so it can
 * read the temp dir. Where nginx is not installed, `hasNginx` is false and the tests
 * that need it are skipped with `SKIP_REASON`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '@iostream/testkit';
import { afterAll, beforeAll } from 'vitest';
import type { TestCerts } from './certs.js';

/** The nginx binary: on PATH, or where Debian puts it (/usr/sbin is not on every user's PATH). */
const NGINX = ['nginx', '/usr/sbin/nginx'].find((bin) => spawnSync(bin, ['-v'], { stdio: 'ignore' }).status === 0);
export const hasNginx = NGINX !== undefined;
export const SKIP_REASON = 'nginx is not installed (Debian: apt-get install nginx; .ci/run installs it)';

if (!hasNginx) console.warn(`skipping the nginx tests: ${SKIP_REASON}`);

function config(dir: string, port: number, tlsPort: number, certs: TestCerts): string {
  const p = (name: string) => path.join(dir, name);
  return `
daemon off;
master_process off;
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${p('tmp/body')};
  proxy_temp_path ${p('tmp/proxy')};
  fastcgi_temp_path ${p('tmp/fastcgi')};
  uwsgi_temp_path ${p('tmp/uwsgi')};
  scgi_temp_path ${p('tmp/scgi')};
  types { text/plain txt; application/octet-stream bin; }
  default_type application/octet-stream;
  keepalive_requests 1000;
  # gzip has no length up front: HTTP/1.1 clients get it chunked, HTTP/1.0 ones until close.
  gzip on;
  gzip_types *;
  gzip_min_length 0;
  gzip_http_version 1.0;
  server {
    listen 127.0.0.1:${port};
    listen 127.0.0.1:${tlsPort} ssl;
    ssl_certificate ${certs.certFile};
    ssl_certificate_key ${certs.keyFile};
    root ${p('www')};
    add_header X-Connection $connection always;
    add_header X-Connection-Requests $connection_requests always;
    location = /hello { return 200 "hello from nginx\\n"; }
  }
}
`;
}

export interface NginxServer {
  port: number;
  tlsPort: number;
  /** The document root: write files here to serve them. */
  root: string;
}

/** Start nginx before this file's tests (with `certs()` for its TLS port), stop it after. Read the fields inside tests. */
export function useNginx(certs: () => TestCerts): NginxServer {
  const server: NginxServer = { port: 0, tlsPort: 0, root: '' };
  let child: ChildProcess | null = null;
  let dir = '';
  beforeAll(async () => {
    if (!hasNginx) return;
    dir = mkdtempSync(path.join(os.tmpdir(), 'iostream-nginx-'));
    chmodSync(dir, 0o755);
    for (const sub of ['www', 'tmp']) mkdirSync(path.join(dir, sub));
    server.root = path.join(dir, 'www');
    for (let attempt = 0; ; attempt++) {
      server.port = await freeLoopbackPort();
      server.tlsPort = await freeLoopbackPort();
      writeFileSync(path.join(dir, 'nginx.conf'), config(dir, server.port, server.tlsPort, certs()));
      // -e: the error log before the config is read (the default is under /var/log); -p: the prefix.
      child = spawn(
        NGINX as string,
        ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const deadline = Date.now() + 10_000;
      while (child.exitCode === null && Date.now() < deadline && !(await listening(server.port))) await sleep(20);
      if (child.exitCode === null && (await listening(server.port))) return;
      child.kill('SIGKILL');
      if (attempt >= 3) throw new Error(`nginx did not start: ${stderr.trim()}`);
    }
  });
  afterAll(async () => {
    if (child !== null && child.exitCode === null) {
      child.kill('SIGQUIT'); // graceful shutdown
      await once(child, 'exit');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return server;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
  });
}
