// Node's TLS handle encrypts a write's bytes into OpenSSL's buffers inside socket.write()
// (or copies what it cannot encrypt yet) and calls back only from a later setImmediate. A
// write made while Node holds nothing is therefore released at once: `await write()` does not
// wait a turn for that callback. Checked: the write resolves while Node still counts it as
// pending, and overwriting the caller's buffer right after the await never changes what the
// peer receives (the release is safe), for single writes and write([a, b]) alike.
import type { TLSSocket } from 'node:tls';
import type { SocketTransport } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { useCerts } from './certs.js';
import { tlsPairForTest } from './helpers.js';

const certs = useCerts();

it('a write over TLS resolves once Node has the bytes, before its write callback', async () => {
  const { client, accepted } = await tlsPairForTest(certs);
  const socket = (client.getTransport() as SocketTransport).socket as TLSSocket;
  const line = Buffer.from('ping-0123456789\n');
  await client.write(line);
  // Node has not called back yet (it still counts the bytes), yet the write is done.
  expect(socket.writableLength).toBe(line.length);
  expect((await accepted.readUntil('\n')).equals(line)).toBe(true);
});

it('bytes handed over early are never changed by reusing the buffer right after the write resolves', async () => {
  const { client, accepted } = await tlsPairForTest(certs);
  const sizes = [16, 1000, 16 * 1024 + 7, 70_000];
  const expected: Buffer[] = [];
  const reused = Buffer.alloc(70_000);
  const other = Buffer.alloc(300);
  for (let round = 0; round < 40; round++) {
    const n = sizes[round % sizes.length] as number;
    const chunk = reused.subarray(0, n).fill(round);
    if (round % 3 === 2) {
      other.fill(0xf0 | (round & 0x0f));
      await client.write([chunk, other]);
      expected.push(Buffer.from(chunk), Buffer.from(other));
      other.fill(0xee);
    } else {
      await client.write(chunk);
      expected.push(Buffer.from(chunk));
    }
    // Reused at once, as a caller may once the write resolved.
    reused.fill(0xee);
  }
  const want = Buffer.concat(expected);
  expect((await accepted.readBytes(want.length)).equals(want)).toBe(true);
});
