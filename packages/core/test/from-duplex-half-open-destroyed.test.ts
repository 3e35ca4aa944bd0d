// A half-open stream (allowHalfOpen, the peer's EOF seen, writing still open) whose
// duplex is then destroyed without an error (e.g. `server.close({ closeStreams: true })`)
// must close: closed() turns true, the close callback runs, end() and pending writes
// settle. Before, the duplex's 'close' after 'end' was not reported and the stream
// stayed open forever.
import { describe, expect, it } from 'vitest';
import { fromDuplex, type IOStream, StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { rejection } from './helpers/scripted-transport.js';
import { eventually, type SocketPair, socketPair } from './helpers/socket-pair.js';

/**
 * Runs `test` on a half-open-capable fromDuplex stream over the client end of a socket
 * pair (disposed after), with whether its close callback has run.
 */
async function withHalfOpenStream(
  test: (pair: SocketPair, stream: IOStream, closeCallbackRan: () => boolean) => Promise<void>,
): Promise<void> {
  const pair = await socketPair({ allowHalfOpen: true });
  try {
    const stream = fromDuplex(pair.client, { allowHalfOpen: true });
    let ran = false;
    stream.setCloseCallback(() => {
      ran = true;
    });
    await test(pair, stream, () => ran);
  } finally {
    await pair.dispose();
  }
}

describe('fromDuplex: a half-open stream whose socket is destroyed without an error', () => {
  it('closes, runs the close callback, and settles end() and the queued writes', () =>
    withHalfOpenStream(async (pair, stream, closeCallbackRan) => {
      pair.server.end('bye'); // the peer's EOF; it reads nothing of ours
      expect((await stream.readUntilClose()).toString()).toBe('bye');
      expect(stream.closed()).toBe(false); // half-open: writing goes on
      // Fill the kernel's and the socket's buffers (the peer reads nothing) until core queues.
      const big = Buffer.alloc(1 << 20, 'w');
      for (let i = 0; i < 256 && stream.writableLength === 0; i++) void stream.write(big);
      expect(stream.writableLength).toBeGreaterThan(0);
      const queued = stream.write(big);
      const ended = stream.end(); // waits for the queued write
      pair.client.destroy(); // no error: whoever held the socket destroyed it
      await eventually(() => stream.closed());
      expectIOError(await rejection(ended), StreamClosedError, 'ERR_STREAM_CLOSED');
      const reason = await rejection(queued);
      expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
      expect((reason as StreamClosedError).realError).toBe(stream.error);
      expect((stream.error as Error & { code?: string }).code).toBe('ERR_STREAM_PREMATURE_CLOSE');
      await eventually(closeCallbackRan);
    }));

  it('closes when nothing is being written either', () =>
    withHalfOpenStream(async (pair, stream, closeCallbackRan) => {
      pair.server.end();
      expect((await stream.readUntilClose()).length).toBe(0);
      pair.client.destroy();
      await eventually(closeCallbackRan);
      expect(stream.closed()).toBe(true);
      expectIOError(await rejection(stream.end()), StreamClosedError, 'ERR_STREAM_CLOSED');
    }));

  it('a half-open stream that end()s normally still closes cleanly, without an error', () =>
    withHalfOpenStream(async (pair, stream) => {
      pair.server.end();
      await stream.readUntilClose();
      await stream.write('last');
      await stream.end();
      await eventually(() => stream.closed());
      expect(stream.error).toBe(null);
    }));
});
