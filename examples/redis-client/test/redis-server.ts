/**
 * A real redis-server for the tests: started on a free loopback port with no
 * persistence (`--save '' --appendonly no`), its working dir a temp dir, stopped
 * after the file's tests. Where redis-server is not installed, `hasRedis` is false and
 * the tests that need it are skipped with `SKIP_REASON`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '@iostream/testkit';
import { afterAll, beforeAll } from 'vitest';

export const hasRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
export const SKIP_REASON = 'redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)';

if (!hasRedis) console.warn(`skipping the redis-server tests: ${SKIP_REASON}`);

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.end('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString() === '+PONG\r\n');
    });
  });
}

export interface RedisServer {
  port: number;
}

async function start(dir: string): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freeLoopbackPort();
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const deadline = Date.now() + 10_000;
    while (child.exitCode === null && Date.now() < deadline) {
      if (await answersPing(port)) return { child, port };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    // Another process may have taken the port between freeLoopbackPort() and the bind: try another.
    if (attempt >= 3) throw new Error(`redis-server did not start on port ${port}: ${stderr.trim()}`);
  }
}

/** Start redis-server before this file's tests, stop it after them. Read `port` inside tests. */
export function useRedisServer(): RedisServer {
  const server: RedisServer = { port: 0 };
  let child: ChildProcess | null = null;
  let dir = '';
  beforeAll(async () => {
    if (!hasRedis) return;
    dir = mkdtempSync(path.join(os.tmpdir(), 'iostream-redis-'));
    const started = await start(dir);
    child = started.child;
    server.port = started.port;
  });
  afterAll(async () => {
    if (child !== null && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return server;
}
