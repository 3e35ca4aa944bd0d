/**
 * `readFrame` / `tryReadFrame`: one read for a length-prefixed message (Netty's
 * `LengthFieldBasedFrameDecoder`). A frame is `lengthOffset` bytes, the length
 * field, then `length + lengthAdjust` bytes. The header is decoded in place (nothing
 * consumed) and checked against `maxBytes` before a byte of payload is waited for,
 * so a hostile length never makes the stream buffer, let alone allocate, for it.
 */
import type { Buffer } from 'node:buffer';
import { checkSize, describe } from './args.js';
import { StreamBufferFullError, UnsatisfiableReadError } from './errors.js';
import type { ReadBuffer } from './read-buffer.js';
import { type Attempt, ReadRequest, WAIT } from './read-requests.js';

/**
 * How a length-prefixed frame is laid out. A format is checked when first seen and
 * remembered by its fields: a constant and an object literal written in the call cost the
 * same. Do not change a format object once used.
 *
 * @example PostgreSQL's backend messages: a type byte, then an int32 length that counts itself.
 * ```ts
 * const PG: FrameFormat = { lengthOffset: 1, lengthBytes: 4, lengthAdjust: -4, includeHeader: true };
 * ```
 */
export interface FrameFormat {
  /** Size of the length field: 1, 2, 4 or 8 bytes (unsigned), or an unsigned LEB128 varint (protobuf's, at most 10 bytes). */
  readonly lengthBytes: 1 | 2 | 4 | 8 | 'varint';
  /** Bytes before the length field (a type tag, say). Default 0. */
  readonly lengthOffset?: number;
  /** Byte order of a fixed-size length field. Default false: big endian (network order). No effect on a varint. */
  readonly littleEndian?: boolean;
  /** Added to the length to get the bytes that follow the length field: -4 where an int32 length counts itself. Default 0. */
  readonly lengthAdjust?: number;
  /** Whether the result starts with the header (offset bytes and length field). Default false: the payload only. */
  readonly includeHeader?: boolean;
}

/** A validated format, in the shape the decoder reads on every frame. */
export interface CompiledFrameFormat {
  readonly offset: number;
  /** 1, 2, 4 or 8; 0 for a varint. */
  readonly size: number;
  readonly littleEndian: boolean;
  readonly adjust: number;
  readonly includeHeader: boolean;
}

/** A format seen lately: its fields as given, and what they compiled to. */
interface KnownFormat {
  readonly lengthBytes: unknown;
  readonly lengthOffset: unknown;
  readonly littleEndian: unknown;
  readonly lengthAdjust: unknown;
  readonly includeHeader: unknown;
  readonly compiled: CompiledFrameFormat;
}

/**
 * The last {@link MAX_KNOWN} different formats seen, newest first, matched by their fields. Not a map keyed by the
 * object: `readFrame({ lengthBytes: 4 })` makes a new object per call, and a `WeakMap`
 * entry per frame took a parsing loop from 30 to 328 ns a frame (a compile and an
 * entry each, and 29 MB of young objects kept alive through scavenges over 2 M frames,
 * against 0.5 MB). Matched by fields, such a literal costs five property reads; past
 * {@link MAX_KNOWN} formats in rotation each is compiled again.
 */
const known: KnownFormat[] = [];
const MAX_KNOWN = 8;
// A parsing loop passes the same object every time: one comparison instead of a lookup.
let lastFormat: unknown = null;
let lastCompiled: CompiledFrameFormat | null = null;

