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
import { DelimiterSearch, SEARCH_VIEW_MIN } from './delimiter-search.js';
import { emptyArray, NOT_MADE, ownArray } from './empty-array.js';
import type { CompiledFrameFormat } from './read-frame.js';

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

/** The unsigned 32-bit integer at `b[at]`; the top byte is multiplied, not shifted, so it stays positive. */
function uint32At(b: Buffer, at: number, littleEndian: boolean): number {
  return littleEndian
    ? (b[at + 3] as number) * 0x1000000 +
        (((b[at + 2] as number) << 16) | ((b[at + 1] as number) << 8) | (b[at] as number))
    : (b[at] as number) * 0x1000000 +
        (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number));
}

/** What a {@link ReadBuffer} gives consumed memory back to: a transport with `recycle`. */
export interface Recycler {
  recycle?(chunk: Uint8Array): void;
}

export class ReadBuffer {
  /**
   * @param recycler its `recycle` is called (as a method, errors ignored: a hint only) with a
   * chunk (or adjacent chunks joined) once every byte of it
   * is consumed and no view of it was handed out: its memory may be reused.
   */
  constructor(private readonly recycler?: Recycler) {}

  /** Hand a consumed chunk's memory back; the transport object itself, so no closure per stream. */
  private recycle(chunk: Buffer): void {
    try {
      this.recycler?.recycle?.(chunk);
    } catch {
      // A hint only: the memory is simply not reused.
    }
  }

