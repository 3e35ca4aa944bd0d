/**
 * Errors this package creates itself. They appear as the `realError` (and `cause`)
 * of core's `StreamClosedError`; system errors from Node (`ECONNREFUSED`,
 * `ENOTFOUND`, …) are passed through unchanged. Match on `code`.
 */

import { brandedError } from '@iostream/core';

/** Codes of the errors below. */
export type TcpErrorCode = 'ETIMEDOUT' | 'ERR_SOCKET_CLOSED' | 'ERR_SOCKET_FAILED' | 'ERR_IDLE_TIMEOUT';

/** Base class; `instanceof` works across duplicate installs through a `Symbol.for` brand. */
export class TcpError extends brandedError<TcpErrorCode>('@iostream/tcp.TcpError') {}

/** The connection was not established within the `timeout` given to `connect`. Code `ETIMEDOUT`. */
export class ConnectTimeoutError extends TcpError {
  static readonly expectedCode = 'ETIMEDOUT';
  constructor(timeout: number) {
    super('ETIMEDOUT', `Connection not established within ${timeout} ms`);
  }
}

/**
 * The socket was destroyed by someone other than the stream, without an error or EOF.
 * Code `ERR_SOCKET_CLOSED`. Where Node reports that destroy as the `ECANCELED` of a write
 * it cancelled (Node 22 and later; Node 20 reports nothing), that error is the `cause`.
 */
export class SocketClosedError extends TcpError {
  static readonly expectedCode = 'ERR_SOCKET_CLOSED';
  constructor(cause?: Error) {
    super('ERR_SOCKET_CLOSED', 'The socket was closed underneath the stream', cause ? { cause } : undefined);
  }
}

/**
 * The socket failed with a value that is not an `Error` (`socket.destroy('x')`, a
 * subclass emitting a string): the value is this error's `cause`. Code `ERR_SOCKET_FAILED`.
 */
export class SocketFailedError extends TcpError {
  static readonly expectedCode = 'ERR_SOCKET_FAILED';
  constructor(value: unknown) {
    super('ERR_SOCKET_FAILED', `The socket failed with a value that is not an Error: ${describeValue(value)}`, {
      cause: value,
    });
  }
}

/**
 * No byte moved either way on an accepted stream for the `idleTimeout` given to
 * `listen`, so the server closed it. Code `ERR_IDLE_TIMEOUT`.
 */
export class IdleTimeoutError extends TcpError {
  static readonly expectedCode = 'ERR_IDLE_TIMEOUT';
  constructor(timeout: number) {
    super('ERR_IDLE_TIMEOUT', `No bytes moved on the connection for ${timeout} ms`);
  }
}

/**
 * What a socket reported as its error, as an `Error`: the value itself, or a
 * {@link SocketFailedError} wrapping it. A write's `ECANCELED` means only that the socket
 * was destroyed under it (Node 22 and later report a local `destroy()` so), which is a
 * {@link SocketClosedError} on every Node, with the `ECANCELED` as its cause.
 */
export function socketError(value: unknown): Error {
  if (!(value instanceof Error)) return new SocketFailedError(value);
  return (value as NodeJS.ErrnoException).code === 'ECANCELED' ? new SocketClosedError(value) : value;
}

/** A short text for a failure value that is not an `Error`, for an error message (also `@iostream/pipe`'s). */
export function describeValue(value: unknown): string {
  try {
    // JSON quotes a string and shows a plain object's fields; undefined, a symbol or a function give undefined.
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
