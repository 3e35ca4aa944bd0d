/**
 * The inbound byte queue. Chunks are kept as received (no copy) except small
 * ones, which are appended to an owned accumulator so that a peer sending one
 * byte at a time costs one memcpy per byte rather than one queue entry per byte.
 *
 * Positions are absolute stream offsets (bytes ever pushed), so a search can
 * resume where it stopped and locate its segment by binary search: scanning is
 * linear in the bytes received however they were chunked.
 */

/** Chunks shorter than this are copied into an accumulator instead of queued. */
const COALESCE_BELOW = 1024;
/** Capacity of a fresh accumulator. */
const ACCUMULATOR_SIZE = 16 * 1024;

interface Segment {
  /** The memory; for an accumulator, bytes at `end` and beyond are not yet written. */
  buf: Buffer;
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

/** Whether `b` starts in the same memory right where `a` ends. */
function adjacent(a: Buffer, b: Buffer): boolean {
  return a.buffer === b.buffer && a.byteOffset + a.length === b.byteOffset;
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
  /** An emptied accumulator with room left, reused by the next small chunk. */
  private spare: Segment | null = null;

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
    if (n < COALESCE_BELOW) {
      if (last?.accumulator && last.buf.length - last.end >= n) {
        chunk.copy(last.buf, last.end);
        last.end += n;
        last.absEnd = absEnd;
        this.recycle?.(chunk);
        return;
      }
      const spare = this.spare;
      this.spare = null;
      if (spare && spare.buf.length - spare.end >= n && this.segs.length === this.head) {
        // Append after the bytes already handed out; never overwrite them.
        chunk.copy(spare.buf, spare.end);
        spare.start = spare.end;
        spare.end += n;
        spare.absEnd = absEnd;
        this.segs.push(spare);
        this.recycle?.(chunk);
        return;
      }
      const buf = Buffer.allocUnsafe(ACCUMULATOR_SIZE);
      chunk.copy(buf, 0);
      this.segs.push({ buf, start: 0, end: n, absEnd, accumulator: true, recyclable: false });
      this.recycle?.(chunk);
      return;
    }
    if (last !== undefined && !last.accumulator && adjacent(last.buf, chunk)) {
      // The chunk continues the last one in the same memory (a transport reading into
      // consecutive parts of one slab): grow that segment, so a read spanning both is a
      // view rather than a copy.
      last.buf = Buffer.from(chunk.buffer, last.buf.byteOffset, last.end + n);
      last.end += n;
      last.absEnd = absEnd;
      return;
    }
    this.segs.push({
      buf: chunk,
      start: 0,
      end: n,
      absEnd,
      accumulator: false,
      recyclable: this.recycle !== undefined,
    });
  }

  /** Put bytes back at the front (used when a cancelled read returns what it took). */
  unshift(bytes: Buffer): void {
    const n = bytes.length;
    if (n === 0) return;
    this.consumed -= n;
    this.length += n;
    this.compact();
    const seg: Segment = {
      buf: bytes,
      start: 0,
      end: n,
      absEnd: this.consumed + n,
      accumulator: false,
      recyclable: false,
    };
    // The live segments start at `head`, not at 0: slots before it hold consumed segments that
    // compact() may not have dropped yet. Putting the bytes at index 0 then left them behind
    // `head`, lost, and broke the length accounting whenever bytes were put back while others
    // were still buffered behind a consumed segment. Reuse the consumed slot before `head` instead.
    if (this.head > 0) this.segs[--this.head] = seg;
    else this.segs.unshift(seg);
  }

  /** The first segment's unconsumed bytes, as a view. */
  private headView(seg: Segment): Buffer {
    seg.recyclable = false;
    return seg.start === 0 && seg.end === seg.buf.length ? seg.buf : seg.buf.subarray(seg.start, seg.end);
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
      const view = seg.end === seg.buf.length ? seg.buf : seg.buf.subarray(0, seg.end);
      for (;;) {
        const hit = view.indexOf(first, local);
        if (hit < 0) break;
        const abs = segStartAbs + (hit - seg.start);
        if (abs + d > endAbs) return -1; // the rest has not arrived yet
        if (d === 1) return abs;
        if (hit + d <= seg.end) {
          // Common case: the whole candidate lies in this segment.
          let j = 1;
          while (j < d && view[hit + j] === needle[j]) j++;
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
      return seg.buf.subarray(start, start + n);
    }
    if (seg.end - start === n) {
      const out = seg.buf.subarray(seg.start, seg.start + n);
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
    const out = seg.buf.subarray(seg.start, seg.start + n);
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
      // Keep an emptied accumulator with room so a trickle of small chunks reuses it.
      if (seg.accumulator && seg.end < seg.buf.length) this.spare = seg;
      else if (seg.recyclable) this.recycle?.(seg.buf);
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
      this.segs.length = 0;
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.segs.length) {
      this.segs.splice(0, this.head);
      this.head = 0;
    }
  }

  /** A view of the first segment (for callers that only need some bytes), or an empty buffer. */
  peekHead(): Buffer {
    const seg = this.segs[this.head];
    return seg ? this.headView(seg) : EMPTY;
  }
}
