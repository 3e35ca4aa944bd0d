/**
 * The read modes, one small class each. A request is `attempt`ed against the
 * read buffer whenever bytes arrive; it either finishes (returns its result),
 * asks to wait ({@link WAIT}), or throws an error that fails the read and closes
 * the stream (maxBytes exceeded, or a throwing `onChunk`).
 */
import { Buffer } from 'node:buffer';
import { DelimiterSearch } from './delimiter-search.js';
import { UnsatisfiableReadError } from './errors.js';
import type { ReadBuffer } from './read-buffer.js';

export const WAIT: unique symbol = Symbol('wait');
export type Attempt<T> = T | typeof WAIT;

const EMPTY = Buffer.alloc(0);

export abstract class ReadRequest<T = unknown> {
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Settled (or cancelled): a streaming attempt stops handing out bytes. */
  finished = false;

  /** Whether this request keeps its bytes in the read buffer (and so is bounded by maxBufferSize). */
  abstract readonly buffers: boolean;

  /** Try to finish from what is buffered. */
  abstract attempt(buf: ReadBuffer): Attempt<T>;

  /** No more bytes will come: finish with what is buffered, or return WAIT to be rejected. */
  atEnd(buf: ReadBuffer): Attempt<T> {
    return this.attempt(buf);
  }

  /** Called when the read is cancelled or rejected: give back anything taken from the buffer. */
  giveBack(_buf: ReadBuffer): void {}
}

/** `readBytes(n)` and `readBytes(n, { partial: true })`. */
export class BytesRead extends ReadRequest<Buffer> {
  readonly buffers = true;
  constructor(
    private readonly n: number,
    private readonly partial: boolean,
  ) {
    super();
  }
  attempt(buf: ReadBuffer): Attempt<Buffer> {
    const len = buf.length;
    if (len >= this.n) return buf.take(this.n);
    if (this.partial && len > 0) return buf.take(len);
    return WAIT;
  }
}

/** `readBytes(n, { onChunk })`: hands each piece over as it arrives, resolves with an empty Buffer. */
export class StreamingBytesRead extends ReadRequest<Buffer> {
  readonly buffers = false;
  constructor(
    private remaining: number,
    private readonly onChunk: (chunk: Buffer) => void,
  ) {
    super();
  }
  attempt(buf: ReadBuffer): Attempt<Buffer> {
    while (this.remaining > 0 && buf.length > 0 && !this.finished) {
      const chunk = buf.takeHead(this.remaining);
      this.remaining -= chunk.length;
      this.onChunk(chunk);
    }
    return this.remaining === 0 ? EMPTY : WAIT;
  }
}

/**
 * The end of a read that stops at `end` (-1: not found yet), bounded by `maxBytes`: the
 * bytes, or WAIT. Throws when the match ends past `maxBytes`, or when more than
 * `maxBytes` are buffered without one (`what` names the match in the error).
 */
function takeWithin(buf: ReadBuffer, end: number, maxBytes: number | undefined, what: string): Attempt<Buffer> {
  if (maxBytes !== undefined && (end >= 0 ? end : buf.length) > maxBytes)
    throw new UnsatisfiableReadError(`${what} not found within maxBytes (${maxBytes})`);
  return end >= 0 ? buf.take(end) : WAIT;
}

/**
 * `readUntil(delimiter, { maxBytes })`: its search resumes where the last arrival left
 * it, so each byte is looked at once however the data is chunked and whatever the
 * delimiter. With `maxBytes` it looks no further than that: a match ending past it
 * fails the read all the same.
 */
export class UntilRead extends ReadRequest<Buffer> {
  readonly buffers = true;
  private readonly search: DelimiterSearch;
  /** `search`: one that already looked at the buffered bytes for `delimiter` (the stream's, see `IOStream.lookup`). */
  constructor(
    delimiter: Buffer,
    private readonly maxBytes: number | undefined,
    buf: ReadBuffer,
    search?: DelimiterSearch,
  ) {
    super();
    this.search = search ?? new DelimiterSearch(delimiter, buf.offset);
  }
  attempt(buf: ReadBuffer): Attempt<Buffer> {
    const max = this.maxBytes;
    const end = buf.find(this.search, max === undefined ? Number.POSITIVE_INFINITY : buf.offset + max);
    return takeWithin(buf, end < 0 ? -1 : end - buf.offset, max, 'Delimiter');
  }
}

