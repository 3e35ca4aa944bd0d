import { Buffer } from 'node:buffer';
import {
  checkCallback,
  checkMaxBytes,
  checkRegex,
  checkSignal,
  checkSize,
  checkTarget,
  describe,
  toChunk,
  toDelimiter,
} from './args.js';
import { asError } from './as-error.js';
import { asBuffer } from './buffer-view.js';
import { DelimiterSearch } from './delimiter-search.js';
import { NOT_MADE, ownArray } from './empty-array.js';
import {
  AbortError,
  AlreadyReadingError,
  type IOStreamError,
  StreamBufferFullError,
  StreamClosedError,
  StreamNotIdleError,
} from './errors.js';
import { Deferred, rejectedHandled } from './handled.js';
import { type IOStreamOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { ReadBuffer } from './read-buffer.js';
import {
  type CompiledFrameFormat,
  compileFrameFormat,
  type FrameFormat,
  FrameRead,
  tryTakeFrame,
} from './read-frame.js';
import {
  BytesRead,
  CloseRead,
  IntoRead,
  type ReadRequest,
  RegexRead,
  StreamingBytesRead,
  UntilRead,
  WAIT,
} from './read-requests.js';
import { resolvedBuffer } from './resolved-buffer.js';
import { EOF, type FdTransport, type TransportEvents } from './transport.js';
import { markTurn, SETTLED, thisTurn } from './turn.js';
import { LARGE_CHUNK, MAX_IOV, WriteQueue } from './write-queue.js';

/** Bytes a read or write accepts: a `Uint8Array` (including `Buffer`) or a string, encoded as UTF-8. */
export type Bytes = Uint8Array | string;

export interface ReadOptions {
  /** Cancels the read: it rejects with `AbortError`, every buffered byte is kept, the stream stays open. */
  signal?: AbortSignal;
}
export interface ReadBytesOptions extends ReadOptions {
  /** Settle as soon as any byte is buffered, with at most `n`. */
  partial?: boolean;
  /** Receive the `n` bytes piece by piece as they arrive; the read then resolves with an empty Buffer. */
  onChunk?: (chunk: Buffer) => void;
}
export interface ReadUntilOptions extends ReadOptions {
  /** Fail with `UnsatisfiableReadError` (closing the stream) if the delimiter does not end within this many bytes. */
  maxBytes?: number;
}
export interface ReadUntilCloseOptions extends ReadOptions {
  /** Receive everything piece by piece (buffered bytes first); the read then resolves with an empty Buffer. */
  onChunk?: (chunk: Buffer) => void;
}
export interface ReadIntoOptions extends ReadOptions {
  /** Settle as soon as any byte is copied, with the count copied. */
  partial?: boolean;
}
export interface ReadFrameOptions extends ReadOptions {
  /**
   * Most bytes the frame may span, header included (whether or not the result includes
   * it). A longer frame fails with `UnsatisfiableReadError`, closing the stream, as soon
   * as its header is buffered. Default `maxBufferSize`.
   */
  maxBytes?: number;
}

const EMPTY = Buffer.alloc(0);
// One settled promise serves every write that is done at once, and turn.ts's microtasks.
const RESOLVED = SETTLED;

/**
 * A buffered byte stream over an {@link FdTransport}: Tornado's `IOStream` for Node.
 *
 * One read at a time, settled from the buffer when it can be, exact read modes,
 * writes that resolve when handed to the transport, and precise close semantics.
 *
 * @example
 * ```ts
 * const line = stream.tryReadUntil('\n') ?? (await stream.readUntil('\n', { maxBytes: 8192 }));
 * await stream.write(`echo: ${line}`);
 * ```
 */
export class IOStream implements AsyncIterable<Buffer> {
  /** Why the stream closed, when it closed for a reason; `null` otherwise. */
  error: Error | null = null;

  private readonly transport: FdTransport;
  private readonly opts: ResolvedOptions;
  private readonly rbuf: ReadBuffer;
  private readonly wqueue: WriteQueue;
  private pending: ReadRequest<unknown> | null = null;
  /** See {@link lookup}. */
  private search: DelimiterSearch | null = null;
  private isClosed = false;
  /** No more inbound bytes: EOF seen (half-open) or closed. */
  private readDone = false;
  private readInterest = false;
  private pumping = false;
  private pumpAgain = false;
  /** True while a read request's attempt runs (it may call user code: onChunk). */
  private attempting = false;
  /** Callers of `drained()` waiting for the queue to fall (`NOT_MADE` until the first one). */
  private drainWaiters: Deferred[] = NOT_MADE;
  private drainFlag = false;
  /** Inside `transport.writeToFd()` (or `writevToFd()`): a `released(n)` now is for bytes not yet counted as sent. */
  private sending = false;
  /** The transport has `writevToFd`: arrays and runs of queued chunks go over in one call. */
  private readonly vectored: boolean;
  /** The transport has `lendReadTarget`: `readInto` may have it read straight into the caller's buffer. */
  private readonly lends: boolean;
  /** Small writes made after a direct one in the same turn are held for one `writevToFd` (`coalesceWrites`). */
  private readonly coalesces: boolean;
  /** The turn ({@link markTurn}) in which a write last went straight to the transport; -1: none yet. */
  private wroteInTurn = -1;
  /** What the write queue holds is held back for the end of the turn (a microtask will flush it), not by backpressure. */
  private holding = false;
  /** The pending `readInto` whose target the transport holds on loan, if any. */
  private lent: IntoRead | null = null;
  /** Bytes a retaining transport released from inside `writeToFd()`, applied once counted as sent. */
  private releasedEarly = 0;
  private ending: Promise<void> | null = null;
  /** `ending`'s settle functions until it settles. */
  private endSettle: Deferred | null = null;
  private writeDone = false;
  private closeCallback: (() => void) | null = null;
  /** 'detached': the connection lives on in another stream, so this one's callback never runs. */
  private closeCallbackState: 'none' | 'scheduled' | 'ran' | 'detached' = 'none';

  constructor(transport: FdTransport, options?: IOStreamOptions) {
    this.opts = resolveOptions(options);
    this.transport = transport;
    // The transport itself recycles (no closure per stream); only one that can reuse memory.
    this.rbuf = new ReadBuffer(typeof transport.recycle === 'function' ? transport : undefined);
    // Read once: whether writes complete on hand-over or on the transport's `released` report.
    this.wqueue = new WriteQueue(transport.retainsWrites === true);
    this.vectored = typeof transport.writevToFd === 'function';
    this.lends = typeof transport.lendReadTarget === 'function';
    this.coalesces = this.vectored && this.opts.coalesceWrites;
    transport.watch(new IOStream.Events(this));
    this.pump();
  }

  // ---- state ---------------------------------------------------------------

  /** True once the stream is closed (by `close()`, EOF, an error, or a failed read). */
  closed(): boolean {
    return this.isClosed;
  }
  /** True while a read is pending. */
  reading(): boolean {
    return this.pending !== null;
  }
  /** True while written bytes wait to be handed to the transport. */
  writing(): boolean {
    return !this.wqueue.empty;
  }
  /** Bytes received and not yet read. */
  get readableLength(): number {
    return this.rbuf.length;
  }
  /**
   * Bytes written and not yet handed to the transport: what `writeHighWaterMark` and
   * `writeLowWaterMark` measure. Bytes a retaining transport still holds are not
   * counted: its own backpressure (it accepts nothing more) already bounds them.
   */
  get writableLength(): number {
    return this.wqueue.length;
  }
  /**
   * True once queued writes exceeded `writeHighWaterMark`, until they fall to
   * `writeLowWaterMark`; and always true once the stream takes no more writes (closed,
   * or `end()` called), so that the loop `void s.write(x); if (s.needsDrain) await
   * s.drained();` ends there: `drained()` rejects with `StreamClosedError`.
   */
  get needsDrain(): boolean {
    return this.drainFlag || this.isClosed || this.ending !== null;
  }
  /** The transport's descriptor, or -1. */
  fileno(): number {
    return this.transport.fileno();
  }
  /** Disable (or re-enable) Nagle's algorithm where the transport has one; a no-op elsewhere. */
  setNoDelay(on = true): void {
    if (!this.isClosed) this.transport.setNoDelay?.(on);
  }
  /** The transport under this stream, for transport packages (e.g. `startTls`). */
  getTransport(): FdTransport {
    return this.transport;
  }

  /**
   * Hand the transport over to a new owner (how `startTls` upgrades a stream in
   * place). The stream must be idle: no pending read, nothing buffered in either
   * direction, no `end()` under way; otherwise this throws `StreamNotIdleError` and
   * changes nothing. Afterwards this stream is closed (reads and writes reject with
   * `StreamClosedError`), its transport is NOT released, and its close callback
   * does not run: both are returned, with the options, for the new stream. A close
   * callback set on it later is ignored too.
   */
  detach(): { transport: FdTransport; options: IOStreamOptions; closeCallback: (() => void) | null } {
    // Writes held for the end of the turn would have been handed over already without coalescing.
    if (this.holding) this.releaseHeld();
    if (this.isClosed) throw new StreamNotIdleError('Stream is closed');
    if (this.pending !== null) throw new StreamNotIdleError('Stream has a pending read');
    // Settled, not just empty: a retaining transport may still hold bytes of a pending write.
    if (!this.wqueue.settled) throw new StreamNotIdleError('Stream has unsent writes');
    if (this.rbuf.length > 0) throw new StreamNotIdleError('Stream has buffered unread bytes');
    if (this.ending !== null) throw new StreamNotIdleError('Stream is ending');
    if (this.readDone) throw new StreamNotIdleError('Stream has reached EOF');
    const closeCallback = this.closeCallback;
    this.closeCallback = null;
    this.closeCallbackState = 'detached';
    this.isClosed = true;
    this.readDone = true;
    this.writeDone = true;
    // Later reads and writes reject with StreamClosedError whose realError says why.
    this.error = Object.assign(new Error('Stream was detached from its transport (e.g. by startTls)'), {
      code: 'ERR_STREAM_DETACHED',
    });
    if (this.readInterest) {
      this.readInterest = false;
      this.transport.setReadInterest(false);
    }
    this.transport.watch({ readable: () => {}, writable: () => {}, error: () => {} });
    return { transport: this.transport, options: { ...this.opts }, closeCallback };
  }

  // ---- reads ---------------------------------------------------------------

  /**
   * Read exactly `n` bytes (or, with `partial`, whatever is buffered, at most `n`,
   * as soon as there is any). `readBytes(0)` resolves at once with an empty Buffer.
   * Rejects with `StreamClosedError` if the stream closes first, with
   * `StreamBufferFullError` if `n` exceeds `maxBufferSize` (without `onChunk`).
   */
  readBytes(n: number, options?: ReadBytesOptions): Promise<Buffer> {
    // Hot path (a parsing loop): no options, a positive size already buffered. The general
    // path below gives the same result; this one just skips the option checks.
    if (
      options === undefined &&
      typeof n === 'number' &&
      n > 0 &&
      n >>> 0 === n &&
      n <= this.rbuf.length &&
      this.pending === null
    ) {
      return resolvedBuffer(this.takeBuffered(n));
    }
    return this.readBytesWith(n, options === undefined ? {} : options);
  }

  private readBytesWith(n: number, options: ReadBytesOptions): Promise<Buffer> {
    checkSize('n', n);
    const signal = checkSignal(options.signal);
    const onChunk = checkCallback<(chunk: Buffer) => void>('onChunk', options.onChunk);
    const partial = options.partial === true;
    // An already aborted signal rejects every read with AbortError, readBytes(0) included.
    if (n === 0 && this.pending === null && signal?.aborted !== true) return Promise.resolve(EMPTY);
    if (onChunk) return this.start(new StreamingBytesRead(n, onChunk), signal);
    if (this.pending === null && this.rbuf.length >= n && signal?.aborted !== true) {
      return resolvedBuffer(this.takeBuffered(n));
    }
    if (!partial && n > this.opts.maxBufferSize && this.pending === null && !this.readDone && !signal?.aborted) {
      return this.failAndClose(
        new StreamBufferFullError(`readBytes(${n}) needs more than maxBufferSize (${this.opts.maxBufferSize})`),
      );
    }
    return this.start(new BytesRead(n, partial), signal, this.mayAttemptNow(signal));
  }

  /**
   * Read up to and including `delimiter` (a string is UTF-8). With `maxBytes`, fail
   * with `UnsatisfiableReadError`, closing the stream, if the delimiter does not end
   * within that many bytes. Each byte is scanned once however the data is chunked.
   */
  readUntil(delimiter: Bytes, options?: ReadUntilOptions): Promise<Buffer> {
    const delim = toDelimiter(delimiter);
    const maxBytes = options === undefined ? undefined : checkMaxBytes(options.maxBytes);
    const signal = options === undefined ? undefined : checkSignal(options.signal);
    if (this.pending !== null || signal?.aborted === true)
      return this.start(new UntilRead(delim, maxBytes, this.rbuf), signal);
    const search = this.lookup();
    const out = this.takeUntil(search, delim, maxBytes);
    if (out !== null) return resolvedBuffer(out);
    // Not all there yet: the read goes on from where that look stopped, so no byte is fed twice.
    return this.start(new UntilRead(delim, maxBytes, this.rbuf, search), signal, this.mayAttemptNow(signal));
  }

  /**
   * Read up to the end of the first match of `regex` against the buffered bytes
   * read as latin1 (one character per byte, so offsets are byte offsets). Each
   * arrival rescans the buffer, so cost is O(buffered) per chunk: bound it with
   * `maxBytes`.
   */
  readUntilRegex(regex: RegExp, options: ReadUntilOptions = {}): Promise<Buffer> {
    const re = checkRegex(regex);
    const maxBytes = checkMaxBytes(options.maxBytes);
    const signal = checkSignal(options.signal);
    return this.start(new RegexRead(re, maxBytes), signal);
  }

  /**
   * Read everything until the stream closes; resolves with all remaining bytes
   * (also when it closes with an error: check `stream.error`). With `onChunk`,
   * streams them instead and resolves with an empty Buffer.
   */
  readUntilClose(options: ReadUntilCloseOptions = {}): Promise<Buffer> {
    const signal = checkSignal(options.signal);
    const onChunk = checkCallback<(chunk: Buffer) => void>('onChunk', options.onChunk);
    return this.start(new CloseRead(onChunk), signal);
  }

  /**
   * Fill `target` (or, with `partial`, copy whatever is there as soon as there is
   * any) and resolve with the count. Bytes beyond `target.length` stay buffered.
   * A zero-length target resolves 0 at once, as `readBytes(0)` does.
   */
  readInto(target: Uint8Array, options: ReadIntoOptions = {}): Promise<number> {
    const buf = checkTarget(target);
    const signal = checkSignal(options.signal);
    if (this.pending === null && signal?.aborted !== true) {
      // A zero-length target is full already, as readBytes(0) is satisfied (an empty payload).
      if (buf.length === 0) return Promise.resolve(0);
      // Buffered already (a loop over bytes that came in bulk): copied now, as the read would
      // be at once, without a request and a promise to settle through it (600 ns a 4 KiB
      // read against 230 for readBytes, which had this path).
      const n = this.rbuf.length >= buf.length ? buf.length : options.partial === true ? this.rbuf.length : 0;
      if (n > 0) return Promise.resolve(this.copyBuffered(buf, n));
    }
    return this.start(new IntoRead(buf, options.partial === true), signal, this.mayAttemptNow(signal));
  }

  /**
   * Read one length-prefixed frame (see {@link FrameFormat}): resolves with its payload,
   * or with the whole frame when `includeHeader`, as one Buffer (a view where the frame
   * lies in one chunk). A header whose frame would exceed `maxBytes` (default
   * `maxBufferSize`; header + payload), or whose length is malformed (negative after
   * `lengthAdjust`, a varint over 10 bytes or past `Number.MAX_SAFE_INTEGER`), fails the
   * read with `UnsatisfiableReadError` and closes the stream before any payload is
   * buffered. A bad `format` throws `TypeError`/`RangeError`.
   *
   * @example
   * ```ts
   * const U32: FrameFormat = { lengthBytes: 4 };
   * const body = stream.tryReadFrame(U32) ?? (await stream.readFrame(U32, { maxBytes: 1 << 20 }));
   * ```
   */
  readFrame(format: FrameFormat, options?: ReadFrameOptions): Promise<Buffer> {
    const f = compileFrameFormat(format);
    // Hot path (a parsing loop): no options, the frame in the head chunk, decoded and taken
    // in one call. The general path below gives the same frame, in several.
    if (options === undefined && this.pending === null) {
      const frame = this.takeFrameInHead(f);
      if (frame !== null) return resolvedBuffer(frame);
    }
    return this.readFrameWith(f, options);
  }

  private readFrameWith(f: CompiledFrameFormat, options: ReadFrameOptions | undefined): Promise<Buffer> {
    let maxBytes = this.opts.maxBufferSize;
    let signal: AbortSignal | undefined;
    if (options !== undefined) {
      maxBytes = checkMaxBytes(options.maxBytes) ?? maxBytes;
      signal = checkSignal(options.signal);
    }
    if (this.pending === null && signal?.aborted !== true) {
      const frame = this.takeFrame(f, maxBytes);
      if (frame !== null) return resolvedBuffer(frame);
    }
    return this.start(new FrameRead(f, maxBytes, this.opts.maxBufferSize), signal);
  }

  /**
   * The next frame if it is all buffered (and within `maxBytes`, default
   * `maxBufferSize`), else `null`: nothing consumed, no error, also for an oversize or
   * malformed header (the awaited `readFrame` reports those). Throws
   * `ERR_ALREADY_READING` while a read is pending.
   */
  tryReadFrame(format: FrameFormat, options?: { maxBytes?: number }): Buffer | null {
    const f = compileFrameFormat(format);
    // Hot path, as readFrame's.
    if (options === undefined && this.pending === null) {
      const frame = this.takeFrameInHead(f);
      if (frame !== null) return frame;
    }
    const maxBytes = (options === undefined ? undefined : checkMaxBytes(options.maxBytes)) ?? this.opts.maxBufferSize;
    this.assertNotReading();
    return this.takeFrame(f, maxBytes);
  }

  /** `readFrame`'s and `tryReadFrame`'s hot path: the frame if it lies in the head chunk (see `ReadBuffer.takeFrameInHead`), consumed; else `null`. */
  private takeFrameInHead(f: CompiledFrameFormat): Buffer | null {
    const frame = this.rbuf.takeFrameInHead(f, this.opts.maxBufferSize);
    if (frame !== null) this.afterConsume();
    return frame;
  }

  /** The frame at the front of the buffer, consumed, if all of it is there; else `null`. */
  private takeFrame(f: CompiledFrameFormat, maxBytes: number): Buffer | null {
    const frame = tryTakeFrame(f, this.rbuf, maxBytes);
    if (frame !== null) this.afterConsume();
    return frame;
  }

  /** `n` bytes if already buffered, else `null` (nothing consumed). Throws `ERR_ALREADY_READING` while a read is pending. */
  tryReadBytes(n: number): Buffer | null {
    // `(n >>> 0) === n` accepts the common sizes without the full check (same errors either way).
    if (typeof n !== 'number' || n >>> 0 !== n) checkSize('n', n);
    this.assertNotReading();
    return this.rbuf.length < n ? null : this.takeBuffered(n);
  }

  /**
   * Bytes up to and including `delimiter` if already buffered (and within
   * `maxBytes`), else `null`: nothing consumed, no error. Throws
   * `ERR_ALREADY_READING` while a read is pending.
   */
  tryReadUntil(delimiter: Bytes, options?: { maxBytes?: number }): Buffer | null {
    const delim = toDelimiter(delimiter);
    const maxBytes = options === undefined ? undefined : checkMaxBytes(options.maxBytes);
    this.assertNotReading();
    return this.takeUntil(this.lookup(), delim, maxBytes);
  }

  /** Fill `target` if enough is buffered and return its length, else `null`. Throws `ERR_ALREADY_READING` while a read is pending. */
  tryReadInto(target: Uint8Array): number | null {
    const buf = checkTarget(target);
    this.assertNotReading();
    if (this.rbuf.length < buf.length) return null;
    return this.copyBuffered(buf, buf.length);
  }

  private assertNotReading(): void {
    if (this.pending !== null) throw new AlreadyReadingError();
  }

  /** Consume `n` buffered bytes for a read settled from the buffer, reading on if that left it low. */
  private takeBuffered(n: number): Buffer {
    const out = this.rbuf.take(n);
    this.afterConsume();
    return out;
  }

  /** Copy the first `n` buffered bytes (`n <= rbuf.length`) into the start of `target`; returns `n`. */
  private copyBuffered(target: Uint8Array, n: number): number {
    this.rbuf.copyOut(target, 0, n);
    this.afterConsume();
    return n;
  }

  /**
   * The stream's delimiter search, for a look made with no read pending. One per stream is
   * enough: a read waiting for a delimiter takes it over, and while one waits no other look
   * or read for a delimiter starts (so a pending read no longer allocates one).
   */
  private lookup(): DelimiterSearch {
    let search = this.search;
    if (search === null) search = this.search = new DelimiterSearch(EMPTY, 0);
    return search;
  }

  /**
   * The bytes through `delimiter` if the buffer holds them within `maxBytes`, consumed; else
   * `null`, with `search` stopped where it looked no further. The head chunk first, in one
   * call (every line of a parsing loop but the one a chunk boundary cuts), then the rest.
   */
  private takeUntil(search: DelimiterSearch, delimiter: Buffer, maxBytes: number | undefined): Buffer | null {
    const buf = this.rbuf;
    let out = buf.takeUntilInHead(search, delimiter, maxBytes ?? Number.POSITIVE_INFINITY);
    // Something past the head chunk to look at: searched no further than maxBytes.
    if (out === null && search.pos < buf.offset + buf.length) {
      const end = buf.find(search, maxBytes === undefined ? Number.POSITIVE_INFINITY : buf.offset + maxBytes);
      if (end >= 0) out = buf.take(end - buf.offset);
    }
    if (out !== null) this.afterConsume();
    return out;
  }

  /**
   * `start`'s `attemptNow` for a read that found too little buffered: false when nothing is
   * buffered and reading is not done (a request-response loop, or a bulk loop that drained
   * the buffer), where a first attempt could only answer "wait".
   */
  private mayAttemptNow(signal: AbortSignal | undefined): boolean {
    return signal !== undefined || this.rbuf.length > 0 || this.readDone;
  }

  /**
   * Begin a read: settle it from the buffer if possible, else leave it pending.
   * `attemptNow` false: the caller knows it cannot settle from the buffer as it is
   * (nothing buffered, reading not done), so it waits for bytes without a first attempt.
   */
  private start<T>(req: ReadRequest<T>, signal: AbortSignal | undefined, attemptNow = true): Promise<T> {
    if (this.pending !== null) return Promise.reject(new AlreadyReadingError());
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    return new Promise<T>((resolve, reject) => {
      req.resolve = resolve;
      req.reject = reject;
      this.pending = req as ReadRequest<unknown>;
      if (signal) {
        req.signal = signal;
        req.onAbort = () => this.abortRead(req as ReadRequest<unknown>);
        signal.addEventListener('abort', req.onAbort, { once: true });
      }
      if (attemptNow) this.runPending();
      if (this.pending === req) this.pump();
    });
  }

  /** Try to settle the pending read from the buffer (or from what is left, once reading is done). */
  private runPending(): void {
    const req = this.pending;
    // Re-entered from user code inside an attempt (onChunk calling close()): the outer call
    // finishes the job, so onChunk is never called from inside itself.
    if (req === null || this.attempting) return;
    let result: unknown;
    this.attempting = true;
    try {
      const ended = this.readDone;
      result = ended ? req.atEnd(this.rbuf) : req.attempt(this.rbuf);
      // The stream ended during the attempt (onChunk closed it): settle as at the end.
      if (!ended && result === WAIT && this.readDone && this.pending === req) result = req.atEnd(this.rbuf);
    } catch (error) {
      this.attempting = false;
      this.finishRead(req);
      req.giveBack(this.rbuf);
      this.close(asError(error));
      req.reject(error);
      return;
    }
    this.attempting = false;
    // Settled during the attempt (aborted from inside onChunk): nothing more to do.
    if (this.pending !== req) return;
    if (result !== WAIT) {
      this.finishRead(req);
      req.resolve(result);
      this.afterConsume();
      return;
    }
    if (this.readDone) {
      this.finishRead(req);
      req.giveBack(this.rbuf);
      req.reject(new StreamClosedError(this.error));
      return;
    }
    if (req.buffers && this.rbuf.length > this.opts.maxBufferSize) {
      const error = new StreamBufferFullError(
        `Read needs more than maxBufferSize (${this.opts.maxBufferSize}) bytes buffered`,
      );
      this.finishRead(req);
      this.close(error);
      req.reject(error);
    }
  }

  private finishRead(req: ReadRequest<unknown>): void {
    this.pending = null;
    req.finished = true;
    if (req.signal && req.onAbort) req.signal.removeEventListener('abort', req.onAbort);
    if (this.lent !== null) this.endLoan();
  }

  private abortRead(req: ReadRequest<unknown>): void {
    if (this.pending !== req) return;
    this.finishRead(req);
    req.giveBack(this.rbuf);
    req.reject(new AbortError(req.signal?.reason));
    this.updateInterest();
  }

  /** Reject a read that cannot be served by closing the stream with `error` first. */
  private failAndClose<T>(error: IOStreamError): Promise<T> {
    this.close(error);
    return Promise.reject(error);
  }

  // ---- inbound flow --------------------------------------------------------

  /** Whether core wants bytes from the transport: a read is pending, or less than a chunk is buffered. */
  private wantsRead(): boolean {
    return !this.readDone && (this.pending !== null || this.rbuf.length < this.opts.readChunkSize);
  }

  /** Pull from the transport while core wants bytes, feeding the pending read. */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        // Bytes pushed since the pending read last looked: trying it once per batch rather than
        // once per chunk keeps a trickle of tiny chunks cheap; a batch is at most a chunk's worth,
        // so the buffer never overshoots maxBufferSize by more than readChunkSize.
        let unchecked = 0;
        while (this.wantsRead()) {
          let chunk: Uint8Array | null | EOF;
          try {
            chunk = this.transport.readFromFd();
          } catch (error) {
            this.close(asError(error));
            return;
          }
          if (chunk === null) break;
          if (chunk === EOF) {
            this.onEof();
            break;
          }
          if (chunk.length === 0) continue;
          if (this.lent === null || !this.takeLent(this.lent, chunk)) this.rbuf.push(asBuffer(chunk));
          unchecked += chunk.length;
          if (this.pending !== null && unchecked >= this.opts.readChunkSize) {
            unchecked = 0;
            this.runPending();
          }
        }
        if (this.pending !== null && unchecked > 0) this.runPending();
      } while (this.pumpAgain && !this.isClosed);
    } finally {
      this.pumping = false;
    }
    if (this.lends) this.lendTarget();
    this.updateInterest();
  }

  /**
   * After `readFromFd()` returned `null`: if a `readInto` waits with nothing buffered,
   * lend the transport the part of its target still to fill, so the next bytes land
   * there with no copy (Tornado's `read_into` hands the socket the caller's buffer).
   */
  private lendTarget(): void {
    const req = this.pending;
    if (!(req instanceof IntoRead) || this.rbuf.length > 0 || this.readDone) return;
    const target = req.toLend();
    if (target === null) return;
    try {
      // Declining also ends an earlier loan: core then copies, as without the method.
      this.lent = this.transport.lendReadTarget?.(target) === true ? req : null;
    } catch (error) {
      this.lent = null;
      this.close(asError(error));
    }
  }

  /**
   * A chunk that came during a loan: counted in place if the transport read it into the
   * target where the next byte goes. Any other view of the target's memory is buffered
   * as a copy, so the buffer never refers to the caller's memory. Whether it was taken.
   */
  private takeLent(lent: IntoRead, chunk: Uint8Array): boolean {
    if (this.rbuf.length === 0 && lent.landed(chunk)) return true;
    if (!lent.inTarget(chunk)) return false;
    this.rbuf.push(Buffer.from(chunk));
    return true;
  }

  /** The read holding a loan settled: the transport must stop reading into its target. */
  private endLoan(): void {
    this.lent = null;
    try {
      this.transport.lendReadTarget?.(null);
    } catch (error) {
      this.close(asError(error));
    }
  }

  /**
   * After bytes were consumed: read again if the buffer fell below a chunk. While the
   * transport is being read (interest on), consuming never needs to restart reading.
   */
  private afterConsume(): void {
    if (!this.readInterest && !this.pumping && this.wantsRead()) this.pump();
  }

  private updateInterest(): void {
    const want = !this.isClosed && this.wantsRead();
    if (want === this.readInterest) return;
    this.readInterest = want;
    try {
      this.transport.setReadInterest(want);
    } catch (error) {
      this.close(asError(error));
    }
  }

  private onEof(): void {
    // getFdError may throw like any transport method; it must not escape into the transport's
    // readable() call and leave the stream open: that error is then why the stream closed.
    let cause: unknown;
    try {
      cause = this.transport.getFdError();
    } catch (error) {
      cause = error;
    }
    // An EOF that came with an error (a reset) is no half-close: the stream closes with it.
    if (cause != null || !this.opts.allowHalfOpen || this.writeDone) {
      this.closeWith(cause, cause == null);
      return;
    }
    this.readDone = true;
    this.runPending();
    this.updateInterest();
  }

  // ---- writes --------------------------------------------------------------

  /**
   * Write bytes, a string (UTF-8), or an array of them (sent in order, no
   * concatenation: one `writevToFd` call, so one `writev(2)`, where the transport has it). Resolves once every byte has been handed to the transport
   * (and, for a transport with `retainsWrites`, once it has released them), in
   * FIFO order with other writes; the data is not copied, so do not modify it
   * before then. Rejects with `StreamClosedError` on a closed or ended stream, and
   * with `StreamBufferFullError` (queuing nothing, stream left open) past
   * `maxWriteBufferSize`.
   *
   * The promise is marked handled: `void stream.write(x)` never becomes an unhandled
   * rejection when the peer goes away (awaiting it still rejects), since the failure
   * also reaches `stream.error`, the pending read and the close callback. The one
   * refusal reported nowhere else is `StreamBufferFullError`: with
   * `maxWriteBufferSize` set, await the write or check `writableLength` first.
   */
  write(data: Bytes | readonly Bytes[]): Promise<void> {
    if (!Array.isArray(data)) return this.writeChunk(toChunk(data));
    // An indexed loop rather than `map` and `for…of`: the arrays `map` returned did not keep
    // one hidden class, which threw the optimized write away (a second 14 ms compile in W9).
    const chunks: Buffer[] = [];
    let size = 0;
    for (let i = 0; i < data.length; i++) {
      const c = toChunk(data[i]);
      // Empty chunks are dropped here: nothing is sent or queued for them.
      if (c.length === 0) continue;
      chunks.push(c);
      size += c.length;
    }
    // One chunk left: a single write.
    if (chunks.length === 1) return this.writeChunk(chunks[0] as Buffer);
    if (this.holding && this.wqueue.length + size > this.holdLimit()) this.releaseHeld();
    const refused = this.refuseWrite(size);
    if (refused !== null) return refused;
    if (this.holds(size)) return this.hold(chunks);
    const idle = this.wqueue.empty;
    if (idle && this.vectored && chunks.length <= MAX_IOV) return this.writevDirect(chunks, size);
    this.wqueue.push(chunks);
    if (idle) {
      // Nothing queued ahead, and no writevDirect: without writevToFd the chunks go over one
      // writeToFd each; more than MAX_IOV go as the queue sends any run (WriteQueue.flush).
      this.sendQueued();
      if (this.isClosed) return rejectedHandled(new StreamClosedError(this.error));
      if (this.coalesces) this.wroteInTurn = markTurn();
    }
    // Everything handed over: done now, unless the transport still holds some of it.
    const done = this.wqueue.completion() ?? RESOLVED;
    this.updateDrain();
    return done;
  }

  /**
   * `write([...])` of two to MAX_IOV chunks on an idle stream over a transport with `writevToFd`:
   * one call straight to the transport (one writev(2), not a system call and a TCP segment
   * per element), as {@link writeChunk} does for one chunk, without queuing the chunks first.
   * Always one call, even for chunks of LARGE_CHUNK or more, which the queue's flush would
   * send one by one. Whatever the transport did not take is queued, in order.
   */
  private writevDirect(chunks: Buffer[], size: number): Promise<void> {
    const n = this.sendv(chunks);
    // A transport that threw closed the stream (sendv returned -1).
    if (this.isClosed) return rejectedHandled(new StreamClosedError(this.error));
    const sent = this.countSentDirect(n, size);
    if (sent === size) return this.wqueue.completion() ?? RESOLVED;
    let skip = sent;
    for (const chunk of chunks) {
      if (skip >= chunk.length) skip -= chunk.length;
      else {
        this.wqueue.pushOne(skip > 0 ? chunk.subarray(skip) : chunk);
        skip = 0;
      }
    }
    const done = this.wqueue.completion() ?? RESOLVED;
    this.updateDrain();
    return done;
  }

  /**
   * After a write went straight to an idle transport, which took `n` of its `size` bytes:
   * count them (never more than offered, nor less than none: a confused transport must not
   * count bytes it was not given) with what the transport released from inside the call (the
   * kernel took them at once), in one call, and mark the turn. Returns the bytes counted.
   */
  private countSentDirect(n: number, size: number): number {
    if (this.coalesces) this.wroteInTurn = markTurn();
    const sent = n > 0 ? Math.min(n, size) : 0;
    const released = this.releasedEarly;
    this.releasedEarly = 0;
    this.wqueue.sentDirect(sent, this.isClosed ? 0 : released);
    return sent;
  }

  /** `write()` of one chunk: the common case, without the array bookkeeping. */
  private writeChunk(chunk: Buffer): Promise<void> {
    if (this.holding && this.wqueue.length + chunk.length > this.holdLimit()) this.releaseHeld();
    const refused = this.refuseWrite(chunk.length);
    if (refused !== null) return refused;
    if (this.holds(chunk.length)) return this.hold(chunk);
    if (this.wqueue.empty) {
      const n = this.send(chunk);
      if (n < 0) return rejectedHandled(new StreamClosedError(this.error));
      const sent = this.countSentDirect(n, chunk.length);
      if (sent === chunk.length) return this.wqueue.completion() ?? RESOLVED;
      if (sent > 0) chunk = chunk.subarray(sent);
    }
    const done = this.wqueue.enqueue(chunk);
    this.updateDrain();
    return done;
  }

  /**
   * Whether a write of `size` bytes is held for the end of the turn: others are held already
   * (the caller released them first if this one would pass the limit), or the queue is empty,
   * the write is small, and a write went straight to the transport earlier in this turn.
   */
  private holds(size: number): boolean {
    if (this.holding) return true;
    return this.coalesces && this.wqueue.empty && this.wroteInTurn === thisTurn() && size <= this.holdLimit();
  }

  /**
   * Most bytes held for the end of a turn: a system call's worth of small writes
   * (LARGE_CHUNK), and never so many that holding them alone would set `needsDrain` or
   * refuse a write that would otherwise have been handed over.
   */
  private holdLimit(): number {
    return Math.min(LARGE_CHUNK, this.opts.writeHighWaterMark, this.opts.maxWriteBufferSize);
  }

  /**
   * Queue a write until the end of the turn, when {@link flushHeld} hands everything held over
   * together. The writes held in one turn share one promise, settled when the last of them is
   * done (they go over in one call): no promise made per write.
   */
  private hold(data: Buffer | Buffer[]): Promise<void> {
    if (Array.isArray(data)) this.wqueue.push(data);
    else this.wqueue.pushOne(data);
    if (this.holding) return this.wqueue.completionWithNewest() ?? RESOLVED;
    this.holding = true;
    void RESOLVED.then(() => this.flushHeld());
    return this.wqueue.completion() ?? RESOLVED;
  }

  /** The turn that held writes ended: hand them over (one `writevToFd` for a run of small ones). */
  private flushHeld(): void {
    if (this.holding) this.releaseHeld();
  }

  /** Hand held writes over now (and stop holding): before a close, a detach, or a write past the limit. */
  private releaseHeld(): void {
    this.holding = false;
    this.flush();
  }

  /**
   * The settled promise a write of `size` bytes returns without queuing anything (closed
   * or ended stream, nothing to write, over `maxWriteBufferSize`); `null` to go ahead.
   */
  private refuseWrite(size: number): Promise<void> | null {
    if (this.isClosed || this.ending !== null) return rejectedHandled(new StreamClosedError(this.error));
    if (size === 0) return RESOLVED;
    if (this.wqueue.length + size > this.opts.maxWriteBufferSize) {
      return rejectedHandled(
        new StreamBufferFullError(
          `Write of ${size} bytes would exceed maxWriteBufferSize (${this.opts.maxWriteBufferSize})`,
        ),
      );
    }
    return null;
  }

  /** Hand one chunk to the transport; -1 if that failed and closed the stream. */
  private send(chunk: Buffer): number {
    this.sending = true;
    try {
      return this.transport.writeToFd(chunk);
    } catch (error) {
      this.close(asError(error));
      return -1;
    } finally {
      this.sending = false;
    }
  }

  /** Hand several chunks to the transport's `writevToFd`; -1 if that failed and closed the stream. */
  private sendv(chunks: Buffer[]): number {
    this.sending = true;
    try {
      return this.transport.writevToFd?.(chunks) ?? 0;
    } catch (error) {
      this.close(asError(error));
      return -1;
    } finally {
      this.sending = false;
    }
  }

  /**
   * Hand queued chunks over until the transport would block: a run of them per `writevToFd`
   * where it has one (see WriteQueue.flush for runs of large chunks).
   */
  private sendQueued(): void {
    // Made on the first flush: a stream whose writes all go straight through never needs them.
    this.sendOne ??= (chunk: Buffer): number => Math.max(0, this.send(chunk));
    if (this.vectored) this.sendMany ??= (chunks: Buffer[]): number => Math.max(0, this.sendv(chunks));
    this.wqueue.flush(this.sendOne, this.sendMany);
    this.applyEarlyRelease();
  }

  private sendOne: ((chunk: Buffer) => number) | undefined;
  private sendMany: ((chunks: Buffer[]) => number) | undefined;

  /** Count what the transport released from inside `writeToFd()`, now that those bytes count as sent. */
  private applyEarlyRelease(): void {
    const n = this.releasedEarly;
    if (n === 0) return;
    this.releasedEarly = 0;
    this.onReleased(n);
  }

  private flush(): void {
    if (this.isClosed) return;
    if (!this.wqueue.empty) {
      this.sendQueued();
      if (this.isClosed) return;
      this.updateDrain();
    }
    if (this.ending !== null && this.wqueue.settled) this.shutdown();
  }

  /** A retaining transport released `n` more bytes: resolve the writes they complete. */
  private onReleased(n: number): void {
    if (this.sending) {
      // The transport knew at once that it holds none of the bytes it is taking (the kernel
      // copied them): WriteQueue counts releases only of sent bytes, so wait until they are.
      this.releasedEarly += n;
      return;
    }
    if (this.isClosed) return;
    this.wqueue.release(n);
    if (this.ending !== null && this.wqueue.settled) this.shutdown();
  }

  private updateDrain(): void {
    const queued = this.wqueue.length;
    if (!this.drainFlag && queued > this.opts.writeHighWaterMark) this.drainFlag = true;
    else if (this.drainFlag && queued <= this.opts.writeLowWaterMark) {
      this.drainFlag = false;
      const waiters = this.drainWaiters;
      this.drainWaiters = NOT_MADE;
      for (const w of waiters) w.resolve();
    }
  }

  /**
   * Resolves when `needsDrain` is false: at once if it already is, else once queued
   * writes fall to `writeLowWaterMark`. Rejects with `StreamClosedError` if the
   * stream closes first, and at once on a stream that takes no more writes (closed,
   * or `end()` called). The promise is marked handled, like `write()`'s.
   */
  drained(): Promise<void> {
    if (this.isClosed || this.ending !== null) return rejectedHandled(new StreamClosedError(this.error));
    if (!this.drainFlag) return RESOLVED;
    this.drainWaiters = ownArray(this.drainWaiters);
    const waiter = new Deferred();
    this.drainWaiters.push(waiter);
    return waiter.promise;
  }

  /**
   * Graceful close of the writing side: flush what was written, then half-close
   * (send EOF where the transport can; otherwise close it) and resolve. Later
   * writes reject. Reading goes on until the peer's EOF. Idempotent. The promise is
   * marked handled, like `write()`'s.
   */
  end(): Promise<void> {
    if (this.ending !== null) return this.ending;
    if (this.isClosed) return rejectedHandled(new StreamClosedError(this.error));
    // Marked handled as it is rejected, like write()'s: `void stream.end()` must not crash when the peer is gone.
    const settle = new Deferred();
    this.endSettle = settle;
    this.ending = settle.promise;
    // Half-close only once every write completed: a retaining transport must not be closed
    // (no shutdownWrite) while it still holds bytes, and the promises resolve before end()'s.
    if (this.wqueue.settled) this.shutdown();
    return this.ending;
  }

  private shutdown(): void {
    const settle = this.endSettle;
    if (settle === null || this.writeDone) return;
    this.writeDone = true;
    const finished = () => {
      this.endSettle = null;
      settle.resolve();
      if (this.readDone) this.close();
    };
    const transport = this.transport;
    if (typeof transport.shutdownWrite !== 'function') {
      this.endSettle = null;
      this.close();
      settle.resolve();
      return;
    }
    let result: void | Promise<void>;
    try {
      // Called as a method, not through a bound copy: one allocation less per end().
      result = transport.shutdownWrite();
    } catch (error) {
      this.close(asError(error));
      return;
    }
    if (result && typeof result.then === 'function') {
      result.then(
        () => {
          if (this.endSettle === settle) finished();
        },
        (error: unknown) => this.close(asError(error)),
      );
    } else finished();
  }

  // ---- close ---------------------------------------------------------------

  /**
   * Close the stream now (abortive; see `end()` for graceful). Idempotent. The
   * pending read settles from the buffer if it can (`readUntilClose` resolves with
   * what is left) and otherwise rejects with `StreamClosedError` whose `realError`
   * is `error`; pending writes reject; the transport is released; the close
   * callback runs once, on a later turn. A value that is not an `Error` is wrapped in
   * one (the value is its `cause`) rather than thrown about: close() always closes.
   */
  close(error?: Error | null): void {
    // Writes held for the end of the turn (coalesceWrites) would have been handed over already
    // without it: a clean close sends them first. A close with an error does not, so that error
    // is the one the stream closes with.
    if (this.holding && (error === undefined || error === null)) this.releaseHeld();
    this.closeWith(error, false);
  }

  /**
   * `close()`. A value that is not an Error (from a transport, a Duplex's `'error'`, a
   * `catch`) is wrapped, kept as `cause`: closing must not throw, least of all from
   * inside an event handler, where it would leave the stream open. `cleanEof`: the peer
   * finished without an error, so a retaining transport's unreleased bytes were handed
   * over all the same (a copying transport's writes resolved then): they resolve.
   */
  private closeWith(reason: unknown, cleanEof: boolean): void {
    if (this.isClosed) return;
    const error = reason === undefined || reason === null ? null : asError(reason);
    this.isClosed = true;
    this.holding = false;
    this.readDone = true;
    // An end() whose flush already finished has handed every byte over: a clean close completes it.
    const flushedForEnd = this.writeDone;
    // So has one still waiting for a retaining transport to release bytes, at a clean EOF.
    const handedOver = cleanEof && this.wqueue.empty;
    this.writeDone = true;
    if (error) this.error = error;
    this.runPending();
    const closedError = () => new StreamClosedError(this.error);
    this.wqueue.fail(closedError, cleanEof);
    this.drainFlag = false;
    const drainWaiters = this.drainWaiters;
    this.drainWaiters = NOT_MADE;
    for (const w of drainWaiters) w.fail(closedError());
    const settle = this.endSettle;
    this.endSettle = null;
    if (settle !== null) {
      if ((flushedForEnd || handedOver) && this.error === null) settle.resolve();
      else settle.fail(closedError());
    }
    this.readInterest = false;
    try {
      this.transport.closeFd();
    } catch {
      // Releasing is best effort: the stream is closed either way.
    }
    this.scheduleCloseCallback();
  }

  /**
   * Run `callback` once when the stream closes, on a later turn than the pending
   * read's settlement. Set after close, it still runs (once). `null` removes it. On a
   * stream that `detach()` handed over (`startTls`), it is ignored and never runs: the
   * connection lives on in the new stream, so set it there.
   */
  setCloseCallback(callback: (() => void) | null): void {
    if (callback !== null && typeof callback !== 'function')
      throw new TypeError(`close callback must be a function or null, got ${describe(callback)}`);
    if (this.closeCallbackState === 'detached') return;
    this.closeCallback = callback;
    if (this.isClosed && this.closeCallbackState === 'ran' && callback !== null) {
      this.closeCallbackState = 'none';
      this.scheduleCloseCallback();
    }
  }

  private scheduleCloseCallback(): void {
    if (this.closeCallbackState !== 'none') return;
    // No callback: nothing to schedule (a server closes many streams without one). One set
    // later is scheduled then, by setCloseCallback, on a later turn all the same.
    if (this.closeCallback === null) {
      this.closeCallbackState = 'ran';
      return;
    }
    this.closeCallbackState = 'scheduled';
    setImmediate(() => {
      this.closeCallbackState = 'ran';
      const cb = this.closeCallback;
      this.closeCallback = null;
      cb?.();
    });
  }

  /** Yields chunks as they arrive until the stream closes; throws `StreamClosedError` if it closed with an error. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      let chunk: Buffer;
      if (this.pending === null && this.rbuf.length > 0) {
        chunk = this.rbuf.takeHead(this.opts.readChunkSize);
        this.afterConsume();
      } else {
        try {
          chunk = await this.readBytes(this.opts.readChunkSize, { partial: true });
        } catch (error) {
          if (error instanceof StreamClosedError && error.realError === null) return;
          throw error;
        }
      }
      yield chunk;
    }
  }

  /**
   * What the transport calls: one small object per stream whose methods live on its
   * prototype, instead of an object of four closures (a server holds many idle streams).
   * Nested, so it may call the stream's private methods.
   */
  private static readonly Events = class StreamEvents implements TransportEvents {
    constructor(private readonly stream: IOStream) {}
    readable(): void {
      this.stream.pump();
    }
    writable(): void {
      this.stream.flush();
    }
    error(e: Error): void {
      this.stream.close(e);
    }
    released(n: number): void {
      this.stream.onReleased(n);
    }
  };

  /** `await using stream = …` closes the stream at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return RESOLVED;
  }
}
