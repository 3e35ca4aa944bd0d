/**
 * 1 MiB of seeded random bytes, written in random sizes and read back through a
 * random mix of every read mode; each piece is checked against the source and
 * the whole against its SHA-256.
 */
import type { IOStream } from '@iostream/core';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import { LONG, type Suite, sha256 } from './harness.js';

const SIZE = 1024 * 1024;
const LF = Buffer.from('\n');
const CRLF = Buffer.from('\r\n');
/** Bytes 0xfc-0xff (read as latin1): about one byte in 64 matches. */
const HIGH_BYTE = /[\xfc-\xff]/;

function randomBytes(random: () => number, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
  return out;
}

/** Where the next read that ends with `delimiter` would end, from `pos`; -1 if the data has none left. */
function endAfter(data: Buffer, delimiter: Buffer, pos: number): number {
  const at = data.indexOf(delimiter, pos);
  return at < 0 ? -1 : at + delimiter.length;
}

function highByteEnd(data: Buffer, pos: number): number {
  for (let i = pos; i < data.length; i++) if ((data[i] as number) >= 0xfc) return i + 1;
  return -1;
}

/** One randomly chosen read at `pos`; returns the bytes it produced. */
async function randomRead(b: IOStream, random: () => number, data: Buffer, pos: number): Promise<Buffer> {
  const left = data.length - pos;
  const size = Math.min(left, 1 + Math.floor(random() * 8192));
  const op = Math.floor(random() * 8);
  switch (op) {
    case 0:
      return b.readBytes(size);
    case 1: {
      const out = await b.readBytes(size, { partial: true });
      expect(out.length).toBeGreaterThan(0);
      expect(out.length).toBeLessThanOrEqual(size);
      return out;
    }
    case 2:
    case 3: {
      const delimiter = op === 2 ? LF : CRLF;
      const end = endAfter(data, delimiter, pos);
      if (end < 0) return b.readBytes(left);
      const out = await b.readUntil(delimiter);
      expect(out.length).toBe(end - pos);
      return out;
    }
    case 4: {
      const end = highByteEnd(data, pos);
      if (end < 0) return b.readBytes(left);
      const out = await b.readUntilRegex(HIGH_BYTE);
      expect(out.length).toBe(end - pos);
      return out;
    }
    case 5: {
      const target = Buffer.alloc(size);
      expect(await b.readInto(target)).toBe(size);
      return target;
    }
    case 6: {
      const target = Buffer.alloc(size);
      const n = await b.readInto(target, { partial: true });
      expect(n).toBeGreaterThan(0);
      return target.subarray(0, n);
    }
    default:
      return b.tryReadBytes(size) ?? (await b.readBytes(size));
  }
}

export function mixedReadTests(suite: Suite): void {
  describe('mixed reads', () => {
    it('1 MiB of random bytes through randomly mixed reads arrives intact', LONG, async () => {
      const { a, b } = await suite.open();
      const random = seededRandom(0x10_57_ea_11);
      const data = randomBytes(random, SIZE);
      const writes: Promise<void>[] = [];
      for (let at = 0; at < SIZE; ) {
        const n = Math.min(SIZE - at, 1 + Math.floor(random() * 65536));
        writes.push(a.write(data.subarray(at, at + n)));
        at += n;
      }
      const parts: Buffer[] = [];
      let pos = 0;
      while (pos < SIZE) {
        const out = await randomRead(b, random, data, pos);
        if (!out.equals(data.subarray(pos, pos + out.length)))
          expect.fail(`read of ${out.length} bytes at offset ${pos} does not match what was written`);
        parts.push(out);
        pos += out.length;
      }
      await Promise.all(writes);
      expect(pos).toBe(SIZE);
      expect(sha256(parts)).toBe(sha256(data));
    });
  });
}
