// write([head, body]) over TLS goes through the socket's cork()/uncork(): Node hands the
// chunks to _writev together (one encryption pass, one writev on the TLS handle), and many
// vectored writes to a peer that stops reading arrive intact, with every write resolved in order.
import type { TLSSocket } from 'node:tls';
import type { IOStream } from '@iostream/core';
import type { SocketTransport } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { useCerts } from './certs.js';
import { tlsPairForTest, turn, waitFor } from './helpers.js';

const certs = useCerts();

/** Count `_writev` (Node's batch of corked writes) and `_write` (one chunk) calls on a stream's TLS socket. */
function countSocketWrites(stream: IOStream): { writev: number; write: number } {
  const socket = (stream.getTransport() as SocketTransport).socket as TLSSocket & {
    _writev: (...args: unknown[]) => void;
    _write: (...args: unknown[]) => void;
  };
  const counts = { writev: 0, write: 0 };
  const writev = socket._writev;
  const write = socket._write;
  socket._writev = function (this: unknown, ...args: unknown[]) {
    counts.writev++;
    return writev.apply(this, args);
  };
  socket._write = function (this: unknown, ...args: unknown[]) {
    counts.write++;
    return write.apply(this, args);
  };
  return counts;
}

it('one _writev per write([head, body]) over TLS, and the peer gets the bytes in order', async () => {
  const { client, accepted } = await tlsPairForTest(certs);
  const counts = countSocketWrites(client);
  const head = Buffer.alloc(200, 0x68);
  for (let i = 0; i < 10; i++) {
    const body = Buffer.alloc(1024, i);
    await client.write([head, body]);
    expect((await accepted.readBytes(1224)).equals(Buffer.concat([head, body]))).toBe(true);
  }
  expect(counts).toEqual({ writev: 10, write: 0 });
});

it('many vectored writes to a TLS peer that stops reading arrive intact and resolve in order', async () => {
  const { client, accepted } = await tlsPairForTest(certs);
  const counts = countSocketWrites(client);
  const sent: Buffer[] = [];
  const order: number[] = [];
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 200; i++) {
    const chunks = [
      Buffer.alloc(1 + (i % 200), i % 251),
      Buffer.alloc(16384 + i, (i * 7) % 251),
      Buffer.from([i & 0xff]),
    ];
    sent.push(...chunks);
    writes.push(client.write(chunks).then(() => void order.push(i)));
    if (i % 50 === 49) await turn();
  }
  // The accepted stream reads nothing until now: its socket is paused, the sender held back.
  const total = sent.reduce((n, c) => n + c.length, 0);
  const received = await accepted.readBytes(total);
  await Promise.all(writes);
  expect(order).toEqual(writes.map((_, i) => i));
  expect(received.equals(Buffer.concat(sent))).toBe(true);
  await waitFor(() => client.writableLength === 0, 'nothing left queued');
  // Corked batches: Node got runs of chunks, never one chunk per _write call per element.
  expect(counts.writev).toBeGreaterThan(0);
  expect(counts.writev + counts.write).toBeLessThan(writes.length);
});
