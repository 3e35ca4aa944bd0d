/**
 * Close semantics: bytes that reached the reader stay readable after the peer
 * closes, EOF comes only after them, unsatisfiable reads reject with
 * `StreamClosedError`, and the close callback runs after the pending read has
 * settled.
 *
 * `close()` is abortive. Over TCP, closing a socket that still has unread inbound
 * bytes (a TLS 1.3 session ticket is enough) sends a reset, and a reset can discard
 * what the peer had not yet taken from its kernel. So, as Tornado's own tests do,
 * a test lets the reader's stream take the bytes in (`readableLength`) before the
 * writer calls `close()`; `end()` is the graceful way and is tested with bytes still
 * in flight.
 */
import type { StreamClosedError } from '@iostream/core';
import { describe, expect, it } from 'vitest';
import { expectStreamClosed } from './errors.js';
import { arrived, observe, pattern, rejection, SHORT, type Suite, waitFor } from './harness.js';

export function closeTests(suite: Suite): void {
  describe('close', () => {
    it('delayed close: the reader reads what it buffered after the peer closed, then EOF', SHORT, async () => {
      const { a, b } = await suite.open();
      let callbacks = 0;
      b.setCloseCallback(() => callbacks++);
      await a.write('12');
      await arrived(b, 2);
      a.close();
      expect((await b.readBytes(1)).toString()).toBe('1');
      expect((await b.readBytes(1)).toString()).toBe('2');
      expectStreamClosed(await rejection(b.readBytes(1)));
      expect(b.closed()).toBe(true);
      await waitFor(() => callbacks > 0, 'the close callback ran');
      expect(callbacks).toBe(1);
    });

    it('buffered data survives close: reads the buffer satisfies still succeed', SHORT, async () => {
      const { a, b } = await suite.open({ readChunkSize: 256 });
      await a.write(Buffer.alloc(512, 'A'));
      expect((await b.readBytes(256)).equals(Buffer.alloc(256, 'A'))).toBe(true);
      await arrived(b, 256);
      a.close();
      expect((await b.readBytes(256)).equals(Buffer.alloc(256, 'A'))).toBe(true);
      expectStreamClosed(await rejection(b.readBytes(1)));
    });

    it('data still in flight when the peer ends is all read before EOF', SHORT, async () => {
      const { a, b } = await suite.open({ readChunkSize: 256 });
      const data = pattern(64 * 1024);
      const write = a.write(data);
      expect((await b.readBytes(256)).equals(data.subarray(0, 256))).toBe(true);
      const ended = a.end();
      expect((await b.readBytes(data.length - 256)).equals(data.subarray(256))).toBe(true);
      await Promise.all([write, ended]);
      expectStreamClosed(await rejection(b.readBytes(1)));
      expect(b.closed()).toBe(true);
    });

    it('reads after the stream closed are served from the buffer', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('abcd\nef');
      await arrived(b, 7);
      a.close();
      await waitFor(() => b.closed(), 'b saw EOF and closed');
      expect(b.reading()).toBe(false);
      expect((await b.readBytes(2)).toString()).toBe('ab');
      expect((await b.readUntil('\n')).toString()).toBe('cd\n');
      expect(b.tryReadBytes(1)?.toString()).toBe('e');
      expect((await b.readBytes(1, { partial: true })).toString()).toBe('f');
      expectStreamClosed(await rejection(b.readBytes(1)));
    });

    it('readUntilClose after close resolves with what was left', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('1234');
      await arrived(b, 4);
      a.close();
      await waitFor(() => b.closed(), 'b saw EOF and closed');
      expect((await b.readBytes(1)).toString()).toBe('1');
      expect((await b.readUntilClose()).toString()).toBe('234');
      expect((await b.readUntilClose()).length).toBe(0);
    });

    it('a pending readUntilClose resolves with everything once the peer closes', SHORT, async () => {
      const { a, b } = await suite.open();
      const all = b.readUntilClose();
      const data = pattern(20_000);
      await a.write(data);
      await arrived(b, data.length);
      a.close();
      expect((await all).equals(data)).toBe(true);
    });

    it('readUntilClose with onChunk streams every byte, buffered ones first', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('head');
      await waitFor(() => b.readableLength === 4, 'b buffered the first write');
      const pieces: Buffer[] = [];
      const all = b.readUntilClose({ onChunk: (c) => pieces.push(Buffer.from(c)) });
      await a.write('tail');
      await waitFor(() => pieces.reduce((n, p) => n + p.length, 0) === 8, 'b streamed all 8 bytes');
      a.close();
      expect((await all).length).toBe(0);
      expect(Buffer.concat(pieces).toString()).toBe('headtail');
    });

    it('close after the delimiter: the line is read, then the rest until close', SHORT, async () => {
      const { a, b } = await suite.open();
      const line = b.readUntil('\r\n');
      await a.write('abcd\r\n');
      await a.write('efgh');
      expect((await line).toString()).toBe('abcd\r\n');
      await arrived(b, 4);
      a.close();
      expect((await b.readUntilClose()).toString()).toBe('efgh');
    });

    it('a line that ends exactly where the peer closes is read, then reads reject', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('last line\n');
      await arrived(b, 10);
      a.close();
      await waitFor(() => b.closed(), 'b saw EOF and closed');
      expect((await b.readUntil('\n')).toString()).toBe('last line\n');
      expectStreamClosed(await rejection(b.readUntil('\n')));
    });

    it('an unsatisfied read after close rejects with StreamClosedError and keeps the bytes', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('abc');
      await arrived(b, 3);
      a.close();
      expectStreamClosed(await rejection(b.readBytes(10)));
      expect(b.closed()).toBe(true);
      expectStreamClosed(await rejection(b.readUntil('\n')));
      expectStreamClosed(await rejection(b.readUntilRegex(/z/)));
      expect((await b.readBytes(3)).toString()).toBe('abc');
    });

    it('the close callback runs after the pending read has been rejected', SHORT, async () => {
      const { a, b } = await suite.open();
      const order: string[] = [];
      b.setCloseCallback(() => order.push('close callback'));
      const read = b.readUntil('\r\n').then(
        () => order.push('read resolved'),
        (error: unknown) => {
          expectStreamClosed(error);
          order.push('read rejected');
        },
      );
      await a.write('no delimiter');
      await arrived(b, 12);
      a.close();
      await read;
      await waitFor(() => order.length === 2, 'the close callback ran');
      expect(order).toEqual(['read rejected', 'close callback']);
    });

    it('the peer closing is noticed without a pending read', SHORT, async () => {
      const { a, b } = await suite.open();
      let called = 0;
      b.setCloseCallback(() => called++);
      a.close();
      await waitFor(() => called === 1, 'b ran its close callback');
      expect(b.closed()).toBe(true);
      expect(b.reading()).toBe(false);
    });

    it('end() without half-open: the peer reads the bytes, then a clean EOF', SHORT, async () => {
      const { a, b } = await suite.open();
      const pending = observe(b.readBytes(100));
      await a.write('partial');
      await a.end();
      const error = await rejection(pending.promise);
      expectStreamClosed(error);
      expect((error as StreamClosedError).realError).toBeNull();
      expect(b.error).toBeNull();
      expect((await b.readUntilClose()).toString()).toBe('partial');
    });

    it('close(error) rejects the pending read with that error as realError, once', SHORT, async () => {
      const { b } = await suite.open();
      let called = 0;
      b.setCloseCallback(() => called++);
      const pending = b.readBytes(1);
      const cause = new Error('local failure');
      b.close(cause);
      b.close();
      b.close(new Error('second'));
      const error = await rejection(pending);
      expectStreamClosed(error);
      expect((error as StreamClosedError).realError).toBe(cause);
      expect((error as StreamClosedError).cause).toBe(cause);
      expect(b.error).toBe(cause);
      await waitFor(() => called > 0, 'the close callback ran');
      expect(called).toBe(1);
      expect(b.closed()).toBe(true);
    });
  });
}
