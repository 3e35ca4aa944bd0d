/**
 * Shared test helpers: loopback servers and condition waits (bounded, never fixed delays).
 * Leak checks come from @iostream/testkit (`activeResources`, `waitForNoNewResources`).
 */
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import type { IOStream } from '@iostream/core';
import { afterEach, beforeEach } from 'vitest';
import type { SocketTransport } from '../src/index.js';

/** Whether this machine has an IPv6 loopback (`::1`). */
export const hasIPv6 = Object.values(os.networkInterfaces()).some((list) =>
  (list ?? []).some((i) => i.family === 'IPv6' && i.address === '::1'),
);

/** Waiting by event-loop turns, bounded (shared with the other packages' tests). */
export { nextTurn as turn, waitForTurns as waitFor } from '@iostream/testkit';

/** A raw `net` server on 127.0.0.1 that keeps every accepted socket for the test to drive. */
export async function rawServer(): Promise<{
  port: number;
  accepted: () => Promise<net.Socket>;
  close: () => Promise<void>;
}> {
  const sockets: net.Socket[] = [];
  const all = new Set<net.Socket>();
  const waiting: ((s: net.Socket) => void)[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    s.on('error', () => {});
    all.add(s);
    s.once('close', () => all.delete(s));
    const w = waiting.shift();
    if (w) w(s);
    else sockets.push(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => {
      const s = sockets.shift();
      return s ? Promise.resolve(s) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of all) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** What {@link rawServer} resolves with. */
export type RawServer = Awaited<ReturnType<typeof rawServer>>;

/**
 * A fresh {@link rawServer} for each test of the calling file, closed after it. Call at
 * the top of the file; the object returned takes each test's server's fields as it starts.
 */
export function useRawServer(): RawServer {
  const server = {} as RawServer;
  beforeEach(async () => {
    Object.assign(server, await rawServer());
  });
  afterEach(() => server.close());
  return server;
}

/** A small HTTP server on 127.0.0.1: `/hello` answers "Hello" with a Content-Length; `/big` streams `size` bytes and closes. */
export async function httpServer(bigSize = 4 * 1024 * 1024): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/hello') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '5' });
      res.end('Hello');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', Connection: 'close' });
    res.end(Buffer.alloc(bigSize, 0x61));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parse the Content-Length out of a header block. */
export function contentLength(head: Buffer): number {
  const m = /\r\ncontent-length:\s*(\d+)\r\n/i.exec(head.toString('latin1'));
  if (!m?.[1]) throw new Error('no Content-Length');
  return Number(m[1]);
}

/** What the socket under `stream` was handed and delivered: buffers given to useUserBuffer, bytes read into `memory`. */
export function spyOnLoans(stream: IOStream, memory: ArrayBufferLike) {
  const transport = stream.getTransport() as SocketTransport;
  const handle = (transport.socket as unknown as { _handle: { useUserBuffer(b: Uint8Array): void } })._handle;
  const pointedAt: Uint8Array[] = [];
  const original = handle.useUserBuffer;
  handle.useUserBuffer = function (this: unknown, b: Uint8Array) {
    pointedAt.push(b);
    return original.call(this, b);
  };
  const seen = { lentBytes: 0, otherBytes: 0 };
  const read = transport.readFromFd.bind(transport);
  transport.readFromFd = () => {
    const chunk = read();
    if (chunk instanceof Uint8Array) {
      if (chunk.buffer === memory) seen.lentBytes += chunk.length;
      else seen.otherBytes += chunk.length;
    }
    return chunk;
  };
  return { pointedAt, seen };
}
