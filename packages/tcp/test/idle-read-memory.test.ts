// What a connection holds for reading, over real sockets: nothing of its own while its reads
// are small (they land in the one buffer every stream shares and are copied out), a slab of
// its own only while bytes arrive in bulk, given back once reads are small again.
import type { IOStream } from '@iostream/core';
import { afterEach, expect, it } from 'vitest';
import { connect, listen } from '../src/index.js';
import { QUIET_READS, type SlabReader } from '../src/slab-reader.js';
import { waitFor } from './helpers.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** The slab reader under a stream from `listen()` or `connect()`. */
function readerOf(stream: IOStream): SlabReader {
  const reader = (stream.getTransport() as unknown as { reader?: SlabReader }).reader;
  if (reader === undefined) throw new Error('this stream does not read through a SlabReader');
  return reader;
}

/** A connected pair: `accepted` from listen(), `connected` from connect(). */
async function pair(): Promise<{ accepted: IOStream; connected: IOStream }> {
  let accepted: IOStream | undefined;
  const server = await listen({ host: '127.0.0.1', port: 0 }, (stream) => {
    accepted = stream;
  });
  cleanup.push(() => server.close({ closeStreams: true }));
  const connected = await connect({ host: '127.0.0.1', port: server.address().port });
  cleanup.push(() => connected.close());
  await waitFor(() => accepted !== undefined, 'the server accepted');
  return { accepted: accepted as IOStream, connected };
}

it('a stream that received nothing, with a read pending, holds no read buffer of its own', async () => {
  const { accepted, connected } = await pair();
  const pendingAccepted = accepted.readUntil('\n');
  const pendingConnected = connected.readUntil('\n');
  // Both ends read (interest on, Node reading into the landing buffer) and hold no slab.
  expect(readerOf(accepted).slabSize).toBe(0);
  expect(readerOf(connected).slabSize).toBe(0);
  // Half a line each way: received, buffered as a copy, still no slab.
  await connected.write('half a ');
  await accepted.write('half a ');
  await waitFor(() => accepted.readableLength === 7 && connected.readableLength === 7, 'half lines arrived');
  expect(readerOf(accepted).slabSize).toBe(0);
  expect(readerOf(connected).slabSize).toBe(0);
  await connected.write('line\n');
  await accepted.write('line\n');
  expect((await pendingAccepted).toString()).toBe('half a line\n');
  expect((await pendingConnected).toString()).toBe('half a line\n');
  expect(readerOf(accepted).slabSize).toBe(0);
});

it('a stream that goes quiet after bulk gives its slab back, and every byte arrives intact', async () => {
  const { accepted, connected } = await pair();
  const bulk = Buffer.alloc(4 << 20);
  for (let i = 0; i < bulk.length; i++) bulk[i] = (i * 7 + (i >> 12)) % 251;
  const received = accepted.readBytes(bulk.length);
  await connected.write(bulk);
  expect((await received).equals(bulk)).toBe(true);
  // Under bulk the reader took a slab of its own.
  expect(readerOf(accepted).slabSize).toBeGreaterThan(0);
  // Quiet reads: one small line per round trip, so each is a read of its own.
  for (let i = 0; i < QUIET_READS + 1; i++) {
    await connected.write(`line ${i}\n`);
    expect((await accepted.readUntil('\n')).toString()).toBe(`line ${i}\n`);
  }
  expect(readerOf(accepted).slabSize).toBe(0);
});