  /** Made by the first push (`NOT_MADE` until then: an idle stream receives nothing). */
  private segs: Segment[] = NOT_MADE;
  private head = 0;
  /** Absolute offset of the first unconsumed byte. */
  private consumed = 0;
  /** Number of unconsumed bytes. */
  length = 0;
  /**
   * What {@link latin1} last decoded, from absolute offset `textAt` on (`''`: nothing).
   * Forgotten once the buffer is empty, so an idle stream keeps no string.
   */
  private text = '';
  private textAt = 0;

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
        if (this.recycler !== undefined) this.recycle(chunk);
        return;
      }
    }
    this.segs = ownArray(this.segs);
    this.segs.push(segment(chunk, n, absEnd, false, this.recycler !== undefined));
  }

  /** Put bytes back at the front (used when a cancelled read returns what it took). */
  unshift(bytes: Buffer): void {
    const n = bytes.length;
    if (n === 0) return;
    // These offsets held other bytes before: what was decoded of them no longer holds.
    this.text = '';
    this.consumed -= n;
    this.length += n;
    this.compact();
    const seg = segment(bytes, n, this.consumed + n, false, false);
    // The live segments start at `head`, not at 0: slots before it hold consumed segments that
    // compact() may not have dropped yet. Putting the bytes at index 0 then left them behind
    // `head`, lost, and broke the length accounting whenever bytes were put back while others
    // were still buffered behind a consumed segment. Reuse the consumed slot before `head` instead.
    if (this.head > 0) this.segs[--this.head] = seg;
    else {
      this.segs = ownArray(this.segs);
      this.segs.unshift(seg);
    }
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
   * Feed `search` the buffered bytes from where it stopped (`search.pos`) up to absolute
   * offset `limit`: the absolute offset just past the first match, or -1 when there is
   * none yet (`search.pos` then moves to the end of what was fed). Each byte is fed once
   * over all calls; the segment holding `search.pos` is found by binary search.
   */
  find(search: DelimiterSearch, limit: number): number {
    const endAbs = Math.min(this.consumed + this.length, limit);
    let from = Math.max(search.pos, this.consumed);
    const segs = this.segs;
    const last = segs.length - 1;
    for (let i = this.head === last ? last : this.locate(from); from < endAbs; i++) {
      const seg = segs[i] as Segment;
      const segStartAbs = seg.absEnd - (seg.end - seg.start);
      const local = seg.start + (from - segStartAbs);
      const stop = seg.end - Math.max(0, seg.absEnd - endAbs);
      // The search may run a native indexOf to the end of what it is given: an accumulator's
      // unwritten tail is cut off with a view (unless the span is too short for one); the
      // rest of a chunk past `limit` is read at most once before such a read fails.
      const hay = seg.buf.length === seg.end || stop - local < SEARCH_VIEW_MIN ? seg.buf : view(seg, 0, stop);
      const hit = search.feed(hay, local, stop);
      if (hit >= 0) {
        search.pos = segStartAbs + (hit - seg.start);
        return search.pos;
      }
      from = seg.absEnd;
    }
    if (endAbs > search.pos) search.pos = endAbs;
    return -1;
  }

  /** Absolute offset where `needle` first starts at or after absolute offset `from`, or -1. */
  indexOf(needle: Buffer, from: number): number {
    const end = this.find(new DelimiterSearch(needle, from), Number.POSITIVE_INFINITY);
    return end < 0 ? -1 : end - needle.length;
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

  /** Byte `i` of the buffered bytes (`i < length`), not consumed: how a frame header is decoded in place. */
  peek(i: number): number {
    let h = this.head;
    let seg = this.segs[h] as Segment;
    let at = seg.start + i;
    while (at >= seg.end) {
      at -= seg.end;
      seg = this.segs[++h] as Segment;
      at += seg.start;
    }
    return seg.buf[at] as number;
  }

  /**
   * The unsigned 32-bit integer at buffered byte `i` (`i + 4 <= length`), not consumed: a
   * frame's length field. Read straight from the head chunk where it lies there, as it
   * does for every frame of a parsing loop but the one a chunk boundary cuts: one call,
   * not four `peek`s (a loop's own function may be too big for V8 to inline them).
   */
  uint32(i: number, littleEndian: boolean): number {
    const seg = this.segs[this.head] as Segment;
    const at = seg.start + i;
    if (at + 4 <= seg.end) return uint32At(seg.buf, at, littleEndian);
    return littleEndian
      ? this.peek(i + 3) * 0x1000000 + ((this.peek(i + 2) << 16) | (this.peek(i + 1) << 8) | this.peek(i))
      : this.peek(i) * 0x1000000 + ((this.peek(i + 1) << 16) | (this.peek(i + 2) << 8) | this.peek(i + 3));
  }

  /**
   * The frame at the front, decoded and consumed in one step, when its length field has
   * a fixed size and the head chunk holds the whole frame with bytes to spare: every
   * frame of a parsing loop but the one a chunk boundary cuts. `readFrame`'s hot path.
   * `null`, nothing consumed, in every other case (over `maxBytes`, malformed or empty
   * included): the general decoder in read-frame.ts, which gives the same frames, then
   * decides.
   *
   * One function, the decoding written out, on purpose: it is then too big for V8 to
   * inline into the caller's loop (an async function), so it is optimized on its own,
   * where constructing the view costs least. Measured over W4's TCP loop (callgrind,
   * instructions a frame, all of the receiver): about 2140 this way, 2260 when it was
   * small enough to be inlined, 2570 with the general decoder's calls (four `peek`s,
   * `takeAfter`), which V8 left out of line.
   */
  takeFrameInHead(f: CompiledFrameFormat, maxBytes: number): Buffer | null {
    if (this.length === 0) return null;
    const seg = this.segs[this.head] as Segment;
    const start = seg.start;
    const size = f.size;
    const h = f.offset + size;
    if (start + h > seg.end) return null;
    const b = seg.buf;
    const at = start + f.offset;
    // Flags compared with `true`: a plain truthiness test of a field costs several checks.
    const littleEndian = f.littleEndian === true;
    let length: number;
    if (size === 4) {
      length = uint32At(b, at, littleEndian);
    } else if (size === 2) {
      length = littleEndian
        ? ((b[at + 1] as number) << 8) | (b[at] as number)
        : ((b[at] as number) << 8) | (b[at + 1] as number);
    } else if (size === 1) {
      length = b[at] as number;
    } else if (size === 8) {
      const hi = uint32At(b, littleEndian ? at + 4 : at, littleEndian);
      // Past 2^53 - 1 a double no longer holds it exactly: the general decoder fails the read.
      if (hi >= 0x200000) return null;
      length = hi * 0x100000000 + uint32At(b, littleEndian ? at : at + 4, littleEndian);
    } else return null;
    const payload = length + f.adjust;
    const total = h + payload;
    // An empty payload is the shared empty Buffer that `take(0)` returns: left to the general path.
    if (payload <= 0 || total > maxBytes || total >= seg.end - start) return null;
    // Inside the head chunk with bytes to spare: `take`'s and `takeAfter`'s first case.
    return f.includeHeader === true ? this.take(total) : this.takeAfter(h, payload);
  }

  /**
   * Start `search` over for `delimiter` at the first buffered byte and feed it the head
   * chunk (no further than `maxBytes`): the bytes through the delimiter, consumed, when
   * it ends there, as `take` would give them: every line of a parsing loop but the one a
   * chunk boundary cuts. `readUntil`'s hot path. Otherwise `null`, nothing consumed, and
   * `search` stopped where it looked no further (`pos`), for {@link find} to go on from:
   * the bytes are fed once either way.
   *
   * Feeds the search directly, for what the general path does through `find` and its
   * segment bookkeeping, which V8 leaves out of line in a parsing loop's large async function.
   */
  takeUntilInHead(search: DelimiterSearch, delimiter: Buffer, maxBytes: number): Buffer | null {
    search.reset(delimiter, this.consumed);
    if (this.length === 0) return null;
    const seg = this.segs[this.head] as Segment;
    const start = seg.start;
    const stop = seg.end - start > maxBytes ? start + maxBytes : seg.end;
    const b = seg.buf;
    // A native search may run to the end of `b`. Past `maxBytes` that is the rest of this
    // chunk, read at most once before such a read fails; but an accumulator's unwritten
    // tail needs a bounded view, which the general path makes.
    if (b.length !== seg.end && stop - start >= SEARCH_VIEW_MIN) return null;
    const hit = search.feed(b, start, stop);
    if (hit < 0) {
      search.pos = this.consumed + (stop - start);
      return null;
    }
    return this.take(hit - start);
  }

  /**
   * Remove the first `skip + n` bytes (`<= length`) and return the last `n` of them as
   * `take(n)` would: a frame's payload behind its header, in one step.
   */
  takeAfter(skip: number, n: number): Buffer {
    const seg = this.segs[this.head] as Segment;
    const start = seg.start + skip;
    if (seg.end - start > n && n > 0) {
      // Hot path: the head segment holds both and keeps bytes after them.
      seg.start = start + n;
      seg.recyclable = false;
      this.consumed += skip + n;
      this.length -= skip + n;
      return view(seg, start, n);
    }
    for (let left = skip; left > 0; ) {
      const head = this.segs[this.head] as Segment;
      const k = Math.min(left, head.end - head.start);
      this.consumeFromHead(head, k);
      left -= k;
    }
    return this.take(n);
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

  /**
   * The first `n` buffered bytes decoded as latin1 (one character per byte), without
   * consuming. What was decoded before is kept ({@link text}): a `readUntilRegex` loop
   * over bytes already buffered decodes each byte once, where decoding everything buffered
   * for every read made such a loop over 64-byte lines cost 2.4 µs a line against 0.16 for
   * `readUntil`.
   */
  latin1(n: number): string {
    const from = this.consumed;
    const end = from + this.length;
    let text = this.text;
    const textEnd = this.textAt + text.length;
    // Bytes at an absolute offset never change once pushed (unshift, which breaks that,
    // forgets the text): keep what was decoded, less what was consumed, and decode only
    // what arrived since. V8 slices a string without copying it.
    if (text.length > 0 && this.textAt <= from && from <= textEnd && textEnd <= end)
      text = text.slice(from - this.textAt) + this.decode(textEnd, end);
    else text = this.decode(from, end);
    this.text = text;
    this.textAt = from;
    return n >= text.length ? text : text.slice(0, n);
  }

  /** The buffered bytes at absolute offsets `from` to `end`, decoded as latin1. */
  private decode(from: number, end: number): string {
    if (from >= end) return '';
    let out = '';
    let at = from;
    // From the segment holding `from` (a binary search): only what arrived since is decoded.
    for (let i = this.locate(from); i < this.segs.length && at < end; i++) {
      const seg = this.segs[i] as Segment;
      const segStartAbs = seg.absEnd - (seg.end - seg.start);
      const stop = Math.min(end, seg.absEnd);
      out += seg.buf.toString('latin1', seg.start + (at - segStartAbs), seg.start + (stop - segStartAbs));
      at = stop;
    }
    return out;
  }

  private consumeFromHead(seg: Segment, n: number): void {
    seg.start += n;
    this.consumed += n;
    this.length -= n;
    if (seg.start === seg.end) {
      if (seg.recyclable) this.recycle(seg.buf);
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
      this.text = '';
    } else if (this.head > 64 && this.head * 2 > this.segs.length) {
      this.segs.splice(0, this.head);
      this.head = 0;
    }
  }
}
