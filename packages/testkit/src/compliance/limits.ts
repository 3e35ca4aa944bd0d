/**
 * Read limits: `maxBytes` for both delimiter kinds (inline, extra-bytes and
 * exact-boundary cases) and `maxBufferSize`. A read that breaks a limit rejects,
 * and by the time the rejection is observed the stream is closed with `error` set.
 */
import type { IOStream } from '@iostream/core';
import { describe, expect, it } from 'vitest';
import { expectBufferFull, expectUnsatisfiable } from './errors.js';
import { background, pattern, SHORT, type Suite, waitFor } from './harness.js';

/** The read's rejection; fails if it resolves or if the stream was not already closed with an error. */
async function failsAndCloses(stream: IOStream, read: Promise<unknown>): Promise<unknown> {
  return read.then(
    () => {
      throw new Error('expected the read to fail, but it resolved');
    },
    (error: unknown) => {
      expect(stream.closed()).toBe(true);
      expect(stream.error).not.toBeNull();
      return error;
    },
  );
}

type DelimitedRead = (stream: IOStream, maxBytes?: number) => Promise<Buffer>;

const kinds: [string, DelimitedRead][] = [
  ['readUntil', (s, maxBytes) => s.readUntil('\n', maxBytes === undefined ? {} : { maxBytes })],
  ['readUntilRegex', (s, maxBytes) => s.readUntilRegex(/\n/, maxBytes === undefined ? {} : { maxBytes })],
];

export function limitTests(suite: Suite): void {
  describe('limits: maxBytes', () => {
    for (const [kind, read] of kinds) {
      it(`${kind}: a delimiter ending exactly at maxBytes is accepted`, SHORT, async () => {
        const { a, b } = await suite.open();
        const line = read(b, 9);
        await a.write('12345678\nnext\n');
        expect((await line).toString()).toBe('12345678\n');
        expect((await read(b, 50)).toString()).toBe('next\n');
        expect(b.closed()).toBe(false);
      });

      it(`${kind}: exactly maxBytes without the delimiter waits; one byte more fails`, SHORT, async () => {
        const { a, b } = await suite.open();
        const line = read(b, 8);
        const outcome = failsAndCloses(b, line);
        await a.write('12345678');
        await waitFor(() => b.readableLength === 8, 'b buffered 8 bytes');
        expect(b.closed()).toBe(false);
        expect(b.reading()).toBe(true);
        await a.write('9');
        expectUnsatisfiable(await outcome);
      });

      it(`${kind}: inline, the delimiter arrives in the same write but past maxBytes`, SHORT, async () => {
        const { a, b } = await suite.open();
        const line = failsAndCloses(b, read(b, 5));
        await a.write('abcdefghij\nmore');
        expectUnsatisfiable(await line);
      });

      it(`${kind}: inline, already buffered past maxBytes`, SHORT, async () => {
        const { a, b } = await suite.open();
        await a.write('abcdefghij\n');
        await waitFor(() => b.readableLength === 11, 'b buffered the line');
        expectUnsatisfiable(await failsAndCloses(b, read(b, 5)));
      });

      it(`${kind}: extra bytes, more than maxBytes arrive without the delimiter`, SHORT, async () => {
        const { a, b } = await suite.open();
        const line = failsAndCloses(b, read(b, 50));
        background(a.write(Buffer.alloc(100, 'x')));
        expectUnsatisfiable(await line);
      });
    }
  });

  describe('limits: maxBufferSize', () => {
    const maxBufferSize = 16 * 1024;

    it('readBytes of more than maxBufferSize fails with StreamBufferFullError', SHORT, async () => {
      const { b } = await suite.open({ maxBufferSize });
      expectBufferFull(await failsAndCloses(b, b.readBytes(maxBufferSize + 1)));
    });

    for (const [kind, read] of kinds) {
      it(`${kind} without maxBytes fails once more than maxBufferSize is buffered`, SHORT, async () => {
        const { a, b } = await suite.open({ maxBufferSize });
        const line = failsAndCloses(b, read(b));
        background(a.write(Buffer.alloc(4 * maxBufferSize, 'x')));
        expectBufferFull(await line);
      });
    }

    it('readUntilClose fails once more than maxBufferSize is buffered', SHORT, async () => {
      const { a, b } = await suite.open({ maxBufferSize });
      const all = failsAndCloses(b, b.readUntilClose());
      background(a.write(Buffer.alloc(4 * maxBufferSize, 'x')));
      expectBufferFull(await all);
    });

    it('streaming reads and readInto are not bounded by maxBufferSize', SHORT, async () => {
      const { a, b } = await suite.open({ maxBufferSize });
      const size = 8 * maxBufferSize;
      const first = pattern(size, 0);
      const second = pattern(size, 7);
      const third = pattern(size, 13);
      const writes = [a.write(first), a.write(second), a.write(third)];
      const pieces: Buffer[] = [];
      await b.readBytes(size, { onChunk: (c) => pieces.push(Buffer.from(c)) });
      expect(Buffer.concat(pieces).equals(first)).toBe(true);
      const target = Buffer.alloc(size);
      expect(await b.readInto(target)).toBe(size);
      expect(target.equals(second)).toBe(true);
      // end() flushes the third write behind the first two; b streams it until EOF.
      const ended = a.end();
      const rest: Buffer[] = [];
      await b.readUntilClose({ onChunk: (c) => rest.push(Buffer.from(c)) });
      await Promise.all([...writes, ended]);
      expect(Buffer.concat(rest).equals(third)).toBe(true);
    });
  });
}
