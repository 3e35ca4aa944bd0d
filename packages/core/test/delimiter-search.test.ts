/**
 * The streaming delimiter search on its own: fed a byte string in arbitrary pieces,
 * it finds the first match `Buffer#indexOf` finds in the whole, and it reads each
 * byte at most once (through `indexOf` or by index), however self-similar the
 * delimiter, so its work is linear in the bytes fed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelimiterSearch } from '../src/delimiter-search.js';

/** Reads of a byte array, by index and through `indexOf` (the bytes it examines). */
interface Reads {
  count: number;
}

/** `bytes` behind a proxy that counts every byte read, by index or by `indexOf`. */
function counted(bytes: Uint8Array, reads: Reads): Uint8Array {
  return new Proxy(bytes, {
    get(target, prop) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) {
        reads.count++;
        return target[Number(prop)];
      }
      if (prop === 'indexOf') {
        return (value: number, from: number) => {
          const hit = target.indexOf(value, from);
          reads.count += (hit < 0 ? target.length : hit + 1) - from;
          return hit;
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const A = 0x2d; // '-'
const B = 0x58; // 'X'
const ab = fc.constantFrom(A, B);
/** Delimiters whose prefixes recur in themselves, the hard case for naive searching. */
const selfSimilarArb = fc.oneof(
  fc.array(ab, { minLength: 1, maxLength: 12 }),
  // '---…X', '-X-X…-X', '--X--X…-': a unit repeated, sometimes with a different last byte.
  fc
    .record({
      unit: fc.array(ab, { minLength: 1, maxLength: 3 }),
      times: fc.integer({ min: 1, max: 40 }),
      last: fc.option(ab, { nil: undefined }),
    })
    .map(({ unit, times, last }) => {
      const out = Array.from({ length: unit.length * times }, (_, i) => unit[i % unit.length] as number);
      if (last !== undefined) out.push(last);
      return out;
    }),
);
/** Data made of runs of a short unit: long stretches that almost match. */
const dataArb = fc
  .array(
    fc.record({
      unit: fc.array(fc.oneof({ weight: 9, arbitrary: ab }, { weight: 1, arbitrary: fc.constant(0x0a) }), {
        minLength: 1,
        maxLength: 4,
      }),
      times: fc.integer({ min: 1, max: 300 }),
    }),
    { maxLength: 8 },
  )
  .map((runs) =>
    Buffer.from(
      runs.flatMap(({ unit, times }) =>
        Array.from({ length: unit.length * times }, (_, i) => unit[i % unit.length] as number),
      ),
    ),
  );
const cutsArb = fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 6 });

/**
 * Feed `data` cut into pieces whose sizes cycle through `sizes`: the offset just past
 * the first match (or -1), and how many pieces were fed.
 */
function feedInPieces(search: DelimiterSearch, data: Buffer, sizes: number[], reads: Reads) {
  let pieces = 0;
  for (let at = 0; at < data.length; pieces++) {
    const n = Math.min(sizes[pieces % sizes.length] as number, data.length - at);
    const piece = counted(Uint8Array.from(data.subarray(at, at + n)), reads);
    const end = search.feed(piece, 0, n);
    if (end >= 0) return { end: at + end, pieces: pieces + 1 };
    at += n;
  }
  return { end: -1, pieces };
}

describe('DelimiterSearch', () => {
  it('finds what indexOf finds in the whole, reading each byte at most once, however it is cut', () => {
    fc.assert(
      fc.property(selfSimilarArb, dataArb, cutsArb, (delimiter, data, sizes) => {
        const d = Buffer.from(delimiter);
        const at = data.indexOf(d);
        const reads: Reads = { count: 0 };
        const delimiterReads: Reads = { count: 0 };
        const search = new DelimiterSearch(counted(d, delimiterReads) as Buffer, 0);
        const { end, pieces } = feedInPieces(search, data, sizes, reads);
        expect(end).toBe(at < 0 ? -1 : at + d.length);
        const fed = at < 0 ? data.length : at + d.length;
        expect(reads.count).toBeLessThanOrEqual(fed);
        // KMP: each byte moves the state forward at most once, and every fall back undoes a
        // move (so at most 4 reads a byte); the failure links cost O(d), and each piece 1.
        expect(delimiterReads.count).toBeLessThanOrEqual(4 * fed + 6 * d.length + pieces);
      }),
      { numRuns: 1000 },
    );
  });

  it('16 KiB of "-" against a 1,000-byte "---…X": each byte read once, in one piece or one byte at a time', () => {
    const d = Buffer.alloc(1000, A);
    d[999] = B;
    const data = Buffer.concat([Buffer.alloc(16 * 1024, A), d]);
    for (const sizes of [[data.length], [1], [999], [1001]]) {
      const reads: Reads = { count: 0 };
      const { end } = feedInPieces(new DelimiterSearch(d, 0), data, sizes, reads);
      expect(end).toBe(data.length);
      expect(reads.count).toBe(data.length);
    }
  });

  it('bytes past `to` never match, though the hay runs on (a chunk searched no further than maxBytes)', () => {
    fc.assert(
      fc.property(selfSimilarArb, dataArb, dataArb, cutsArb, (delimiter, data, after, sizes) => {
        const d = Buffer.from(delimiter);
        // Each piece is fed from a hay that runs on past it with the bytes that follow it
        // (and then `after`): the same matches as pieces that end where they are cut.
        const whole = Buffer.concat([data, after]);
        const search = new DelimiterSearch(d, 0);
        let found = -1;
        let pieces = 0;
        for (let at = 0; at < data.length && found < 0; pieces++) {
          const n = Math.min(sizes[pieces % sizes.length] as number, data.length - at);
          const end = search.feed(whole.subarray(at), 0, n);
          if (end >= 0) {
            expect(end).toBeLessThanOrEqual(n);
            found = at + end;
          }
          at += n;
        }
        const expected = data.indexOf(d);
        expect(found).toBe(expected < 0 ? -1 : expected + d.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('a search reset for another delimiter forgets the partial match it held', () => {
    const search = new DelimiterSearch(Buffer.from('abc'), 0);
    expect(search.feed(Buffer.from('xab'), 0, 3)).toBe(-1);
    search.reset(Buffer.from('cd'), 0);
    expect(search.feed(Buffer.from('cxcd'), 0, 4)).toBe(4);
  });
});
