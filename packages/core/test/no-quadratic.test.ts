import { afterEach, describe, expect, it } from 'vitest';
import { DelimiterSearch } from '../src/delimiter-search.js';
import { bytes, open } from './helpers/scripted-transport.js';

const originalIndexOf = Buffer.prototype.indexOf;
const originalFeed = DelimiterSearch.prototype.feed;

/**
 * Counts the bytes Buffer#indexOf is asked to scan (from its start offset to the end of the
 * buffer), and the bytes handed to the delimiter search (which reads each one at most once:
 * delimiter-search.test.ts), so together they bound the work of a search.
 */
function countScans() {
  const counter = { scanned: 0, calls: 0, fed: 0 };
  Buffer.prototype.indexOf = function (
    this: Buffer,
    value: string | number | Uint8Array,
    byteOffset?: number | BufferEncoding,
    encoding?: BufferEncoding,
  ) {
    counter.calls++;
    const from = typeof byteOffset === 'number' ? (byteOffset < 0 ? this.length + byteOffset : byteOffset) : 0;
    counter.scanned += Math.max(0, this.length - from);
    return originalIndexOf.call(this, value, byteOffset as number, encoding);
  } as typeof originalIndexOf;
  DelimiterSearch.prototype.feed = function (this: DelimiterSearch, hay: Uint8Array, i: number, to: number) {
    counter.fed += to - i;
    return originalFeed.call(this, hay, i, to);
  };
  return counter;
}

function restore() {
  Buffer.prototype.indexOf = originalIndexOf;
  DelimiterSearch.prototype.feed = originalFeed;
}

afterEach(restore);

/** '---…X': every byte of a run of '-' begins a candidate that fails only at its last byte. */
function selfSimilar(length: number): Buffer {
  const d = Buffer.alloc(length, 0x2d);
  d[length - 1] = 0x58;
  return d;
}

describe('no quadratic work', () => {
  const N = 200_000;

  it.each([
    ['1-byte delimiter', '\n'],
    ['4-byte delimiter', '\r\n\r\n'],
  ])('readUntil over %s and many one-byte chunks scans each byte a bounded number of times', async (_n, delim) => {
    const { stream, t } = open({ maxBufferSize: 4 * N });
    const counter = countScans();
    const p = stream.readUntil(delim);
    const one = bytes('a');
    for (let i = 0; i < N; i++) {
      t.inbound.push(one);
      t.notify();
    }
    t.push(delim);
    const line = await p;
    restore();
    expect(line).toHaveLength(N + delim.length);
    expect(counter.fed).toBeGreaterThan(0);
    // A rescan-from-start implementation would scan about N * N / 2 bytes here.
    expect(counter.fed).toBe(N + delim.length);
    expect(counter.scanned).toBeLessThanOrEqual((delim.length + 2) * (N + delim.length));
  });

  const M = 1 << 20;
  it.each([
    ['60-byte', '1 MiB', '1 MiB', 60, M, M],
    ['60-byte', '1 MiB', '1,000-byte', 60, M, 1000],
    ['1,000-byte', '1 MiB', '1 MiB', 1000, M, M],
    ['1,000-byte', '1 MiB', '999-byte', 1000, M, 999],
    ['1,000-byte', '256 KiB', 'one-byte', 1000, M / 4, 1],
  ])(
    'readUntil of a self-similar %s delimiter after %s of "-" in %s chunks scans each byte once',
    async (_d, _n, _c, d, n, chunk) => {
      const delim = selfSimilar(d);
      const data = Buffer.concat([Buffer.alloc(n, 0x2d), delim]);
      const { stream, t } = open({ maxBufferSize: 4 * M });
      const counter = countScans();
      const p = stream.readUntil(delim);
      for (let at = 0; at < data.length; at += chunk) {
        t.inbound.push(data.subarray(at, at + chunk));
        t.notify();
      }
      const line = await p;
      restore();
      expect(line.equals(data)).toBe(true);
      // Checking each candidate in place scanned about M * M / 2 bytes through indexOf here.
      expect(counter.scanned).toBeLessThanOrEqual(data.length);
      expect(counter.fed).toBe(data.length);
    },
  );

  it('tryReadUntil of a self-similar 1,000-byte delimiter over 1 MiB in one chunk scans each byte once', async () => {
    const delim = selfSimilar(1000);
    const data = Buffer.concat([Buffer.alloc(M, 0x2d), delim]);
    const { stream, t } = open({ maxBufferSize: 4 * M });
    t.push(data.subarray(0, M));
    let counter = countScans();
    expect(stream.tryReadUntil(delim)).toBeNull();
    expect(counter.scanned).toBeLessThanOrEqual(M);
    expect(counter.fed).toBe(M);
    restore();
    t.push(delim);
    expect((await stream.readUntil(delim)).equals(data)).toBe(true);
    t.push(data);
    counter = countScans();
    expect(stream.tryReadUntil(delim)?.equals(data)).toBe(true);
    restore();
    expect(counter.scanned).toBeLessThanOrEqual(data.length);
    expect(counter.fed).toBe(data.length);
  });

  it('readUntil over bytes already buffered goes on from where its first look stopped', async () => {
    const M = 1 << 20;
    const { stream, t } = open({ maxBufferSize: 4 * M });
    t.push(Buffer.alloc(M, 0x61));
    const counter = countScans();
    const line = stream.readUntil('\n');
    t.push('\n');
    expect(await line).toHaveLength(M + 1);
    restore();
    // The buffered megabyte is fed once (by the look made before the read waits), not twice.
    expect(counter.fed).toBe(M + 1);
  });

  it('tryReadUntil with maxBytes looks no further than maxBytes', () => {
    const M = 1 << 20;
    const { stream, t } = open({ maxBufferSize: 4 * M });
    t.push(Buffer.alloc(M, 0x61), '\n');
    const counter = countScans();
    expect(stream.tryReadUntil('\n', { maxBytes: 1000 })).toBeNull();
    restore();
    expect(counter.fed).toBe(1000);
  });

  it('a read satisfied from one buffered chunk returns a view of it, not a copy', async () => {
    const { stream, t } = open();
    const chunk = Buffer.alloc(8192, 0x61);
    chunk.write('\n', 5000, 'latin1');
    t.inbound.push(chunk);
    t.notify();
    const line = await stream.readUntil('\n');
    expect(line).toHaveLength(5001);
    expect(line.buffer).toBe(chunk.buffer);
    const rest = await stream.readBytes(100);
    expect(rest.buffer).toBe(chunk.buffer);
  });
});
