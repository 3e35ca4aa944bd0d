import { checkTimeout } from '@iostream/tcp';

/**
 * How long a client-side handshake (`connect`, `createConnection`, client-side `startTls`)
 * may take when no `handshakeTimeout` is given: 30 s, counted from the TCP connection.
 * A server that accepts and never answers then fails the handshake with
 * `HandshakeTimeoutError` instead of holding the caller forever. Servers (`listen`,
 * server-side `startTls`) use Node's 120 s.
 */
export const DEFAULT_HANDSHAKE_TIMEOUT = 30_000;

/**
 * A client's `handshakeTimeout`: {@link DEFAULT_HANDSHAKE_TIMEOUT} when not given,
 * `undefined` (no limit) for `Infinity`, else a positive number of milliseconds up to
 * 2^31 - 1. Throws `TypeError`/`RangeError` otherwise.
 */
export function clientHandshakeTimeout(value: unknown): number | undefined {
  if (value === undefined) return DEFAULT_HANDSHAKE_TIMEOUT;
  if (value === Number.POSITIVE_INFINITY) return undefined;
  return checkTimeout('handshakeTimeout', value) as number;
}
