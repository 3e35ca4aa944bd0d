/** Writes: empty writes, FIFO order of many queued writes, vectored writes, both directions. */
import { describe, expect, it } from 'vitest';
import { expectStreamClosed } from './errors.js';
import { LONG, pattern, rejection, SHORT, type Suite } from './harness.js';

export function writeTests(suite: Suite): void {
  describe('writes', () => {
    it('zero-byte writes resolve at once and send nothing', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('');
      await a.write(new Uint8Array(0));
      await a.write([]);
      await a.write(['', Buffer.alloc(0)]);
      // An empty write behind a pending one still resolves.
      const big = a.write(pattern(64 * 1024));
      await a.write('');
      const bang = a.write('!');
      expect((await b.readBytes(64 * 1024)).equals(pattern(64 * 1024))).toBe(true);
      expect((await b.readBytes(1)).toString()).toBe('!');
      await Promise.all([big, bang]);
      expect(b.readableLength).toBe(0);
    });

    it('many writes queued without awaiting arrive in order and all resolve', LONG, async () => {
      const { a, b } = await suite.open();
      const count = 2000;
      const writes: Promise<void>[] = [];
      for (let i = 0; i < count; i++) writes.push(a.write(`line ${i} ${'x'.repeat(i % 97)}\n`));
      for (let i = 0; i < count; i++) {
        expect((await b.readUntil('\n')).toString()).toBe(`line ${i} ${'x'.repeat(i % 97)}\n`);
      }
      await Promise.all(writes);
      expect(a.writing()).toBe(false);
    });

    it('the writer may reuse its buffer once a write resolves: what was sent is not changed', LONG, async () => {
      const { a, b } = await suite.open();
      // Blocks larger than socket and pipe buffers, so a transport that still held the
      // caller's memory after resolving the write would send the refilled bytes instead.
      const size = 512 * 1024;
      const blocks = 8;
      const buf = Buffer.alloc(size);
      const received = (async () => {
        for (let i = 0; i < blocks; i++) {
          const block = await b.readBytes(size);
          expect(block.every((byte) => byte === i + 1)).toBe(true);
        }
      })();
      for (let i = 0; i < blocks; i++) {
        buf.fill(i + 1);
        await a.write(buf);
      }
      buf.fill(0xff);
      await received;
    });

    it('a vectored write sends its chunks in order, strings as UTF-8', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write(['héllo', Buffer.from(' '), new Uint8Array([0x77, 0x6f]), 'rld', '']);
      expect((await b.readBytes(Buffer.byteLength('héllo world'))).toString()).toBe('héllo world');
    });

    // Only over a duplex medium: a one-way pipe does not register it (not a skipped test).
    if (suite.duplex) {
      it('both directions carry bytes at once', SHORT, async () => {
        const { a, b } = await suite.open();
        const ab = pattern(100_000, 1);
        const ba = pattern(100_000, 2);
        const writes = [a.write(ab), b.write(ba)];
        const [atB, atA] = await Promise.all([b.readBytes(ab.length), a.readBytes(ba.length)]);
        await Promise.all(writes);
        expect(atB.equals(ab)).toBe(true);
        expect(atA.equals(ba)).toBe(true);
      });
    }

    it('writing on a closed stream rejects with StreamClosedError', SHORT, async () => {
      const { a } = await suite.open();
      a.close();
      expectStreamClosed(await rejection(a.write('late')));
      expectStreamClosed(await rejection(a.write('')));
    });
  });
}
