// `void stream.write(x)` is the README's fire-and-forget idiom: when the peer goes away,
// the write's rejection must not become an unhandled rejection (which exits Node). The
// promises of the write side (write, end, drained) are marked handled; awaiting them
// still rejects, and the failure also reaches stream.error, the pending read and the
// close callback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromDuplex, StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection, state, tick } from './helpers/scripted-transport.js';
import { eventually, socketPair } from './helpers/socket-pair.js';

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Long enough for Node to report any unhandled rejection of what came before. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await tick();
  await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a write rejection never crashes the process', () => {
  it('void write() over a real socket whose peer resets: queued, array and refused writes', async () => {
    const pair = await socketPair();
    try {
      const stream = fromDuplex(pair.client);
      let closeCallbackRan = false;
      stream.setCloseCallback(() => {
        closeCallbackRan = true;
      });
      const readFailure = rejection(stream.readBytes(1)); // reads are not marked handled: observe it now
      // The peer reads nothing: write until the kernel's and the socket's buffers are full
      // and core queues (each of these writes is handed over and resolves).
      const big = Buffer.alloc(1 << 20, 'x');
      for (let i = 0; i < 256 && stream.writableLength === 0; i++) void stream.write(big);
      expect(stream.writableLength).toBeGreaterThan(0);
      void stream.write(big); // queued in core
      void stream.write([big, 'tail']); // queued, as an array
      const kept = stream.write('kept'); // awaited below: still rejects
      pair.server.resetAndDestroy();
      await eventually(() => stream.closed());
      void stream.write('after close'); // refused at once
      void stream.write(['a', 'b']);
      void stream.end();
      void stream.drained();
      await settle();
      expect(unhandled).toEqual([]);
      // The failure reaches every other place it is reported.
      expect(['ECONNRESET', 'EPIPE']).toContain((stream.error as Error & { code?: string }).code);
      const fromKept = await rejection(kept);
      expectIOError(fromKept, StreamClosedError, 'ERR_STREAM_CLOSED');
      expect((fromKept as StreamClosedError).realError).toBe(stream.error);
      const fromRead = await readFailure;
      expect((fromRead as StreamClosedError).realError).toBe(stream.error);
      expect(closeCallbackRan).toBe(true);
    } finally {
      await pair.dispose();
    }
  });

  it('every write path over the scripted transport: direct (retained), queued, array, refused', async () => {
    const retaining = open({}, { retain: true });
    const direct = retaining.stream.write('held by the transport'); // handed over, awaiting released()
    void retaining.stream.write(['held', 'too']);
    const queuing = open({}, { writeCapacity: 2 });
    const queued = queuing.stream.write('abcdef');
    void queuing.stream.write(['x', 'y']);
    const ending = queuing.stream.end();
    const boom = new Error('boom');
    retaining.t.fail(boom);
    queuing.t.fail(boom);
    const refused = queuing.stream.write('refused');
    void queuing.stream.write(['refused', 'array']);
    void queuing.stream.drained();
    await settle();
    expect(unhandled).toEqual([]);
    for (const p of [direct, queued, ending, refused]) {
      const reason = await rejection(p);
      expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
      expect((reason as StreamClosedError).realError).toBe(boom);
    }
  });

  it('a pending drained() and end() nobody awaits, when the transport fails', async () => {
    const { stream, t } = open({ writeHighWaterMark: 4, writeLowWaterMark: 0 }, { writeCapacity: 2 });
    void stream.write('abcdefgh'); // 2 bytes taken, 6 queued: past the high-water mark
    expect(stream.needsDrain).toBe(true);
    const waiting = stream.drained();
    void stream.drained();
    void stream.end(); // waits for the queue
    expect(await state(waiting)).toBe('pending');
    const boom = new Error('boom');
    t.fail(boom);
    await settle();
    expect(unhandled).toEqual([]);
    const reason = await rejection(waiting); // awaited, it still rejects
    expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((reason as StreamClosedError).realError).toBe(boom);
  });
});