/** `format` checked (TypeError/RangeError) and compiled, or found among the last formats seen. */
export function compileFrameFormat(format: unknown): CompiledFrameFormat {
  if (format === lastFormat && lastCompiled !== null) return lastCompiled;
  if (typeof format !== 'object' || format === null)
    throw new TypeError(`format must be an object, got ${describe(format)}`);
  const f = format as Record<string, unknown>;
  // Each field read once: what is compared is what is compiled.
  const lengthBytes = f.lengthBytes;
  const lengthOffset = f.lengthOffset;
  const littleEndian = f.littleEndian;
  const lengthAdjust = f.lengthAdjust;
  const includeHeader = f.includeHeader;
  let c: CompiledFrameFormat | null = null;
  for (const k of known) {
    if (
      k.lengthBytes === lengthBytes &&
      k.lengthOffset === lengthOffset &&
      k.littleEndian === littleEndian &&
      k.lengthAdjust === lengthAdjust &&
      k.includeHeader === includeHeader
    ) {
      c = k.compiled;
      break;
    }
  }
  if (c === null) {
    c = compile(lengthBytes, lengthOffset, littleEndian, lengthAdjust, includeHeader);
    if (known.length === MAX_KNOWN) known.pop();
    known.unshift({ lengthBytes, lengthOffset, littleEndian, lengthAdjust, includeHeader, compiled: c });
  }
  lastFormat = format;
  lastCompiled = c;
  return c;
}

function compile(
  lengthBytes: unknown,
  lengthOffset: unknown,
  littleEndian: unknown,
  lengthAdjust: unknown,
  includeHeader: unknown,
): CompiledFrameFormat {
  let size: number;
  if (lengthBytes === 'varint') size = 0;
  else if (lengthBytes === 1 || lengthBytes === 2 || lengthBytes === 4 || lengthBytes === 8) size = lengthBytes;
  else if (typeof lengthBytes === 'number' || typeof lengthBytes === 'string')
    throw new RangeError(`format.lengthBytes must be 1, 2, 4, 8 or 'varint', got ${String(lengthBytes)}`);
  else throw new TypeError(`format.lengthBytes must be 1, 2, 4, 8 or 'varint', got ${describe(lengthBytes)}`);
  const offset = lengthOffset === undefined ? 0 : checkSize('format.lengthOffset', lengthOffset);
  const adjust = lengthAdjust === undefined ? 0 : checkInteger('format.lengthAdjust', lengthAdjust);
  return Object.freeze({
    offset,
    size,
    littleEndian: checkFlag('format.littleEndian', littleEndian),
    adjust,
    includeHeader: checkFlag('format.includeHeader', includeHeader),
  });
}

