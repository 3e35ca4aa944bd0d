/**
 * The inbound byte queue. Chunks are kept as received (no copy). A chunk that
 * continues the previous one in memory extends it. A small chunk arriving behind
 * others is appended to an owned accumulator, so that a peer sending one byte at
 * a time costs one memcpy per byte rather than one queue entry per byte.
 *
 * Positions are absolute stream offsets (bytes ever pushed), so a search can
 * resume where it stopped and locate its segment by binary search: scanning is
 * linear in the bytes received however they were chunked.
 */

import { Buffer } from 'node:buffer';
import { bufferView } from './buffer-view.js';
import { emptyArray } from './empty-array.js';

/** Chunks shorter than this are copied into an accumulator instead of queued. */
const COALESCE_BELOW = 1024;
/** Capacity of a fresh accumulator. */
const ACCUMULATOR_SIZE = 16 * 1024;

interface Segment {
  /** The memory; for an accumulator, bytes at `end` and beyond are not yet written. */
  buf: Buffer;
  /**
   * `buf`'s ArrayBuffer and offset in it, read once, when the first view is made (both
   * are getters that cost 10-20 ns each; a chunk read whole never needs them).
   */
  ab: ArrayBufferLike | null;
  base: number;
  /** First unconsumed byte in `buf`. */
  start: number;
  /** One past the last valid byte in `buf`. */
  end: number;
  /** Absolute stream offset of `buf[end]`. */
  absEnd: number;
  /** True when core owns `buf` and may append to it (never overwriting handed-out bytes). */
  accumulator: boolean;
  /** True while `buf` is the transport's memory and no view of it has been handed out. */
  recyclable: boolean;
}

const EMPTY = Buffer.alloc(0);

/**
 * A Buffer over `n` bytes of `seg` from `start` (the chunk itself when that is all of
 * it). Built from the cached memory and offset: `subarray` reads the parent's `buffer`
 * and `byteOffset` getters and normalises its arguments first, about twice the cost
 * (`pnpm bench:micro`); a parsing loop makes one per result.
 */
function view(seg: Segment, start: number, n: number): Buffer {
  // The whole chunk: hand out the transport's own Buffer rather than a second view of it.
  if (start === 0 && n === seg.buf.length) return seg.buf;
  return bufferView(memoryOf(seg), seg.base + start, n);
}

/** `seg.buf`'s ArrayBuffer, reading it (and the offset, into `seg.base`) on first use. */
function memoryOf(seg: Segment): ArrayBufferLike {
  if (seg.ab === null) {
    seg.ab = seg.buf.buffer;
    seg.base = seg.buf.byteOffset;
  }
  return seg.ab;
}

/** A segment over the whole of `buf`. */
function segment(buf: Buffer, end: number, absEnd: number, accumulator: boolean, recyclable: boolean): Segment {
  return { buf, ab: null, base: 0, start: 0, end, absEnd, accumulator, recyclable };
}

/** Whether `chunk` starts in the same memory right where `seg` (not an accumulator) ends. */
function continues(seg: Segment, chunk: Buffer): boolean {
  return chunk.buffer === memoryOf(seg) && seg.base + seg.end === chunk.byteOffset;
}

export class ReadBuffer {
  /**
   * @param recycle called with a chunk (or adjacent chunks joined) once every byte of it
   * is consumed and no view of it was handed out: its memory may be reused.
   */
  constructor(private readonly recycle?: (chunk: Buffer) => void) {}

  private segs: Segment[] = [];
  private head = 0;
  /** Absolute offset of the first unconsumed byte. */
  private consumed = 0;
  /** Number of unconsumed bytes. */
  length = 0;

  /** Absolute offset of the first unconsumed byte. */
  get offset(): number {
    return this.consumed;
  }

  push(chunk: Buffer): void {
    const n = chunk.length;
    if (n === 0) return;
    const absEnd = this.consumed + this.length + n;
    this.length += n;
    const last = this.segs.length > this.head ? this.segs[this.segs.length - 1] : undefined;
    // Into an empty buffer a chunk goes as it is, whatever its size: copying pays off only
    // when more small chunks follow before it is read, and a request-response peer reads
    // each one at once.
    if (last !== undefined) {
      if (!last.accumulator && continues(last, chunk)) {
        // The chunk continues the last one in the same memory (a transport reading into
        // consecutive parts of one slab): grow that segment, so a read spanning both is a
        // view rather than a copy.
        last.buf = bufferView(last.ab as ArrayBufferLike, last.base, last.end + n);
        last.end += n;
        last.absEnd = absEnd;
        return;
      }
      if (n < COALESCE_BELOW) {
        if (last.accumulator && last.buf.length - last.end >= n) {
          chunk.copy(last.buf, last.end);
          last.end += n;
          last.absEnd = absEnd;
        } else {
          const buf = Buffer.allocUnsafe(ACCUMULATOR_SIZE);
          chunk.copy(buf, 0);
          this.segs.push(segment(buf, n, absEnd, true, false));
        }
        this.recycle?.(chunk);
        return;
      }
    }
    this.segs.push(segment(chunk, n, absEnd, false, this.recycle !== undefined));
  }

  /** Put bytes back at the front (used when a cancelled read returns what it took). */
  unshift(bytes: Buffer): void {
    const n = bytes.length;
    if (n === 0) return;
    this.consumed -= n;
    this.length += n;
    this.compact();
    const seg = segment(bytes, n, this.consumed + n, false, false);
    // The live segments start at `head`, not at 0: slots before it hold consumed segments that
    // compact() may not have dropped yet. Putting the bytes at index 0 then left them behind
    // `head`, lost, and broke the length accounting whenever bytes were put back while others
    // were still buffered behind a consumed segment. Reuse the consumed slot before `head` instead.
    if (this.head > 0) this.segs[--this.head] = seg;
    else this.segs.unshift(seg);
  }

