import type { OnReadOpts } from 'node:net';
import tls from 'node:tls';
import { pickStreamOptions, StreamClosedError, validateStreamOptions } from '@iostream/core';
import {
  type ConnectOptions,
  checkConnectTarget,
  checkSignal,
  checkTimeout,
  pickSocketOptions,
  SlabReader,
  SocketTransport,
} from '@iostream/tcp';
import { checkClientSettings } from './check-client-settings.js';
import { Handshake } from './handshake.js';
import { clientHandshakeTimeout } from './handshake-timeout.js';
import {
  clientVerification,
  type HandshakeOptions,
  type TlsClientSettings,
  tlsSettings,
  verificationName,
} from './options.js';
import { TlsStream } from './tls-stream.js';

/**
 * Options for {@link connect} and {@link createConnection}: everything `@iostream/tcp`'s
 * `connect` takes, Node's TLS client settings, and `handshakeTimeout`.
 *
 * `timeout` bounds the TCP connection (as in `@iostream/tcp`); `handshakeTimeout`
 * bounds the handshake, counted from the moment the TCP connection is up. `signal`
 * aborts either. The server's certificate is verified against `servername` (default:
 * `host`) unless `rejectUnauthorized` is exactly `false`.
 */
export interface TlsConnectOptions extends ConnectOptions, TlsClientSettings, HandshakeOptions {
  /**
   * The name the server's certificate must match, and (unless it is an IP address)
   * the SNI name sent. Default: `host`. Required with `path` (a Unix domain socket has
   * no host name) unless `rejectUnauthorized: false`: `TypeError` without it.
   */
  servername?: string;
}

/** A TLS stream whose connection and handshake are still under way; see {@link createConnection}. */
export interface PendingTlsConnection {
  /** The stream, usable at once: writes queue until the handshake is done. */
  stream: TlsStream;
  /**
   * Resolves with `stream` once connected and the handshake is done, before any queued
   * write resolves. Rejects with `StreamClosedError` (`realError`: the TLS or system
   * error, `HandshakeEofError`, `ConnectTimeoutError`, `HandshakeTimeoutError`, or
   * `AbortError`), and the
   * stream is closed. Its rejection is marked handled.
   */
  connected: Promise<TlsStream>;
}

/**
 * Start a TLS connection and return the stream at once (write-while-connecting, as in
 * `@iostream/tcp`). Writes queue until the handshake is done; `stream.waitForHandshake()`
 * and `connected` say when. Throws `TypeError`/`RangeError` at once for invalid options
 * (including unreadable keys or certificates).
 *
 * @example
 * ```ts
 * const { stream, connected } = createConnection({ host: 'example.com', port: 443 });
 * const sent = stream.write('GET / HTTP/1.0\r\nHost: example.com\r\n\r\n');
 * await stream.waitForHandshake();
 * console.log(stream.getProtocol(), stream.getCipher()?.name);
 * ```
 */
export function createConnection(options: TlsConnectOptions): PendingTlsConnection {
  const target = checkConnectTarget(options);
  const timeout = checkTimeout('timeout', options.timeout);
  const handshakeTimeout = clientHandshakeTimeout(options.handshakeTimeout);
  const signal = checkSignal(options.signal);
  const ioOptions = pickStreamOptions(options);
  validateStreamOptions(ioOptions);
  checkClientSettings(options);
  const name = verificationName(options, target);

  // Node decrypts into the reader's slabs (tls.connect's onread): no Buffer and no trip through the
  // stream machinery per 16 KiB record, records adjacent in memory (a 64 KiB readBytes is one view,
  // not a join of four), and readInto can lend the caller's buffer. See SlabReader.
  const reader = new SlabReader();
  // Node 20 takes onread here (it passes it on to net.Socket) though its typings list it for net only.
  const connectOptions: tls.ConnectionOptions & { onread: OnReadOpts } = {
    ...tlsSettings(options),
    ...pickSocketOptions(options),
    ...target,
    ...clientVerification(options, name),
    onread: reader.onread(),
  };
  const socket = tls.connect(connectOptions);
  const handshake = new Handshake(socket, { connectTimeout: timeout, handshakeTimeout, signal });
  // Subscribed before the stream is made, so `connected` settles before the stream's reads and writes.
  const connected = new Promise<TlsStream>((resolve, reject) =>
    handshake.subscribe((ok, error) => {
      if (ok) resolve(stream);
      else reject(new StreamClosedError(error));
    }),
  );
  connected.catch(() => {});
  const stream = new TlsStream(
    new SocketTransport(socket, { readyEvent: 'secureConnect', reader }),
    ioOptions,
    handshake,
  );
  return { stream, connected };
}

/**
 * Connect to `host:port`, complete the TLS handshake, and resolve with the stream.
 * The server's certificate chain and host name are verified (against `ca`, or Node's
 * bundled roots) unless `rejectUnauthorized: false` is given explicitly.
 *
 * Rejects with core's `StreamClosedError` whose `realError` says why: a
 * verification error (`code` `DEPTH_ZERO_SELF_SIGNED_CERT`,
 * `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `ERR_TLS_CERT_ALTNAME_INVALID`, …), a TLS alert
 * or system error (`ECONNREFUSED`, `ECONNRESET`, …), `HandshakeEofError` (the server
 * closed the connection mid-handshake), `ConnectTimeoutError`, `HandshakeTimeoutError`
 * (default limit: `DEFAULT_HANDSHAKE_TIMEOUT`, 30 s), or `AbortError`. No socket is
 * left behind.
 *
 * @example
 * ```ts
 * const stream = await connect({ host: 'localhost', port: 8443, ca: readFileSync('ca.pem'), handshakeTimeout: 5000 });
 * await stream.write('ping\n');
 * ```
 */
export function connect(options: TlsConnectOptions): Promise<TlsStream> {
  return createConnection(options).connected.then((stream) => stream);
}