function checkInteger(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer, got ${value}`);
  return value;
}

function checkFlag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/** {@link frameSize}: the header is not all buffered yet. */
const NEED_MORE = -1;
/** {@link frameSize}: `length + lengthAdjust` is negative. */
const NEGATIVE = -2;
/** {@link frameSize}: a varint that has not ended after 10 bytes. */
const VARINT_TOO_LONG = -3;
const MAX_VARINT_BYTES = 10;
const TWO_32 = 2 ** 32;
const TWO_21 = 2 ** 21;

/**
 * Header size of the frame {@link frameSize} last decoded; when it returned NEED_MORE,
 * the fewest header bytes the frame can still have. A module variable rather than a
 * result object: the decoder runs once per frame in parsing loops and allocates nothing.
 */
let headerSize = 0;

/**
 * Decode the header at the front of `buf` without consuming it. Returns the frame's
 * total size (header + payload; Infinity for a length field past
 * `Number.MAX_SAFE_INTEGER`), or NEED_MORE, NEGATIVE or VARINT_TOO_LONG.
 */
function frameSize(f: CompiledFrameFormat, buf: ReadBuffer): number {
  const at = f.offset;
  const size = f.size;
  const avail = buf.length;
  if (size === 0) return varintFrameSize(f, buf, at, avail);
  const h = at + size;
  headerSize = h;
  if (avail < h) return NEED_MORE;
  let length: number;
  if (size === 4) {
    length = buf.uint32(at, f.littleEndian);
  } else if (size === 1) {
    length = buf.peek(at);
  } else if (size === 2) {
    length = f.littleEndian ? (buf.peek(at + 1) << 8) | buf.peek(at) : (buf.peek(at) << 8) | buf.peek(at + 1);
  } else {
    length = uint64(buf, at, f.littleEndian);
  }
  const payload = length + f.adjust;
  return payload < 0 ? NEGATIVE : h + payload;
}

/** The unsigned 64-bit integer at `at`, or Infinity past 2^53 - 1, where a double stops holding it exactly. */
function uint64(buf: ReadBuffer, at: number, littleEndian: boolean): number {
  const hi = buf.uint32(littleEndian ? at + 4 : at, littleEndian);
  const lo = buf.uint32(littleEndian ? at : at + 4, littleEndian);
  return hi >= TWO_21 ? Number.POSITIVE_INFINITY : hi * TWO_32 + lo;
}

/** Unsigned LEB128: seven bits a byte, least significant first, high bit set on all but the last. */
function varintFrameSize(f: CompiledFrameFormat, buf: ReadBuffer, at: number, avail: number): number {
  let length = 0;
  let scale = 1;
  for (let k = 0; k < MAX_VARINT_BYTES; k++) {
    const i = at + k;
    headerSize = i + 1;
    if (i >= avail) return NEED_MORE;
    const b = buf.peek(i);
    length += (b & 0x7f) * scale;
    // Only grows from here: fail on the first byte that takes it past what a double holds exactly.
    if (length > Number.MAX_SAFE_INTEGER) return Number.POSITIVE_INFINITY;
    if (b < 0x80) {
      const payload = length + f.adjust;
      return payload < 0 ? NEGATIVE : i + 1 + payload;
    }
    scale *= 128;
  }
  return VARINT_TOO_LONG;
}

/** Consume the frame of `total` bytes (header of `header`) and return it: a view where it lies in one chunk. */
function takeFrame(f: CompiledFrameFormat, buf: ReadBuffer, header: number, total: number): Buffer {
  return f.includeHeader ? buf.take(total) : buf.takeAfter(header, total - header);
}

/**
 * The frame at the front of `buf` if it is all buffered and within `maxBytes`, consumed;
 * else `null`, nothing consumed (an oversize or malformed header included: the awaited
 * form reports those).
 */
export function tryTakeFrame(f: CompiledFrameFormat, buf: ReadBuffer, maxBytes: number): Buffer | null {
  const total = frameSize(f, buf);
  if (total < 0 || total > maxBytes || total > buf.length) return null;
  return takeFrame(f, buf, headerSize, total);
}

/**
 * `readFrame(format, { maxBytes })`. Decodes the header once it is buffered and
 * remembers the size; fails (closing the stream) as soon as the header shows a frame
 * that cannot be read: past `maxBytes`, past `maxBufferSize`, or malformed.
 */
export class FrameRead extends ReadRequest<Buffer> {
  readonly buffers = true;
  /** The frame's total size once its header was decoded; -1 before. */
  private total = -1;
  private header = 0;

  constructor(
    private readonly format: CompiledFrameFormat,
    private readonly maxBytes: number,
    private readonly maxBufferSize: number,
  ) {
    super();
  }

  attempt(buf: ReadBuffer): Attempt<Buffer> {
    let total = this.total;
    if (total < 0) {
      total = frameSize(this.format, buf);
      if (total === NEED_MORE) {
        if (headerSize > this.maxBytes)
          throw new UnsatisfiableReadError(`Frame header alone exceeds maxBytes (${this.maxBytes})`);
        return WAIT;
      }
      this.check(total);
      this.total = total;
      this.header = headerSize;
    }
    return buf.length < total ? WAIT : takeFrame(this.format, buf, this.header, total);
  }

  /** Throw for a decoded frame that cannot be read; the stream then closes. */
  private check(total: number): void {
    if (total === NEGATIVE)
      throw new UnsatisfiableReadError(`Frame length plus lengthAdjust (${this.format.adjust}) is negative`);
    if (total === VARINT_TOO_LONG)
      throw new UnsatisfiableReadError(`Frame length varint is longer than ${MAX_VARINT_BYTES} bytes`);
    if (total === Number.POSITIVE_INFINITY)
      throw new UnsatisfiableReadError('Frame length exceeds Number.MAX_SAFE_INTEGER');
    if (total > this.maxBytes)
      throw new UnsatisfiableReadError(`Frame of ${total} bytes exceeds maxBytes (${this.maxBytes})`);
    if (total > this.maxBufferSize)
      throw new StreamBufferFullError(`Frame of ${total} bytes needs more than maxBufferSize (${this.maxBufferSize})`);
  }
}
