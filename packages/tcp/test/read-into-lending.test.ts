// readInto over real loopback sockets hands Node the caller's memory: the socket's handle is
// pointed at the unfilled target (handle.useUserBuffer, or the onread generator inside a read),
// so bytes land there with no slab and no copy. Checked for connect() and listen() streams:
// every byte intact and in order, the handle given the caller's memory, chunks read straight
// into it, and nothing written past the target (sentinels after it).
import net from 'node:net';
import type { IOStream } from '@iostream/core';
import { expect, it } from 'vitest';
import { connect, listen } from '../src/index.js';
import { MIN_LOAN } from '../src/lent-reads.js';
import { spyOnLoans, turn, useRawServer } from './helpers.js';

const TOTAL = 8 * 1024 * 1024 + 12345;
const TARGET = 64 * 1024;
const SENTINEL = 0xa5;
const GUARD = 256;

const byteAt = (i: number) => (i * 7 + (i >>> 11)) % 253;
function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = byteAt(i);
  return b;
}

const server = useRawServer();

function expectLent(loans: ReturnType<typeof spyOnLoans>, target: Buffer, asked: readonly Uint8Array[]): void {
  // The handle was pointed at the caller's memory (never past the target)...
  const intoTarget = loans.pointedAt.filter((b) => b.buffer === target.buffer);
  expect(intoTarget.length).toBeGreaterThan(0);
  for (const b of intoTarget) {
    expect(b.byteOffset).toBeGreaterThanOrEqual(target.byteOffset);
    expect(b.byteOffset + b.length).toBeLessThanOrEqual(target.byteOffset + target.length);
  }
  // ...a read starting with nothing filled at the very object given to readInto, no view made for it...
  expect(intoTarget.some((b) => asked.includes(b))).toBe(true);
  // ...and most bytes were read straight into it.
  expect(loans.seen.lentBytes).toBeGreaterThan(TOTAL / 2);
}

it('a connect() stream reads 64 KiB readInto targets straight into the caller memory, intact', async () => {
  const data = pattern(TOTAL);
  const connecting = connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  const stream = await connecting;
  peer.end(data);
  const { loans, target, asked } = await receiveIntoSpied(stream, TOTAL);
  expectLent(loans, target, asked);
  stream.close();
});

it('a listen() stream reads 64 KiB readInto targets straight into the caller memory, intact', async () => {
  const data = pattern(TOTAL);
  let result: ReturnType<typeof receiveIntoSpied> | undefined;
  const done = new Promise<void>((resolve, reject) => {
    void listen({ host: '127.0.0.1', port: 0 }, async (stream) => {
      result = receiveIntoSpied(stream, TOTAL);
      await result.then(() => resolve(), reject);
    }).then((srv) => {
      const client = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1');
      client.on('error', reject);
      client.end(data);
      void done.finally(() => {
        client.destroy();
        void srv.close();
      });
    }, reject);
  });
  await done;
  const { loans, target, asked } = await (result as NonNullable<typeof result>);
  expectLent(loans, target, asked);
});

/**
 * readInto a 64 KiB target (a slice of a larger buffer, sentinels either side) until
 * `total` bytes, checking each read and the sentinels, then EOF; with spies on the loans.
 */
async function receiveIntoSpied(stream: IOStream, total: number) {
  const backing = Buffer.alloc(GUARD + TARGET + GUARD, SENTINEL);
  const target = backing.subarray(GUARD, GUARD + TARGET);
  const loans = spyOnLoans(stream, backing.buffer);
  const asked: Uint8Array[] = [];
  let at = 0;
  while (at < total) {
    const want = Math.min(TARGET, total - at);
    const into = target.subarray(0, want);
    asked.push(into);
    into.fill(0);
    expect(await stream.readInto(into)).toBe(want);
    let bad = -1;
    for (let j = 0; j < want && bad < 0; j++) if (into[j] !== byteAt(at + j)) bad = j;
    expect(bad).toBe(-1);
    for (let j = 0; j < GUARD; j++) {
      expect(backing[j]).toBe(SENTINEL);
      expect(backing[GUARD + TARGET + j]).toBe(SENTINEL);
    }
    at += want;
  }
  expect((await stream.readUntilClose()).length).toBe(0);
  return { loans, target, asked };
}

it('an aborted readInto points the handle back at the reader: later bytes never reach the target', async () => {
  const connecting = connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  const stream = await connecting;
  const target = Buffer.alloc(TARGET, SENTINEL);
  const loans = spyOnLoans(stream, target.buffer);
  const ac = new AbortController();
  const p = stream.readInto(target, { signal: ac.signal });
  await turn();
  expect(loans.pointedAt.at(-1)?.buffer).toBe(target.buffer);
  ac.abort();
  await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  // Re-pointed away from the caller's memory.
  expect(loans.pointedAt.at(-1)?.buffer).not.toBe(target.buffer);
  const data = pattern(200000);
  peer.end(data);
  expect((await stream.readBytes(data.length)).equals(data)).toBe(true);
  expect(target.every((b) => b === SENTINEL)).toBe(true);
  expect(loans.seen.lentBytes).toBe(0);
  stream.close();
});

it('a partial readInto takes the first read into the target and leaves the rest to the next reads', async () => {
  const connecting = connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  const stream = await connecting;
  const target = Buffer.alloc(TARGET);
  const loans = spyOnLoans(stream, target.buffer);
  const p = stream.readInto(target, { partial: true });
  await turn();
  peer.write(Buffer.from('hello'));
  expect(await p).toBe(5);
  expect(target.subarray(0, 5).toString()).toBe('hello');
  expect(loans.seen.lentBytes).toBe(5);
  peer.end('world');
  expect((await stream.readUntilClose()).toString()).toBe('world');
  stream.close();
});

it('a target smaller than MIN_LOAN is not lent from outside a read (the handle is not re-pointed)', async () => {
  const connecting = connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  const stream = await connecting;
  const target = Buffer.alloc(MIN_LOAN - 1);
  const loans = spyOnLoans(stream, target.buffer);
  const p = stream.readInto(target);
  peer.end(pattern(target.length));
  expect(await p).toBe(target.length);
  expect(target.equals(pattern(target.length))).toBe(true);
  expect(loans.pointedAt.filter((b) => b.buffer === target.buffer)).toEqual([]);
  stream.close();
});

it('a plain Uint8Array target (not a Buffer) is lent as it is and filled intact', async () => {
  const data = pattern(4 * TARGET + 100);
  const connecting = connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  const stream = await connecting;
  const loans = spyOnLoans(stream, new ArrayBuffer(0));
  peer.end(data);
  const target = new Uint8Array(TARGET);
  let at = 0;
  while (at < data.length) {
    const into = data.length - at >= TARGET ? target : target.subarray(0, data.length - at);
    const n = await stream.readInto(into);
    expect(Buffer.from(into.subarray(0, n)).equals(data.subarray(at, at + n))).toBe(true);
    at += n;
  }
  // The handle was pointed at the caller's own Uint8Array, not at a Buffer made over it.
  expect(loans.pointedAt).toContain(target);
  expect((await stream.readUntilClose()).length).toBe(0);
  stream.close();
});
