/**
 * Errors this package creates itself. They appear as the `realError` (and `cause`)
 * of core's `StreamClosedError`, except {@link AlreadyWaitingError}, which a second
 * `waitForHandshake()` rejects with directly. TLS and system errors from Node
 * (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`, `ECONNRESET`, …)
 * are passed through unchanged. Match on `code`.
 */

const kTlsError = Symbol.for('@iostream/tls.TlsError');

/** Codes of the errors below. */
export type TlsErrorCode = 'ERR_TLS_HANDSHAKE_TIMEOUT' | 'ERR_TLS_ALREADY_WAITING';

/** Base class; `instanceof` works across duplicate installs through a `Symbol.for` brand. */
export class TlsError extends Error {
  readonly code: TlsErrorCode;

  constructor(code: TlsErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, kTlsError, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || !(kTlsError in value)) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being tested against.
    const own = (this as { readonly expectedCode?: TlsErrorCode }).expectedCode;
    return own === undefined || (value as { code?: unknown }).code === own;
  }
}

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
