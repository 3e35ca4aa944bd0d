/**
 * Errors this package creates itself. They appear as the `realError` (and `cause`)
 * of core's `StreamClosedError`, except {@link AlreadyWaitingError}, which a second
 * `waitForHandshake()` rejects with directly. TLS and system errors from Node
 * (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`, `ECONNRESET`, …)
 * are passed through unchanged. Match on `code`.
 */

import { brandedError } from '@iostream/core';

/** Codes of the errors below. */
export type TlsErrorCode = 'ERR_TLS_HANDSHAKE_TIMEOUT' | 'ERR_TLS_HANDSHAKE_EOF' | 'ERR_TLS_ALREADY_WAITING';

/** Base class; `instanceof` works across duplicate installs through a `Symbol.for` brand. */
export class TlsError extends brandedError<TlsErrorCode>('@iostream/tls.TlsError') {}

/**
 * The TLS handshake did not finish within `handshakeTimeout` milliseconds. Code
 * `ERR_TLS_HANDSHAKE_TIMEOUT`, the code Node's own `tls.Server` uses for the same thing.
 */
export class HandshakeTimeoutError extends TlsError {
  static readonly expectedCode = 'ERR_TLS_HANDSHAKE_TIMEOUT';
  constructor(timeout: number) {
    super('ERR_TLS_HANDSHAKE_TIMEOUT', `TLS handshake not finished within ${timeout} ms`);
  }
}

/**
 * The peer closed the connection (a clean FIN, no TLS alert) before the handshake was
 * done: a server that does not speak TLS, or that dropped the client (unknown SNI name,
 * too many connections, shutting down). Code `ERR_TLS_HANDSHAKE_EOF`; `cause` is the
 * error Node's own client reports for it (`ECONNRESET`, "Client network socket
 * disconnected before secure TLS connection was established"), when Node gave one. A
 * reset (RST) mid-handshake is reported as Node's `ECONNRESET` itself.
 */
export class HandshakeEofError extends TlsError {
  static readonly expectedCode = 'ERR_TLS_HANDSHAKE_EOF';
  constructor(cause?: unknown) {
    super(
      'ERR_TLS_HANDSHAKE_EOF',
      'The peer closed the connection before the TLS handshake was done',
      cause === undefined || cause === null ? undefined : { cause },
    );
  }
}

/** `waitForHandshake()` was called while an earlier call was still waiting. Code `ERR_TLS_ALREADY_WAITING`. */
export class AlreadyWaitingError extends TlsError {
  static readonly expectedCode = 'ERR_TLS_ALREADY_WAITING';
  constructor() {
    super('ERR_TLS_ALREADY_WAITING', 'Already waiting for the handshake: call waitForHandshake() once');
  }
}
