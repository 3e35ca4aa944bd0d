/**
 * @packageDocumentation
 * `@iostream/tls`: TLS for `@iostream/core`, Tornado's `SSLIOStream` and `start_tls`
 * on Node's `tls`. {@link connect} dials a host, completes the handshake and resolves
 * with a {@link TlsStream}; {@link createConnection} hands the stream back before the
 * handshake is done; {@link listen} hands each connection to a callback once its
 * handshake succeeded; {@link startTls} upgrades a plain `@iostream/tcp` stream in
 * place (STARTTLS), on either side. Certificates and host names are verified unless
 * `rejectUnauthorized: false` is given explicitly; a handshake takes a timeout and an
 * `AbortSignal`, and one that fails releases its socket.
 */
export { connect, createConnection, type PendingTlsConnection, type TlsConnectOptions } from './connect.js';
export {
  AlreadyWaitingError,
  HandshakeEofError,
  HandshakeTimeoutError,
  TlsError,
  type TlsErrorCode,
} from './errors.js';
export { Handshake, type HandshakeListener, type HandshakeWatch } from './handshake.js';
export { DEFAULT_HANDSHAKE_TIMEOUT } from './handshake-timeout.js';
export { listen, type TlsListenOptions, TlsServer, type TlsStreamHandler } from './listen.js';
export type { HandshakeOptions, TlsClientSettings, TlsServerSettings } from './options.js';
export {
  type StartTlsClientOptions,
  type StartTlsOptions,
  type StartTlsServerOptions,
  startTls,
} from './start-tls.js';
export { TlsStream } from './tls-stream.js';
