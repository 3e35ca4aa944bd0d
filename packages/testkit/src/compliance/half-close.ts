/**
 * Graceful close: `end()` flushes what was written before it half-closes, and
 * with `allowHalfOpen` the peer's EOF ends reading while writing goes on.
 */
import { describe, expect, it } from 'vitest';
import { expectStreamClosed } from './errors.js';
import { observe, pattern, rejection, SHORT, type Suite, waitFor } from './harness.js';

export function halfCloseTests(suite: Suite): void {
  describe('end and half-close', () => {
    it('end() flushes every queued write before the peer sees EOF', SHORT, async () => {
      const { a, b } = await suite.open();
      const data = pattern(256 * 1024);
      const writes = [a.write(data.subarray(0, 100_000)), a.write(data.subarray(100_000))];
      const ended = a.end();
      expect(a.end()).toBe(ended);
      expectStreamClosed(await rejection(a.write('after end')));
      const all = await b.readUntilClose();
      await Promise.all(writes);
      await ended;
      expect(all.equals(data)).toBe(true);
    });

    // Only where the medium has a half-close (not a one-way pipe): not registered elsewhere,
    // rather than reported as skipped.
    if (suite.halfClose) {
      it('a.end(): b sees EOF and can still write back to a', SHORT, async () => {
        const { a, b } = await suite.open({ allowHalfOpen: true });
        await a.write('request');
        await a.end();
        expect((await b.readUntilClose()).toString()).toBe('request');
        expect(b.closed()).toBe(false);
        expectStreamClosed(await rejection(b.readBytes(1)));
        expect(b.closed()).toBe(false);
        expect(a.closed()).toBe(false);
        const reply = pattern(100_000);
        const back = observe(a.readUntilClose());
        const writes = [b.write(reply), b.write('done')];
        await b.end();
        await Promise.all(writes);
        const got = await back.promise;
        expect(got.equals(Buffer.concat([reply, Buffer.from('done')]))).toBe(true);
        await waitFor(() => a.closed() && b.closed(), 'both ends closed after both ended');
        expect(a.error).toBeNull();
        expect(b.error).toBeNull();
      });

      it('half-open: a pending read at EOF rejects, buffered bytes stay readable', SHORT, async () => {
        const { a, b } = await suite.open({ allowHalfOpen: true });
        const pending = b.readBytes(100);
        await a.write('xy');
        await a.end();
        const error = await rejection(pending);
        expectStreamClosed(error);
        expect(b.closed()).toBe(false);
        expect((await b.readBytes(2)).toString()).toBe('xy');
        await b.write('still writable');
        expect((await a.readBytes(14)).toString()).toBe('still writable');
      });
    }
  });
}
