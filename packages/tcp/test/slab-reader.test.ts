// SlabReader driven as Node drives an `onread` socket: take the region `buffer()` returns,
// write a read's bytes at its start, report the count to `callback`. Small slabs while reads
// are small, large 64 KiB-aligned ones under bulk, back to small when quiet; never writing
// over bytes it handed out, however reads are sized and whatever core recycles.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LARGE_SLAB, SlabReader, SMALL_SLAB } from '../src/slab-reader.js';

/** A reader with a sink that keeps every chunk, and a `read` that plays Node's part. */
function driven() {
  const reader = new SlabReader();
  const chunks: Buffer[] = [];
  reader.sink = (chunk) => chunks.push(chunk);
  const buffer = reader.onread.buffer as () => Uint8Array;
  const callback = reader.onread.callback;
  let region = buffer();
  /** The kernel has `data` for us: Node reads as much as the region holds. Returns how much. */
  const read = (data: Uint8Array): number => {
    const n = Math.min(data.length, region.length);
    region.set(data.subarray(0, n));
    callback(n, region);
    region = buffer();
    return n;
  };
  /** Read all of `data`, in as many reads as it takes. */
  const readAll = (data: Uint8Array) => {
    for (let at = 0; at < data.length; ) at += read(data.subarray(at));
  };
  return { reader, chunks, read, readAll, region: () => region };
}

/** A pattern to cut reads from: `bytes(n, seed)` is n bytes of it starting at `seed`. */
const PATTERN = Uint8Array.from({ length: 4 * LARGE_SLAB + 256 }, (_, i) => (i * 31 + (i >> 8)) % 251);
const bytes = (n: number, seed = 1) => PATTERN.subarray(seed % 256, (seed % 256) + n);

describe('SlabReader', () => {
  it('starts with a small slab and keeps small slabs while reads are small', () => {
    const { reader, chunks, readAll } = driven();
    expect(reader.slabSize).toBe(SMALL_SLAB);
    for (let i = 0; i < 1000; i++) readAll(bytes(16, i));
    expect(reader.slabSize).toBe(SMALL_SLAB);
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat(Array.from({ length: 1000 }, (_, i) => bytes(16, i))));
  });

  it('a read that fills a whole small slab switches to large slabs that end on 64 KiB multiples of the stream', () => {
    const { reader, chunks, read } = driven();
    expect(read(bytes(100_000))).toBe(SMALL_SLAB);
    // The first large slab ends at stream offset 64 KiB.
    expect(reader.slabSize).toBe(LARGE_SLAB - SMALL_SLAB);
    expect(read(bytes(100_000))).toBe(LARGE_SLAB - SMALL_SLAB);
    expect(reader.slabSize).toBe(LARGE_SLAB);
    // From there each 64 KiB of the stream fills one slab: adjacent views of the same memory.
    expect(read(bytes(1000))).toBe(1000);
    expect(read(bytes(100_000))).toBe(LARGE_SLAB - 1000);
    const [a, b] = chunks.slice(-2) as [Buffer, Buffer];
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + a.length);
  });

  it('goes back to small slabs after 64 small reads in a row', () => {
    const { reader, read } = driven();
    read(bytes(SMALL_SLAB));
    expect(reader.slabSize).toBeGreaterThan(SMALL_SLAB);
    for (let i = 0; i < 63; i++) read(bytes(10));
    expect(reader.slabSize).toBeGreaterThan(SMALL_SLAB);
    read(bytes(10));
    expect(reader.slabSize).toBe(SMALL_SLAB);
  });

  it('reuses a large slab once core has recycled all its bytes', () => {
    const { reader, chunks, read } = driven();
    read(bytes(SMALL_SLAB));
    read(bytes(LARGE_SLAB));
    const first = chunks.at(-1) as Buffer;
    reader.recycle(first);
    for (let i = 0; i < 4; i++) {
      read(bytes(LARGE_SLAB));
      reader.recycle(chunks.at(-1) as Buffer);
    }
    // A slab whose bytes were all recycled comes back (once retired) instead of new memory.
    const memories = chunks.slice(2).map((c) => c.buffer);
    expect(new Set(memories).size).toBeLessThan(memories.length);
  });

  it('never writes over bytes it handed out, whatever the read sizes and recycling', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            size: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 3 * LARGE_SLAB })),
            recycle: fc.boolean(),
          }),
          { maxLength: 80 },
        ),
        (steps) => {
          const { reader, chunks, read } = driven();
          const kept: { chunk: Buffer; copy: Buffer }[] = [];
          const delivered: Buffer[] = [];
          const sent: Buffer[] = [];
          let seed = 0;
          for (const { size, recycle } of steps) {
            const data = bytes(size, seed++);
            const before = chunks.length;
            const n = read(data);
            sent.push(Buffer.from(data.subarray(0, n)));
            for (const chunk of chunks.slice(before)) {
              const copy = Buffer.from(chunk);
              delivered.push(copy);
              // Recycled: core copied it out and keeps no view, so its memory may be reused.
              if (recycle) reader.recycle(chunk);
              else kept.push({ chunk, copy });
            }
          }
          expect(Buffer.concat(delivered).equals(Buffer.concat(sent))).toBe(true);
          // Checked after every read landed: the ones after a kept chunk went elsewhere.
          for (const { chunk, copy } of kept) expect(chunk.equals(copy)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
