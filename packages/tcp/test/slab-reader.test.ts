// SlabReader driven as Node drives an `onread` socket: take the region `buffer()` returns,
// write a read's bytes at its start, report the count to `callback`. Small reads land in the
// one buffer all readers share and are copied out at once (a stream holds no read memory of
// its own); bulk reads go into the stream's own 64 KiB-aligned slabs, given back once reads
// are small again; never writing over bytes it handed out, however reads are sized, whatever
// core recycles, and however many streams share the landing buffer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BULK_READ, LANDING_SIZE, LARGE_SLAB, QUIET_READS, SlabReader } from '../src/slab-reader.js';

/** A reader with a sink that keeps every chunk, and a `read` that plays Node's part. */
function driven() {
  const reader = new SlabReader();
  const chunks: Buffer[] = [];
  reader.sink = { onChunk: (chunk) => chunks.push(chunk) };
  const { buffer, callback } = reader.onread();
  let region: Uint8Array = buffer();
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
  it('a stream that received nothing holds no read buffer of its own: it reads into the shared landing buffer', () => {
    const a = driven();
    const b = driven();
    expect(a.reader.slabSize).toBe(0);
    expect(b.reader.slabSize).toBe(0);
    expect(a.region().length).toBe(LANDING_SIZE);
    // One buffer for every landing stream.
    expect(b.region().buffer).toBe(a.region().buffer);
  });

  it('small reads stay on the landing buffer and are copied out before the next read', () => {
    const { reader, chunks, readAll, region } = driven();
    for (let i = 0; i < 1000; i++) readAll(bytes(16, i));
    expect(reader.slabSize).toBe(0);
    expect(chunks.every((c) => c.buffer !== region().buffer)).toBe(true);
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat(Array.from({ length: 1000 }, (_, i) => bytes(16, i))));
  });

  it('a bulk read switches the stream to slabs of its own that end on 64 KiB multiples of the stream', () => {
    const { reader, chunks, read } = driven();
    expect(read(bytes(1000))).toBe(1000);
    expect(read(bytes(BULK_READ))).toBe(BULK_READ);
    // The first slab ends at stream offset 64 KiB.
    expect(reader.slabSize).toBe(LARGE_SLAB - 1000 - BULK_READ);
    expect(read(bytes(100_000))).toBe(LARGE_SLAB - 1000 - BULK_READ);
    expect(reader.slabSize).toBe(LARGE_SLAB);
    // From there each 64 KiB of the stream fills one slab: adjacent views of the same memory.
    expect(read(bytes(1000))).toBe(1000);
    expect(read(bytes(100_000))).toBe(LARGE_SLAB - 1000);
    const [a, b] = chunks.slice(-2) as [Buffer, Buffer];
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + a.length);
  });

  it('a read that fills a whole slab is handed on as the very buffer Node read into: no view made', () => {
    const { chunks, read, region } = driven();
    read(bytes(LARGE_SLAB));
    // In bulk at a slab's start, Node is given the slab itself...
    const target = region();
    expect(target.byteOffset).toBe(0);
    expect(target.length).toBe(LARGE_SLAB);
    expect(target.buffer.byteLength).toBe(LARGE_SLAB);
    read(bytes(LARGE_SLAB, 7));
    // ...and a read that fills it reaches the sink as that same object, bytes intact.
    expect(chunks.at(-1)).toBe(target);
    expect(chunks.at(-1)).toEqual(Buffer.from(bytes(LARGE_SLAB, 7)));
    // A read that fills part of a slab is a view, and the rest of the slab is what Node reads into next.
    read(bytes(1000, 3));
    expect(chunks.at(-1)).not.toBe(region());
    expect(chunks.at(-1)?.buffer).toBe(region().buffer);
    expect(region().byteOffset).toBe(1000);
  });

  it('a stream that goes quiet after bulk gives its slab back and lands again', () => {
    const { reader, read, region } = driven();
    read(bytes(LARGE_SLAB));
    expect(reader.slabSize).toBe(LARGE_SLAB);
    for (let i = 0; i < QUIET_READS - 1; i++) read(bytes(10));
    expect(reader.slabSize).toBe(LARGE_SLAB);
    read(bytes(10));
    expect(reader.slabSize).toBe(0);
    expect(region().length).toBe(LANDING_SIZE);
  });

  it('reuses a slab once core has recycled all its bytes', () => {
    const { reader, chunks, read } = driven();
    read(bytes(LARGE_SLAB));
    read(bytes(LARGE_SLAB));
    reader.recycle(chunks.at(-1) as Buffer);
    for (let i = 0; i < 4; i++) {
      read(bytes(LARGE_SLAB));
      reader.recycle(chunks.at(-1) as Buffer);
    }
    // A slab whose bytes were all recycled comes back (once retired) instead of new memory.
    const memories = chunks.slice(1).map((c) => c.buffer);
    expect(new Set(memories).size).toBeLessThan(memories.length);
  });

  it('never writes over bytes it handed out, whatever the read sizes, recycling and streams sharing the landing buffer', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            size: fc.oneof(
              fc.integer({ min: 1, max: 64 }),
              fc.integer({ min: BULK_READ - 2, max: BULK_READ + 2 }),
              fc.integer({ min: 1, max: 3 * LARGE_SLAB }),
            ),
            recycle: fc.boolean(),
            // Which of two streams reads: both land in the one shared buffer while quiet.
            stream: fc.integer({ min: 0, max: 1 }),
          }),
          { maxLength: 80 },
        ),
        (steps) => {
          const streams = [driven(), driven()].map((d) => ({ ...d, delivered: [] as Buffer[], sent: [] as Buffer[] }));
          const kept: { chunk: Buffer; copy: Buffer }[] = [];
          let seed = 0;
          for (const { size, recycle, stream } of steps) {
            const s = streams[stream] as (typeof streams)[number];
            const data = bytes(size, seed++);
            const before = s.chunks.length;
            const n = s.read(data);
            s.sent.push(Buffer.from(data.subarray(0, n)));
            for (const chunk of s.chunks.slice(before)) {
              const copy = Buffer.from(chunk);
              s.delivered.push(copy);
              // Recycled: core copied it out and keeps no view, so its memory may be reused.
              if (recycle) s.reader.recycle(chunk);
              else kept.push({ chunk, copy });
            }
          }
          for (const s of streams) expect(Buffer.concat(s.delivered).equals(Buffer.concat(s.sent))).toBe(true);
          // Checked after every read landed, in either stream: the ones after a kept chunk went elsewhere.
          for (const { chunk, copy } of kept) expect(chunk.equals(copy)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
