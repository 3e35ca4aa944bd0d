/**
 * Errors this package creates itself. They appear as the `realError` (and `cause`)
 * of core's `StreamClosedError`; system errors from Node (`ECONNREFUSED`,
 * `ENOTFOUND`, …) are passed through unchanged. Match on `code`.
 */

import { brandedError } from '@iostream/core';

/** Codes of the errors below. */
export type TcpErrorCode = 'ETIMEDOUT' | 'ERR_SOCKET_CLOSED';

/** Base class; `instanceof` works across duplicate installs through a `Symbol.for` brand. */
export class TcpError extends brandedError<TcpErrorCode>('@iostream/tcp.TcpError') {}

/** The connection was not established within the `timeout` given to `connect`. Code `ETIMEDOUT`. */
export class ConnectTimeoutError extends TcpError {
  static readonly expectedCode = 'ETIMEDOUT';
  constructor(timeout: number) {
    super('ETIMEDOUT', `Connection not established within ${timeout} ms`);
  }
}

/** The socket was destroyed by someone other than the stream, without an error or EOF. Code `ERR_SOCKET_CLOSED`. */
export class SocketClosedError extends TcpError {
  static readonly expectedCode = 'ERR_SOCKET_CLOSED';
  constructor() {
    super('ERR_SOCKET_CLOSED', 'The socket was closed underneath the stream');
  }
}
