/**
 * W1's `onread-exact` baselines read as `readInto(buf)` must: Node's `onread` is driven by
 * hand here, as it drives it (each read into the buffer the function last returned, at most
 * its length, then a call for the next), with reads of any sizes. Targets must fill exactly,
 * in order, the last one shorter, with no read ever offered memory past a target.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactTargets } from '../src/child/exact-targets.js';

const TARGET = 65536;

/** Feed `count` bytes through `onread` in reads of the given sizes (each cut to what is offered and left). */
function drive(count: number, sizes: number[]) {
  const filled: number[] = [];
  /** Each read: the length of the memory it was offered, and what it read. */
  const reads: { offered: number; n: number }[] = [];
  const exact = exactTargets(count, (bytes) => filled.push(bytes));
  let left = count;
  let buffer = exact.onread.buffer();
  for (let i = 0; left > 0; i++) {
    const n = Math.min(sizes[i % sizes.length] as number, buffer.length, left);
    reads.push({ offered: buffer.length, n });
    exact.onread.callback(n);
    left -= n;
    buffer = exact.onread.buffer();
  }
  return { filled, reads, received: exact.received() };
}

describe('exactTargets (W1 onread-exact)', () => {
  it('fills 64 KiB targets exactly however the reads are cut, the last one shorter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 * TARGET }),
        fc.array(fc.integer({ min: 1, max: 2 * TARGET }), { minLength: 1, maxLength: 8 }),
        (count, sizes) => {
          const { filled, reads, received } = drive(count, sizes);
          const expected: number[] = [];
          for (let at = TARGET; at < count; at += TARGET) expected.push(at);
          expected.push(count);
          expect(filled).toEqual(expected);
          expect(received).toBe(count);
          // Each read is offered exactly what is left of its target: never memory past it.
          let done = 0;
          let at = 0;
          for (const { offered, n } of reads) {
            const size = Math.min(TARGET, count - done);
            expect(offered).toBe(size - at);
            at += n;
            if (at === size) {
              done += size;
              at = 0;
            }
          }
        },
      ),
    );
  });

  it('offers each read the rest of its target, and only that', () => {
    // 64 KiB in reads of 40,000 then 30,000 bytes: the second is offered the 25,536 left.
    const { reads, filled } = drive(TARGET + 100, [40_000, 30_000]);
    expect(reads.map((r) => r.offered)).toEqual([TARGET, TARGET - 40_000, 100]);
    expect(filled).toEqual([TARGET, TARGET + 100]);
    // One byte short, then that byte.
    const edge = drive(2 * TARGET, [TARGET - 1, 1, TARGET]);
    expect(edge.reads.map((r) => r.offered)).toEqual([TARGET, 1, TARGET]);
    expect(edge.filled).toEqual([TARGET, 2 * TARGET]);
  });

  it('with fresh, fills each target in a new buffer, the rest of a short read in the same one', () => {
    const exact = exactTargets(3 * TARGET, () => {}, true);
    const first = exact.onread.buffer();
    exact.onread.callback(1000);
    const rest = exact.onread.buffer();
    expect(rest.buffer).toBe(first.buffer);
    expect([rest.byteOffset - first.byteOffset, rest.length]).toEqual([1000, TARGET - 1000]);
    exact.onread.callback(TARGET - 1000);
    const second = exact.onread.buffer();
    expect(second.buffer).not.toBe(first.buffer);
    expect(second.length).toBe(TARGET);
    exact.onread.callback(TARGET);
    expect(exact.onread.buffer().buffer).not.toBe(second.buffer);
    // Without fresh, every target is the one buffer.
    const reused = exactTargets(2 * TARGET, () => {});
    const one = reused.onread.buffer();
    reused.onread.callback(TARGET);
    expect(reused.onread.buffer()).toBe(one);
  });

  it('counts bytes past the count, so a receiver that gets too many fails its check', () => {
    const exact = exactTargets(10, () => {});
    exact.onread.buffer();
    exact.onread.callback(10);
    expect(exact.received()).toBe(10);
    expect(exact.onread.buffer().length).toBe(TARGET);
    exact.onread.callback(5);
    expect(exact.received()).toBe(15);
  });
});
