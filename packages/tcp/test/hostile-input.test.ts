// Hostile peers against a stream with limits, over real loopback sockets: a "line" with no
// delimiter that goes on for hundreds of MiB, a regex read that never matches, a length
// prefix of 4 GiB, and a slowloris peer that trickles one byte every few milliseconds.
// Each read ends early with the documented error (UnsatisfiableReadError for maxBytes,
// StreamBufferFullError for maxBufferSize, AbortError for a signal), having buffered no
// more than its limit plus about a chunk; the flooding sender is held back by TCP flow
// control (its writableLength grows) and stops once the stream closes. Nothing waits on a
// clock: the floods end when the stream gives up, the slowloris read when its signal fires.
import type net from 'node:net';
import {
  AbortError,
  type IOStream,
  StreamBufferFullError,
  StreamClosedError,
  UnsatisfiableReadError,
} from '@iostream/core';
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { turn, useRawServer, waitFor } from './helpers.js';

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

const server = useRawServer();

async function victim(options: { maxBufferSize?: number } = {}): Promise<{ stream: IOStream; peer: net.Socket }> {
  const stream = await connect({ host: '127.0.0.1', port: server.port, readChunkSize: CHUNK, ...options });
  return { stream, peer: await server.accepted() };
}

/**
 * The peer offers `total` bytes of `fill` (never a newline), as fast as TCP lets it: it keeps
 * up to 1 MiB queued in its socket and tops up on 'drain', until it has offered everything or
 * its socket closes. Only one block is allocated: the attack's size is what is offered, not
 * what is held in memory.
 */
function flood(peer: net.Socket, total: number, fill = 0x61): { offered: () => number; stopped: Promise<void> } {
  const block = Buffer.alloc(CHUNK, fill);
  let offered = 0;
  const stopped = new Promise<void>((resolve) => {
    peer.once('close', () => resolve());
    const pump = () => {
      while (offered < total && !peer.destroyed && peer.writable) {
        if (peer.writableLength >= MiB) {
          peer.once('drain', pump);
          return;
        }
        offered += block.length;
        peer.write(block);
      }
      resolve();
    };
    pump();
  });
  return { offered: () => offered, stopped };
}

/**
 * With no read pending, the stream reads about a chunk ahead and then stops: the sender's
 * bytes pile up in its own socket (writableLength stays above zero however long we let
 * the loop run) while our buffer holds at most two chunks.
 */
async function expectSenderHeldBack(stream: IOStream, peer: net.Socket): Promise<void> {
  await waitFor(() => stream.readableLength >= CHUNK && peer.writableLength > 0, 'the stream read a chunk ahead');
  for (let i = 0; i < 200; i++) await turn();
  expect(peer.writableLength).toBeGreaterThan(0);
  expect(stream.readableLength).toBeLessThanOrEqual(2 * CHUNK);
}

/** Until the peer sees the connection end (FIN or reset). */
function peerGone(peer: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (peer.destroyed || peer.readableEnded) resolve();
    peer.once('end', resolve);
    peer.once('close', resolve);
  });
}

it('a line with no delimiter for 512 MiB: maxBytes ends it at about 1 MiB with UnsatisfiableReadError', async () => {
  const { stream, peer } = await victim();
  const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
  const attack = flood(peer, 512 * MiB);
  // No read pending yet: the stream reads about a chunk ahead and holds the sender back.
  await expectSenderHeldBack(stream, peer);

  const error = await stream.readUntil('\n', { maxBytes: MiB }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnsatisfiableReadError);
  expect(error).toMatchObject({ name: 'UnsatisfiableReadError', code: 'ERR_UNSATISFIABLE_READ' });
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(error);
  // What it buffered: maxBytes plus at most a batch of chunks, kept readable after close.
  expect(stream.readableLength).toBeGreaterThan(MiB);
  expect(stream.readableLength).toBeLessThanOrEqual(MiB + 2 * CHUNK);
  expect(process.memoryUsage().arrayBuffers - arrayBuffersBefore).toBeLessThan(64 * MiB);
  await attack.stopped;
  // The sender got nowhere near its 512 MiB: the kernel's buffers and ours, and then a closed socket.
  expect(attack.offered()).toBeLessThan(64 * MiB);
});

