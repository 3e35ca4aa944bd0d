/** Cancellation: aborting a read rejects it with `AbortError`, keeps every buffered byte, and leaves the stream usable. */
import { describe, expect, it } from 'vitest';
import { expectAborted } from './errors.js';
import { rejection, SHORT, type Suite, waitFor } from './harness.js';

export function abortTests(suite: Suite): void {
  describe('abort', () => {
    it('aborting a pending readUntil keeps the bytes it had seen', SHORT, async () => {
      const { a, b } = await suite.open();
      const controller = new AbortController();
      const pending = b.readUntil('\n', { signal: controller.signal });
      await a.write('abc');
      await waitFor(() => b.readableLength === 3, 'b buffered the partial line');
      controller.abort();
      expectAborted(await rejection(pending));
      expect(b.closed()).toBe(false);
      expect(b.reading()).toBe(false);
      await a.write('def\n');
      expect((await b.readUntil('\n')).toString()).toBe('abcdef\n');
    });

    it('aborting a pending readBytes leaves the stream open for the next read', SHORT, async () => {
      const { a, b } = await suite.open();
      const controller = new AbortController();
      const pending = b.readBytes(10, { signal: controller.signal });
      controller.abort(new Error('caller gave up'));
      expectAborted(await rejection(pending));
      await a.write('0123456789');
      expect((await b.readBytes(10)).toString()).toBe('0123456789');
    });

    it('aborting a readInto that copied some bytes gives them back', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('abcd');
      await waitFor(() => b.readableLength === 4, 'b buffered 4 bytes');
      const controller = new AbortController();
      const pending = b.readInto(Buffer.alloc(10), { signal: controller.signal });
      controller.abort();
      expectAborted(await rejection(pending));
      expect((await b.readBytes(4)).toString()).toBe('abcd');
    });

    it('an already-aborted signal rejects at once and consumes nothing', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('hello\n');
      await waitFor(() => b.readableLength === 6, 'b buffered the line');
      const signal = AbortSignal.abort();
      expectAborted(await rejection(b.readUntil('\n', { signal })));
      expectAborted(await rejection(b.readBytes(1, { signal })));
      expectAborted(await rejection(b.readUntilClose({ signal })));
      expect(b.readableLength).toBe(6);
      expect((await b.readUntil('\n')).toString()).toBe('hello\n');
    });

    it('aborting after a read settled changes nothing', SHORT, async () => {
      const { a, b } = await suite.open();
      const controller = new AbortController();
      const pending = b.readBytes(2, { signal: controller.signal });
      await a.write('okay');
      expect((await pending).toString()).toBe('ok');
      controller.abort();
      expect((await b.readBytes(2)).toString()).toBe('ay');
      expect(b.closed()).toBe(false);
    });
  });
}