  /** Index of the segment holding absolute offset `abs` (which must be buffered). */
  private locate(abs: number): number {
    let lo = this.head;
    let hi = this.segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.segs[mid] as Segment).absEnd > abs) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Absolute offset where `needle` first starts at or after absolute offset `from`,
   * or -1. Bytes before `from` are not looked at again.
   *
   * Searches for the needle's first byte (a number search, about twice as fast in
   * `Buffer.indexOf` as a buffer needle) and checks the rest in place, which also
   * finds matches that straddle segments without joining them.
   */
  indexOf(needle: Buffer, from: number): number {
    const d = needle.length;
    const endAbs = this.consumed + this.length;
    if (from < this.consumed) from = this.consumed;
    if (endAbs - from < d) return -1;
    const first = needle[0] as number;
    const segs = this.segs;
    const last = segs.length - 1;
    for (let i = this.head === last ? last : this.locate(from); i < segs.length; i++) {
      const seg = segs[i] as Segment;
      const segStartAbs = seg.absEnd - (seg.end - seg.start);
      let local = seg.start + Math.max(0, from - segStartAbs);
      // Bound the search at seg.end: an accumulator's tail holds unwritten bytes.
      const hay = seg.end === seg.buf.length ? seg.buf : seg.buf.subarray(0, seg.end);
      for (;;) {
        const hit = hay.indexOf(first, local);
        if (hit < 0) break;
        const abs = segStartAbs + (hit - seg.start);
        if (abs + d > endAbs) return -1; // the rest has not arrived yet
        if (d === 1) return abs;
        if (hit + d <= seg.end) {
          // Common case: the whole candidate lies in this segment.
          let j = 1;
          while (j < d && hay[hit + j] === needle[j]) j++;
          if (j === d) return abs;
        } else if (this.matchesAt(needle, i, abs)) return abs;
        local = hit + 1;
      }
    }
    return -1;
  }

  /** Whether `needle` occurs at absolute offset `abs`, which lies in segment `i`. */
  private matchesAt(needle: Buffer, i: number, abs: number): boolean {
    let seg = this.segs[i] as Segment;
    let pos = seg.end - (seg.absEnd - abs);
    for (let j = 0; j < needle.length; j++) {
      while (pos >= seg.end) {
        seg = this.segs[++i] as Segment;
        pos = seg.start;
      }
      if (seg.buf[pos] !== needle[j]) return false;
      pos++;
    }
    return true;
  }

  /** Remove and return the first `n` bytes: a view when one segment holds them, else one copy. */
  take(n: number): Buffer {
    if (n === 0) return EMPTY;
    const seg = this.segs[this.head] as Segment;
    const start = seg.start;
    if (seg.end - start > n) {
      // Hot path: the head segment keeps bytes, so only the offsets move.
      seg.start = start + n;
      seg.recyclable = false;
      this.consumed += n;
      this.length -= n;
      return view(seg, start, n);
    }
    if (seg.end - start === n) {
      const out = view(seg, start, n);
      seg.recyclable = false;
      this.consumeFromHead(seg, n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    this.copyOut(out, 0, n);
    return out;
  }

  /** Remove and return up to `max` bytes of the first segment, as a view. */
  takeHead(max: number): Buffer {
    const seg = this.segs[this.head] as Segment;
    const n = Math.min(max, seg.end - seg.start);
    const out = view(seg, seg.start, n);
    seg.recyclable = false;
    this.consumeFromHead(seg, n);
    return out;
  }

  /** Remove the first `n` bytes, copying them into `target` at `at`. */
  copyOut(target: Uint8Array, at: number, n: number): void {
    let done = 0;
    while (done < n) {
      const seg = this.segs[this.head] as Segment;
      const k = Math.min(n - done, seg.end - seg.start);
      seg.buf.copy(target, at + done, seg.start, seg.start + k);
      done += k;
      this.consumeFromHead(seg, k);
    }
  }

  /** The first `n` buffered bytes decoded as latin1 (one character per byte), without consuming. */
  latin1(n: number): string {
    let out = '';
    let left = n;
    for (let i = this.head; left > 0 && i < this.segs.length; i++) {
      const seg = this.segs[i] as Segment;
      const k = Math.min(left, seg.end - seg.start);
      out += seg.buf.toString('latin1', seg.start, seg.start + k);
      left -= k;
    }
    return out;
  }

  private consumeFromHead(seg: Segment, n: number): void {
    seg.start += n;
    this.consumed += n;
    this.length -= n;
    if (seg.start === seg.end) {
      if (seg.recyclable) this.recycle?.(seg.buf);
      // Drop the reference now, not at the next compaction: while later chunks stay buffered the
      // array may not empty for a long time, and chunks kept that long survive young-generation GC,
      // so their memory waits for a full GC (tens of MiB of RSS at high rates).
      this.segs[this.head++] = undefined as unknown as Segment;
      this.compact();
    }
  }

  /** Drop consumed segments from the array once they dominate it. */
  private compact(): void {
    if (this.head === this.segs.length) {
      emptyArray(this.segs);
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.segs.length) {
      this.segs.splice(0, this.head);
      this.head = 0;
    }
  }
}