it('a line with no delimiter and no maxBytes: maxBufferSize ends it with StreamBufferFullError', async () => {
  const { stream, peer } = await victim({ maxBufferSize: 2 * MiB });
  const attack = flood(peer, 512 * MiB);
  const error = await stream.readUntil('\n').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StreamBufferFullError);
  expect(error).toMatchObject({ name: 'StreamBufferFullError', code: 'ERR_STREAM_BUFFER_FULL' });
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(error);
  expect(stream.readableLength).toBeLessThanOrEqual(2 * MiB + 2 * CHUNK);
  await attack.stopped;
  expect(attack.offered()).toBeLessThan(64 * MiB);
});

it('a regex read that never matches: maxBytes ends it with UnsatisfiableReadError', async () => {
  const { stream, peer } = await victim();
  const attack = flood(peer, 512 * MiB, 0x78);
  const error = await stream.readUntilRegex(/END\r?\n/, { maxBytes: 256 * 1024 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnsatisfiableReadError);
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(error);
  expect(stream.readableLength).toBeLessThanOrEqual(256 * 1024 + 2 * CHUNK);
  await attack.stopped;
  expect(attack.offered()).toBeLessThan(64 * MiB);
});

it('a length prefix of 4 GiB: readBytes fails at once with StreamBufferFullError, nothing allocated', async () => {
  const { stream, peer } = await victim({ maxBufferSize: 16 * MiB });
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64BE(4n * 1024n * 1024n * 1024n);
  peer.write(prefix);
  const attack = flood(peer, 512 * MiB);
  await expectSenderHeldBack(stream, peer);
  const length = Number((await stream.readBytes(8)).readBigUInt64BE(0));
  expect(length).toBe(2 ** 32);
  const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
  const error = await stream.readBytes(length).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StreamBufferFullError);
  expect(error).toMatchObject({ code: 'ERR_STREAM_BUFFER_FULL' });
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(error);
  expect(stream.readableLength).toBeLessThanOrEqual(2 * CHUNK);
  expect(process.memoryUsage().arrayBuffers - arrayBuffersBefore).toBeLessThan(64 * MiB);
  // Later reads say why the stream closed.
  const later = await stream.readBytes(1 << 20).catch((e: unknown) => e);
  expect(later).toBeInstanceOf(StreamClosedError);
  expect((later as StreamClosedError).realError).toBe(error);
  await attack.stopped;
  expect(attack.offered()).toBeLessThan(64 * MiB);
});

it('a slowloris peer (one byte every 2 ms) against a read with AbortSignal.timeout: AbortError, bytes kept', async () => {
  const { stream, peer } = await victim();
  const request = Buffer.from(
    'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n',
  );
  let sent = 0;
  const trickle = setInterval(() => {
    if (sent < request.length && !peer.destroyed) peer.write(request.subarray(sent, ++sent));
  }, 2);
  try {
    const error = await stream
      .readUntil('\r\n\r\n', { maxBytes: 8192, signal: AbortSignal.timeout(150) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    expect((error as AbortError).cause).toMatchObject({ name: 'TimeoutError' });
    // The stream stays open and keeps every byte that trickled in, for the server to judge.
    expect(stream.closed()).toBe(false);
    expect(stream.readableLength).toBeGreaterThan(0);
    expect(stream.readableLength).toBeLessThanOrEqual(request.length);
    const arrived = stream.readableLength;
    expect(stream.tryReadBytes(arrived)?.equals(request.subarray(0, arrived))).toBe(true);
  } finally {
    clearInterval(trickle);
  }
  // What a server does next: drop the connection.
  const gone = peerGone(peer);
  stream.close();
  await gone;
});
