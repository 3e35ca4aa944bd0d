/**
 * An {@link FdTransport} over any Node `Duplex` (a `net.Socket`, a `PassThrough`, one
 * end of a `stream.duplexPair()`, an SSH channel, a WebSocket stream, …). It is the
 * worked example of docs/writing-a-transport.md: it moves bytes and reports
 * readiness, and every buffer and state machine stays in `IOStream`.
 *
 * Only the `Duplex` type is imported: core still loads no `net`, `tls` or
 * `child_process`, nor even `node:stream`, at run time.
 */
import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import { asError } from './as-error.js';
import { IOStream } from './iostream.js';
import type { IOStreamOptions } from './options.js';
import { EOF, type FdTransport, type TransportEvents } from './transport.js';

/** A listener as `duplex.on` takes it. */
// biome-ignore lint/suspicious/noExplicitAny: one list holds listeners of several events, as EventEmitter types them.
type Listener = (...args: any[]) => void;

/** The error a {@link DuplexTransport} reports when its duplex is destroyed before it ended, without an error. */
function prematureClose(): Error {
  return Object.assign(new Error('The duplex was destroyed before it ended'), {
    name: 'Error',
    code: 'ERR_STREAM_PREMATURE_CLOSE',
  });
}

/** Why a destroyed or ended duplex cannot be used: its own error (as an `Error`), else a premature close. */
function destroyedError(duplex: Duplex): Error {
  return duplex.errored ? asError(duplex.errored) : prematureClose();
}

/**
 * The transport behind {@link fromDuplex}, exported for composition (pass it to
 * `new IOStream(transport, options)` yourself, or subclass it).
 *
 * - Reads: paused mode, `'readable'` events and `duplex.read()`. Core pulls only
 *   while it wants bytes, and the duplex reads ahead only up to its own
 *   `highWaterMark`, so a peer that sends more than the stream wants is held back
 *   by the duplex's backpressure (there is no stash here that could grow). String
 *   chunks (after `setEncoding`) are turned back into bytes with that encoding.
 *   `'end'` is EOF.
 * - Writes: `writeToFd` hands a copy of the bytes to `duplex.write()` (a stream may
 *   keep a reference to what it is given, and core lets the caller reuse its memory
 *   once the write resolves), and accepts nothing after `write()` returned false
 *   until `'drain'`.
 * - `shutdownWrite()` is `duplex.end()`, resolving on `'finish'`; `closeFd()` is
 *   `duplex.destroy()`.
 * - Errors: an `'error'` event closes the stream with that error (a value that is not
 *   an `Error`, as `destroy('x')` emits, is wrapped in one, the value as its `cause`); a
 *   duplex destroyed underneath the stream without an error, before its readable side
 *   ended or (half-open) before the stream's `end()` finished, closes it with an error
 *   whose `code` is `ERR_STREAM_PREMATURE_CLOSE`.
 * - Events the duplex emits synchronously while core is calling into this
 *   transport (a hand-written duplex may emit from inside `write()` or `read()`)
 *   are passed on from a microtask, so core is never re-entered.
 *
 * Create the duplex with `allowHalfOpen: true` when `end()` should half-close: a
 * duplex without it ends its writable side by itself when its readable side ends.
 * Object-mode duplexes are refused with a `TypeError`.
 */
export class DuplexTransport implements FdTransport {
  /** The duplex under this transport. */
  readonly duplex: Duplex;
  private events: TransportEvents | null = null;
  private eof = false;
  private fdError: Error | null = null;
  private blocked = false;
  private closed = false;
  /** Core called `shutdownWrite()`: once it finishes, core closes the stream itself. */
  private ending = false;
  /** Depth of calls core is making into this transport; events inside them are deferred. */
  private busy = 0;
  private readonly listeners: [event: string, listener: Listener][];

  constructor(duplex: Duplex) {
    if (typeof duplex !== 'object' || duplex === null || typeof duplex.write !== 'function' || !('readable' in duplex))
      throw new TypeError('fromDuplex needs a Node Duplex stream');
    if (duplex.readableObjectMode || duplex.writableObjectMode)
      throw new TypeError('fromDuplex needs a byte stream, not an object-mode Duplex');
    this.duplex = duplex;
    if (duplex.readableEnded) this.eof = true;
    this.listeners = [
      ['readable', () => this.notify('readable')],
      [
        'end',
        () => {
          this.eof = true;
          this.notify('readable');
        },
      ],
      [
        'drain',
        () => {
          this.blocked = false;
          this.notify('writable');
        },
      ],
      [
        'error',
        (error: unknown) => {
          // Anything may be emitted ('x' from destroy('x'), a plain object): core gets an Error.
          this.fdError ??= asError(error);
          this.notify('error');
        },
      ],
      [
        'close',
        () => {
          if (this.closed) return;
          // Destroyed without an error while the stream still uses it: before its readable
          // side ended, or after (a half-open stream whose writing was still open). Either way
          // the stream must close. Only a duplex that finished both ways through core's own
          // end() is left to core, which closes the stream when that end() resolves.
          if (this.fdError === null) {
            if (this.eof && this.ending && duplex.writableFinished) return;
            this.fdError = prematureClose();
          }
          this.notify('error');
        },
      ],
    ];
    // A 'readable' listener puts the duplex in paused mode: it reads ahead of us only up
    // to its own highWaterMark, which is what holds a fast peer back.
    for (const [event, listener] of this.listeners) duplex.on(event, listener);
    if (duplex.destroyed && !this.eof) this.fdError ??= destroyedError(duplex);
  }