/**
 * Where `regex` first matches the buffered bytes read as latin1, as the offset
 * just past the match; -1 if it does not match. Costs one pass over the buffer.
 */
function regexEnd(buf: ReadBuffer, regex: RegExp): number {
  if (buf.length === 0) return -1;
  regex.lastIndex = 0;
  const m = regex.exec(buf.latin1(buf.length));
  return m === null ? -1 : m.index + m[0].length;
}

/** `readUntilRegex(regex, { maxBytes })`. Rescans the buffer on each arrival (bounded by maxBytes). */
export class RegexRead extends ReadRequest<Buffer> {
  readonly buffers = true;
  constructor(
    private readonly regex: RegExp,
    private readonly maxBytes: number | undefined,
  ) {
    super();
  }
  attempt(buf: ReadBuffer): Attempt<Buffer> {
    return takeWithin(buf, regexEnd(buf, this.regex), this.maxBytes, 'Regex match');
  }
}

/** `readUntilClose()` and `readUntilClose({ onChunk })`. */
export class CloseRead extends ReadRequest<Buffer> {
  readonly buffers: boolean;
  constructor(private readonly onChunk: ((chunk: Buffer) => void) | undefined) {
    super();
    this.buffers = onChunk === undefined;
  }
  attempt(buf: ReadBuffer): Attempt<Buffer> {
    const onChunk = this.onChunk;
    if (onChunk) while (buf.length > 0 && !this.finished) onChunk(buf.takeHead(buf.length));
    return WAIT;
  }
  override atEnd(buf: ReadBuffer): Attempt<Buffer> {
    this.attempt(buf);
    return buf.take(buf.length);
  }
}

/**
 * `readInto(target)`: copies into `target` as bytes arrive, or counts those a transport
 * read straight into it (a loan, see `FdTransport.lendReadTarget`); gives them back if
 * cancelled.
 */
export class IntoRead extends ReadRequest<number> {
  readonly buffers = false;
  private filled = 0;
  /** `filled` when the unfilled part was last offered to the transport (-1: never). */
  private offeredAt = -1;
  constructor(
    private readonly target: Uint8Array,
    private readonly partial: boolean,
  ) {
    super();
  }
  /** The part of the target still to fill, if it has not been offered to the transport since the last arrival; else `null`. */
  toLend(): Uint8Array | null {
    if (this.offeredAt === this.filled) return null;
    this.offeredAt = this.filled;
    // The target itself while nothing is filled: a view of it would cost a typed array and a `.buffer` call.
    return this.filled === 0 ? this.target : this.target.subarray(this.filled);
  }
  /** Whether `chunk` overlaps the target's memory (lent to the transport). */
  inTarget(chunk: Uint8Array): boolean {
    const t = this.target;
    return (
      chunk.buffer === t.buffer &&
      chunk.byteOffset < t.byteOffset + t.length &&
      chunk.byteOffset + chunk.length > t.byteOffset
    );
  }
  /**
   * Count `chunk` as read if the transport read it into the target right where the next
   * byte goes (nothing to copy); false, counting nothing, for any other chunk.
   */
  landed(chunk: Uint8Array): boolean {
    const t = this.target;
    // The target itself (a transport may hand back a read that filled it whole) is known by
    // identity, without the two `.buffer` calls into V8's C++ side; it starts at offset 0.
    const atNextByte =
      chunk === t ? this.filled === 0 : chunk.buffer === t.buffer && chunk.byteOffset === t.byteOffset + this.filled;
    if (!atNextByte || chunk.length > t.length - this.filled) return false;
    this.filled += chunk.length;
    return true;
  }
  attempt(buf: ReadBuffer): Attempt<number> {
    const k = Math.min(buf.length, this.target.length - this.filled);
    if (k > 0) {
      buf.copyOut(this.target, this.filled, k);
      this.filled += k;
    }
    if (this.filled === this.target.length || (this.partial && this.filled > 0)) return this.filled;
    return WAIT;
  }
  override giveBack(buf: ReadBuffer): void {
    if (this.filled === 0) return;
    buf.unshift(Buffer.from(this.target.subarray(0, this.filled)));
    this.filled = 0;
  }
}
