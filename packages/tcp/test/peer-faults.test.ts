// Faults over real loopback sockets, caused by the peer: a reset (RST) while our read is
// pending, the peer going away while our write is in flight, and writes to a peer that has
// half-closed (sent FIN). Each ends with the documented outcome: the pending read or write
// rejects with StreamClosedError whose realError is the cause, `stream.error` holds it, the
// close callback runs once, and bytes that arrived before the fault stay readable.
import type net from 'node:net';
import { type IOStream, StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { turn, useRawServer, waitFor } from './helpers.js';

const server = useRawServer();

async function pair(options: { allowHalfOpen?: boolean } = {}): Promise<{ stream: IOStream; peer: net.Socket }> {
  const stream = await connect({ host: '127.0.0.1', port: server.port, ...options });
  return { stream, peer: await server.accepted() };
}

/** Counts close-callback runs; `settled()` waits for the first and a few more turns for a second. */
function closeCount(stream: IOStream): { runs: () => number; settled: () => Promise<number> } {
  let runs = 0;
  stream.setCloseCallback(() => runs++);
  return {
    runs: () => runs,
    async settled() {
      await waitFor(() => runs > 0, 'the close callback ran');
      for (let i = 0; i < 10; i++) await turn();
      return runs;
    },
  };
}

it('the peer resets mid-read: ECONNRESET, and the bytes before the reset stay readable', async () => {
  const { stream, peer } = await pair();
  const closes = closeCount(stream);
  const read = stream.readBytes(1000).catch((e: unknown) => e);
  const before = Buffer.alloc(100, 0x61);
  peer.write(before);
  await waitFor(() => stream.readableLength === 100, 'the first 100 bytes reached our buffer');
  peer.resetAndDestroy();
  const error = (await read) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.realError).toMatchObject({ code: 'ECONNRESET' });
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(error.realError);
  expect((await stream.readBytes(100)).equals(before)).toBe(true);
  expect(await stream.readUntilClose()).toHaveLength(0);
  expect(await closes.settled()).toBe(1);
});

it('the peer goes away mid-write: the write rejects with the cause and later writes fail the same way', async () => {
  const { stream, peer } = await pair();
  const closes = closeCount(stream);
  // Destroying a socket with unread bytes makes the kernel answer with a reset.
  peer.once('data', () => peer.destroy());
  const write = stream.write(Buffer.alloc(32 * 1024 * 1024, 0x62)).catch((e: unknown) => e);
  const error = (await write) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.realError).not.toBeNull();
  // What raw node:net reports; never tcp's own ERR_SOCKET_CLOSED (that is for a socket destroyed by code).
  expect(['EPIPE', 'ECONNRESET']).toContain((error.realError as { code?: string }).code);
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(error.realError);
  const later = await stream.write('more').catch((e: unknown) => e);
  expect(later).toBeInstanceOf(StreamClosedError);
  expect((later as StreamClosedError).realError).toBe(stream.error);
  expect(await closes.settled()).toBe(1);
});

it('a write to a half-closed peer (default): its FIN closes our stream, so the write rejects cleanly', async () => {
  const { stream, peer } = await pair();
  const closes = closeCount(stream);
  peer.end('last words');
  expect((await stream.readUntilClose()).toString()).toBe('last words');
  expect(stream.closed()).toBe(true);
  const error = await stream.write('too late').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toBeNull();
  expect(stream.error).toBeNull();
  expect(await closes.settled()).toBe(1);
});

it('a write to a half-closed peer (allowHalfOpen): reads end, the write still arrives', async () => {
  const { stream, peer } = await pair({ allowHalfOpen: true });
  const closes = closeCount(stream);
  const received: Buffer[] = [];
  peer.on('data', (b: Buffer) => received.push(b));
  const peerSawEnd = new Promise<void>((resolve) => peer.once('end', resolve));
  peer.end('bye\n');
  expect((await stream.readUntilClose()).toString()).toBe('bye\n');
  expect(stream.closed()).toBe(false);
  // EOF ends reads only: a further read rejects, cleanly.
  const read = await stream.readBytes(1).catch((e: unknown) => e);
  expect(read).toBeInstanceOf(StreamClosedError);
  expect((read as StreamClosedError).realError).toBeNull();
  await stream.write('after your FIN\n');
  await stream.end();
  await peerSawEnd;
  expect(Buffer.concat(received).toString()).toBe('after your FIN\n');
  expect(await closes.settled()).toBe(1);
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBeNull();
});
