/** Read modes over the transport: each mode's result is exact however the bytes were chunked. */
import { describe, expect, it } from 'vitest';
import { expectAlreadyReading } from './errors.js';
import { arrived, LONG, observe, pattern, SHORT, type Suite, waitFor } from './harness.js';

export function readTests(suite: Suite): void {
  describe('reads', () => {
    it('readBytes returns exactly n bytes and leaves the rest buffered', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('abcdefghij');
      expect((await b.readBytes(3)).toString()).toBe('abc');
      expect((await b.readBytes(7)).toString()).toBe('defghij');
      await a.write('k');
      expect((await b.readBytes(1)).toString()).toBe('k');
    });

    it('readBytes(0) resolves at once with an empty Buffer', SHORT, async () => {
      const { b } = await suite.open();
      const out = await b.readBytes(0);
      expect(Buffer.isBuffer(out)).toBe(true);
      expect(out.length).toBe(0);
      expect(b.reading()).toBe(false);
    });

    it('readBytes partial settles with what has arrived, at most n', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('hello');
      const got: Buffer[] = [];
      let total = 0;
      while (total < 5) {
        const part = await b.readBytes(50, { partial: true });
        expect(part.length).toBeGreaterThan(0);
        expect(part.length).toBeLessThanOrEqual(50);
        got.push(part);
        total += part.length;
      }
      expect(Buffer.concat(got).toString()).toBe('hello');
      await a.write('world');
      await arrived(b, 5);
      expect((await b.readBytes(3, { partial: true })).toString()).toBe('wor');
      expect((await b.readBytes(3, { partial: true })).toString()).toBe('ld');
    });

    it('readUntil ends with a string or byte delimiter, even one split across chunks', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('GET / HTTP/1.1\r\nHost: x\r\n\r\nbody');
      expect((await b.readUntil('\r\n')).toString()).toBe('GET / HTTP/1.1\r\n');
      expect((await b.readUntil(Buffer.from('\r\n\r\n'))).toString()).toBe('Host: x\r\n\r\n');
      expect((await b.readBytes(4)).toString()).toBe('body');
      // The delimiter arrives in two separate writes.
      const pending = b.readUntil('--end--');
      await a.write('payload--e');
      await a.write('nd--tail');
      expect((await pending).toString()).toBe('payload--end--');
      expect((await b.readBytes(4)).toString()).toBe('tail');
    });

    it('readUntilRegex ends at the end of the first match', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('abc123def456');
      expect((await b.readUntilRegex(/\d{3}/)).toString()).toBe('abc123');
      expect((await b.readUntilRegex(/[a-z]{3}\d/)).toString()).toBe('def4');
      expect((await b.readBytes(2)).toString()).toBe('56');
    });

    it('readUntilRegex matches bytes as latin1, one character per byte', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write(Buffer.from([0xff, 0x00, 0xfe, 0x41, 0x42]));
      const out = await b.readUntilRegex(/\xfeA/);
      expect([...out]).toEqual([0xff, 0x00, 0xfe, 0x41]);
      expect([...(await b.readBytes(1))]).toEqual([0x42]);
    });

    it('readInto fills the target and leaves extra bytes buffered', SHORT, async () => {
      const { a, b } = await suite.open();
      const target = Buffer.alloc(5);
      const pending = b.readInto(target);
      await a.write('hello world');
      expect(await pending).toBe(5);
      expect(target.toString()).toBe('hello');
      expect((await b.readBytes(6)).toString()).toBe(' world');
    });

    it('readInto partial copies what is there, at most the target length', SHORT, async () => {
      const { a, b } = await suite.open();
      await a.write('hello');
      const target = Buffer.alloc(100);
      let filled = 0;
      while (filled < 5) {
        const n = await b.readInto(target.subarray(filled), { partial: true });
        expect(n).toBeGreaterThan(0);
        filled += n;
      }
      expect(filled).toBe(5);
      expect(target.subarray(0, 5).toString()).toBe('hello');
      await a.write('abcdef');
      await arrived(b, 6);
      const small = Buffer.alloc(4);
      expect(await b.readInto(small, { partial: true })).toBe(4);
      expect(small.toString()).toBe('abcd');
      expect((await b.readBytes(2)).toString()).toBe('ef');
    });

    it('readBytes with onChunk streams exactly n bytes and resolves empty', SHORT, async () => {
      const { a, b } = await suite.open();
      const pieces: Buffer[] = [];
      const pending = b.readBytes(6, { onChunk: (c) => pieces.push(Buffer.from(c)) });
      await a.write('abcdefXY');
      expect((await pending).length).toBe(0);
      expect(Buffer.concat(pieces).toString()).toBe('abcdef');
      expect((await b.readBytes(2)).toString()).toBe('XY');
    });

    it('one read at a time: a second read rejects with ERR_ALREADY_READING and the first goes on', SHORT, async () => {
      const { a, b } = await suite.open();
      const first = observe(b.readBytes(4));
      expectAlreadyReading(await b.readBytes(1).catch((e: unknown) => e));
      expectAlreadyReading(await b.readUntil('x').catch((e: unknown) => e));
      expect(() => b.tryReadBytes(1)).toThrow(expect.objectContaining({ code: 'ERR_ALREADY_READING' }));
      await a.write('wxyz');
      expect((await first.promise).toString()).toBe('wxyz');
    });

    it('tryRead* return buffered results synchronously and null otherwise', SHORT, async () => {
      const { a, b } = await suite.open();
      expect(b.tryReadBytes(1)).toBeNull();
      await a.write('hello\nworld');
      await waitFor(() => b.readableLength === 11, 'b has buffered all 11 bytes');
      expect(b.tryReadUntil('\n')?.toString()).toBe('hello\n');
      expect(b.tryReadUntil('\n')).toBeNull();
      expect(b.tryReadBytes(6)).toBeNull();
      const into = Buffer.alloc(2);
      expect(b.tryReadInto(into)).toBe(2);
      expect(into.toString()).toBe('wo');
      expect(b.tryReadBytes(3)?.toString()).toBe('rld');
      expect(b.readableLength).toBe(0);
    });

    it('for await yields every byte, then ends when the peer closes', SHORT, async () => {
      const { a, b } = await suite.open();
      const expected = pattern(20_000);
      await a.write(expected);
      await arrived(b, expected.length);
      a.close();
      const parts: Buffer[] = [];
      for await (const chunk of b) {
        expect(chunk.length).toBeGreaterThan(0);
        parts.push(chunk);
      }
      const got = Buffer.concat(parts);
      expect(got.length).toBe(expected.length);
      expect(got.equals(expected)).toBe(true);
      expect(b.closed()).toBe(true);
    });

    it('a 4 MiB readUntil: the delimiter after 4096 writes of 1 KiB', LONG, async () => {
      const { a, b } = await suite.open();
      const kib = Buffer.alloc(1024, 'A');
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 4096; i++) writes.push(a.write(kib));
      writes.push(a.write('\r\n'));
      const line = await b.readUntil('\r\n');
      await Promise.all(writes);
      expect(line.length).toBe(4 * 1024 * 1024 + 2);
      expect(line.indexOf('\r\n')).toBe(4 * 1024 * 1024);
      expect(line.subarray(0, 4 * 1024 * 1024).equals(Buffer.alloc(4 * 1024 * 1024, 'A'))).toBe(true);
    });
  });
}
