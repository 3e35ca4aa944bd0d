/**
 * Every error an {@link IOStream} produces. Match on `code` (stable across
 * versions); `instanceof` also works across duplicate installs of this package
 * because each class checks a `Symbol.for` brand rather than its prototype chain.
 */

import { brandedError } from './branded-error.js';

/** Stable error codes, one per failure kind. */
export type IOStreamErrorCode =
  | 'ERR_STREAM_CLOSED'
  | 'ERR_UNSATISFIABLE_READ'
  | 'ERR_STREAM_BUFFER_FULL'
  | 'ERR_ALREADY_READING'
  | 'ERR_STREAM_NOT_IDLE'
  | 'ABORT_ERR';

/** Base class of every error raised by a stream. */
export class IOStreamError extends brandedError<IOStreamErrorCode>('@iostream/core.IOStreamError') {}

/**
 * A read or write was attempted on a closed stream, or the stream closed while
 * it was pending. `realError` is why the stream closed (`null` for a clean EOF
 * or a plain `close()`); it is also the standard `cause`.
 */
export class StreamClosedError extends IOStreamError {
  static readonly expectedCode = 'ERR_STREAM_CLOSED';
  readonly realError: Error | null;

  constructor(realError: Error | null = null, message = 'Stream is closed') {
    super(
      'ERR_STREAM_CLOSED',
      realError ? `${message}: ${realError.message}` : message,
      realError ? { cause: realError } : undefined,
    );
    this.realError = realError;
  }
}

/** A read cannot be satisfied within its `maxBytes`; the stream is closed. */
export class UnsatisfiableReadError extends IOStreamError {
  static readonly expectedCode = 'ERR_UNSATISFIABLE_READ';
  constructor(message: string) {
    super('ERR_UNSATISFIABLE_READ', message);
  }
}

/** A read would need more than `maxBufferSize` bytes, or a write would exceed `maxWriteBufferSize`. */
export class StreamBufferFullError extends IOStreamError {
  static readonly expectedCode = 'ERR_STREAM_BUFFER_FULL';
  constructor(message: string) {
    super('ERR_STREAM_BUFFER_FULL', message);
  }
}

/** A read was started while another read is pending. The pending read is untouched. */
export class AlreadyReadingError extends IOStreamError {
  static readonly expectedCode = 'ERR_ALREADY_READING';
  constructor(message = 'Already reading: only one read may be pending at a time') {
    super('ERR_ALREADY_READING', message);
  }
}

/** An operation that needs an idle stream (such as `startTls`) found reads, writes or buffered data. */
export class StreamNotIdleError extends IOStreamError {
  static readonly expectedCode = 'ERR_STREAM_NOT_IDLE';
  constructor(message = 'Stream is not idle') {
    super('ERR_STREAM_NOT_IDLE', message);
  }
}

/**
 * A read was cancelled through its `AbortSignal`. Buffered bytes are kept and the
 * stream stays open. `cause` is the signal's `reason`.
 */
export class AbortError extends IOStreamError {
  static readonly expectedCode = 'ABORT_ERR';
  constructor(reason?: unknown) {
    super('ABORT_ERR', 'The operation was aborted', reason === undefined ? undefined : { cause: reason });
  }
}