  /** Pass an event on to core, from a microtask when core is calling into this transport right now. */
  private notify(kind: 'readable' | 'writable' | 'error'): void {
    if (this.busy > 0) {
      queueMicrotask(() => this.notify(kind));
      return;
    }
    const events = this.events;
    if (events === null) return;
    if (kind === 'error') events.error(this.fdError ?? prematureClose());
    else events[kind]();
  }

  /** A duplex has no descriptor of its own: -1. */
  fileno(): number {
    return -1;
  }

  watch(events: TransportEvents): void {
    this.events = events;
    // A duplex that was already destroyed emits nothing more: report it (later, as core is
    // calling in right now).
    if (this.fdError !== null) queueMicrotask(() => this.notify('error'));
  }

  readFromFd(): Uint8Array | null | EOF {
    if (this.closed) return this.eof ? EOF : null;
    const duplex = this.duplex;
    this.busy++;
    try {
      for (;;) {
        const chunk: Buffer | string | null = duplex.read();
        if (chunk === null) return this.eof || duplex.readableEnded ? EOF : null;
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, duplex.readableEncoding ?? 'utf8') : chunk;
        if (bytes.length > 0) return bytes;
      }
    } finally {
      this.busy--;
    }
  }

  /**
   * Nothing to switch: in paused mode the duplex reads ahead only up to its
   * highWaterMark. When core wants bytes again and some are already waiting, say so.
   */
  setReadInterest(on: boolean): void {
    if (on && !this.closed && (this.duplex.readableLength > 0 || this.eof))
      queueMicrotask(() => this.notify('readable'));
  }

  writeToFd(data: Uint8Array): number {
    if (this.fdError !== null) throw this.fdError;
    if (this.blocked) return 0;
    const duplex = this.duplex;
    if (duplex.destroyed || duplex.writableEnded) throw destroyedError(duplex);
    this.busy++;
    try {
      this.blocked = !duplex.write(Buffer.from(data));
    } finally {
      this.busy--;
    }
    return data.length;
  }

  getFdError(): Error | null {
    return this.fdError;
  }

  /** `duplex.end()`: resolves on `'finish'`, rejects if the duplex closes or fails first. */
  shutdownWrite(): Promise<void> {
    const duplex = this.duplex;
    this.ending = true;
    if (duplex.writableFinished) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (error: Error | null) => {
        duplex.off('finish', onFinish);
        duplex.off('close', onClose);
        duplex.off('error', onError);
        if (error === null) resolve();
        else reject(error);
      };
      const onFinish = () => done(null);
      const onClose = () => done(this.fdError ?? prematureClose());
      const onError = (error: unknown) => done(asError(error));
      duplex.once('finish', onFinish);
      duplex.once('close', onClose);
      duplex.once('error', onError);
      this.busy++;
      try {
        duplex.end();
      } finally {
        this.busy--;
      }
    });
  }

  /** `duplex.destroy()`. Idempotent; no events are delivered afterwards. */
  closeFd(): void {
    if (this.closed) return;
    this.closed = true;
    this.events = null;
    for (const [event, listener] of this.listeners) if (event !== 'error') this.duplex.off(event, listener);
    // The 'error' listener stays: a duplex may still emit an error while it is torn down.
    this.duplex.destroy();
  }

  /**
   * Give the duplex up without destroying it (for a protocol upgrade, or when the
   * `IOStream` could not be made): remove this transport's listeners and leave the
   * duplex paused. Bytes core has not pulled yet stay in the duplex's own buffer.
   * Afterwards the transport is inert. Idempotent.
   */
  release(): void {
    if (this.closed) return;
    this.closed = true;
    this.events = null;
    for (const [event, listener] of this.listeners) this.duplex.off(event, listener);
    this.duplex.pause();
  }
}

/**
 * Wrap any Node `Duplex` byte stream in an {@link IOStream}: every read mode, write
 * backpressure and close rule of core, over a `PassThrough`, one end of a duplex
 * pair, a `net.Socket` you already hold, or a third-party stream.
 *
 * The stream owns the duplex from then on: `close()` destroys it, `end()` calls
 * `duplex.end()`, and its `'error'` events become `stream.error`. `fileno()` is -1.
 * For half-close (`end()` with reading going on), create the duplex with
 * `allowHalfOpen: true`. See {@link DuplexTransport} for the details.
 *
 * @param duplex a byte-mode `Duplex` (not object mode); data it already buffered is read first.
 * @param options `IOStream` options.
 * @throws `TypeError` if `duplex` is not a byte-mode Duplex; `TypeError`/`RangeError` for bad options.
 *
 * @example
 * ```ts
 * import { PassThrough } from 'node:stream';
 * import { fromDuplex } from '@iostream/core';
 *
 * const loop = fromDuplex(new PassThrough()); // what you write comes back
 * await loop.write('PING\r\n');
 * console.log((await loop.readUntil('\r\n', { maxBytes: 64 })).toString()); // 'PING\r\n'
 * ```
 */
export function fromDuplex(duplex: Duplex, options?: IOStreamOptions): IOStream {
  const transport = new DuplexTransport(duplex);
  try {
    return new IOStream(transport, options);
  } catch (error) {
    transport.release(); // bad options: leave the duplex as it was given
    throw error;
  }
}
