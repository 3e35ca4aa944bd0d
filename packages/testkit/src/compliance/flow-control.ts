/**
 * Flow control in both directions: a reader that takes small bites out of a
 * flood larger than `maxBufferSize` succeeds with bounded memory, and a writer
 * whose peer does not read sees backpressure (`needsDrain`, `drained()`,
 * `maxWriteBufferSize`) instead of buffering without bound.
 */
import type { IOStream } from '@iostream/core';
import { describe, expect, it } from 'vitest';
import { expectBufferFull } from './errors.js';
import { LONG, observe, pattern, readSlowly, SHORT, type Suite, turn } from './harness.js';

/** Give up on a transport that never pushes back after this much unread data. */
const WRITE_CAP = 64 * 1024 * 1024;

/** Read `total` bytes of `pattern(…)` from `stream` in slices, checking each slice. */
async function expectPattern(stream: IOStream, total: number, step = 256 * 1024): Promise<void> {
  for (let at = 0; at < total; ) {
    const n = Math.min(step, total - at);
    const got = await stream.readBytes(n);
    if (!got.equals(pattern(n, at))) expect.fail(`bytes ${at}..${at + n} differ from what was written`);
    at += n;
  }
}

export function flowControlTests(suite: Suite): void {
  describe('flow control', () => {
    it('small readBytes from a peer that sends 10x maxBufferSize at once all succeed', SHORT, async () => {
      const maxBufferSize = 10 * 1024;
      const { a, b } = await suite.open({ maxBufferSize });
      const data = pattern(10 * maxBufferSize);
      const write = a.write(data);
      for (let i = 0; i < 100; i++) {
        const part = await b.readBytes(1024);
        if (!part.equals(data.subarray(i * 1024, (i + 1) * 1024))) expect.fail(`read ${i} returned the wrong bytes`);
      }
      await write;
      expect(b.closed()).toBe(false);
    });

    it('small readUntil from a peer that sends 10x maxBufferSize at once all succeed', SHORT, async () => {
      const maxBufferSize = 10 * 1024;
      const { a, b } = await suite.open({ maxBufferSize });
      const line = `${'a'.repeat(1023)}\n`;
      const write = a.write(line.repeat(100));
      for (let i = 0; i < 100; i++) expect((await b.readUntil('\n', { maxBytes: 4096 })).toString()).toBe(line);
      await write;
      expect(b.closed()).toBe(false);
    });

    it('a slow reader gets every byte while its buffer stays bounded', LONG, async () => {
      const maxBufferSize = 256 * 1024;
      const { a, b } = await suite.open({ maxBufferSize, readChunkSize: 16 * 1024 });
      const total = 1024 * 1024;
      const data = pattern(total);
      const writes: Promise<void>[] = [];
      for (let at = 0; at < total; at += 16 * 1024) writes.push(a.write(data.subarray(at, at + 16 * 1024)));
      let peak = 0;
      const got = await readSlowly(b, total, 4096, () => {
        peak = Math.max(peak, b.readableLength);
      });
      await Promise.all(writes);
      expect(got.equals(data)).toBe(true);
      expect(peak).toBeLessThanOrEqual(maxBufferSize);
      expect(b.closed()).toBe(false);
    });
  });

  describe('backpressure', () => {
    const options = { writeHighWaterMark: 64 * 1024, writeLowWaterMark: 16 * 1024, readChunkSize: 4096 };

    it('needsDrain turns true while the peer does not read, and drained() resolves once it does', LONG, async () => {
      const { a, b } = await suite.open(options);
      expect(a.needsDrain).toBe(false);
      await a.drained();
      const step = 64 * 1024;
      const writes: Promise<void>[] = [];
      let total = 0;
      while (!a.needsDrain) {
        if (total >= WRITE_CAP) expect.fail(`needsDrain never turned true after ${total} unread bytes`);
        writes.push(a.write(pattern(step, total)));
        total += step;
        await turn();
      }
      expect(a.writing()).toBe(true);
      expect(a.writableLength).toBeGreaterThan(options.writeHighWaterMark);
      const drained = observe(a.drained());
      await expectPattern(b, total);
      await drained.promise;
      await Promise.all(writes);
      expect(a.needsDrain).toBe(false);
      expect(a.writing()).toBe(false);
    });

    it('a write past maxWriteBufferSize rejects, queues nothing, and leaves the stream open', LONG, async () => {
      const { a, b } = await suite.open({ ...options, maxWriteBufferSize: 256 * 1024 });
      const step = 64 * 1024;
      const accepted: Promise<void>[] = [];
      let total = 0;
      for (;;) {
        if (total >= WRITE_CAP) expect.fail(`no write was refused after ${total} unread bytes`);
        const write = observe(a.write(pattern(step, total)));
        await turn();
        if (write.settled && write.error !== undefined) {
          expectBufferFull(write.error);
          break;
        }
        accepted.push(write.promise);
        total += step;
      }
      expect(a.closed()).toBe(false);
      // The refused write left nothing behind: once there is room, the next bytes continue the pattern.
      const reading = observe(expectPattern(b, total + 100));
      await a.drained();
      const after = a.write(pattern(100, total));
      await reading.promise;
      await Promise.all([...accepted, after]);
      expect(a.closed()).toBe(false);
    });
  });
}
