// Small writes made in one turn over TLS: the first goes at once, the rest reach the TLS socket
// together when the turn ends (its _writev: one encryption pass, not a record per write).
// Counted on the socket: no timing.
import type { TLSSocket } from 'node:tls';
import type { SocketTransport } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { useCerts } from './certs.js';
import { tlsPairForTest } from './helpers.js';

const certs = useCerts();

it('20 writes in one turn reach the TLS socket as one _write and one _writev, and arrive in order', async () => {
  const { client, accepted } = await tlsPairForTest(certs);
  const socket = (client.getTransport() as SocketTransport).socket as TLSSocket & {
    _writev: (...args: unknown[]) => void;
    _write: (...args: unknown[]) => void;
  };
  const counts = { writev: 0, write: 0, chunksInWritev: 0 };
  const writev = socket._writev;
  const write = socket._write;
  socket._writev = function (this: unknown, ...args: unknown[]) {
    counts.writev++;
    counts.chunksInWritev += (args[0] as unknown[]).length;
    return writev.apply(this, args);
  };
  socket._write = function (this: unknown, ...args: unknown[]) {
    counts.write++;
    return write.apply(this, args);
  };
  const lines = Array.from({ length: 20 }, (_, i) => `line ${i}\n`);
  await Promise.all(lines.map((line) => client.write(line)));
  expect(counts).toEqual({ write: 1, writev: 1, chunksInWritev: 19 });
  expect((await accepted.readBytes(lines.join('').length)).toString()).toBe(lines.join(''));
});
