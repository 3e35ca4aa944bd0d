/**
 * Errors this package creates itself. They appear as the `realError` (and `cause`)
 * of core's `StreamClosedError`, except {@link AlreadyWaitingError}, which a second
 * `waitForHandshake()` rejects with directly. TLS and system errors from Node
 * (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`, `ECONNRESET`, …)
 * are passed through unchanged. Match on `code`.
 */

import { brandedError } from '@iostream/core';

/** Codes of the errors below. */
export type TlsErrorCode = 'ERR_TLS_HANDSHAKE_TIMEOUT' | 'ERR_TLS_ALREADY_WAITING';

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

/** `waitForHandshake()` was called while an earlier call was still waiting. Code `ERR_TLS_ALREADY_WAITING`. */
export class AlreadyWaitingError extends TlsError {
  static readonly expectedCode = 'ERR_TLS_ALREADY_WAITING';
  constructor() {
    super('ERR_TLS_ALREADY_WAITING', 'Already waiting for the handshake: call waitForHandshake() once');
  }
}
