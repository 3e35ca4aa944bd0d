/**
 * @packageDocumentation
 * `@iostream/tcp`: TCP for `@iostream/core`. {@link connect} dials a host and port
 * and resolves with a connected `IOStream`; {@link createConnection} returns the
 * stream before the connection is established, so writes can be queued early
 * (Tornado's write-while-connecting); {@link listen} accepts connections and hands
 * each one to a callback as a ready `IOStream`. {@link SocketTransport} is the
 * `FdTransport` over a `net.Socket` that all of them use, exported for transports
 * built on sockets (such as TLS).
 */
export { type ConnectOptions, connect, createConnection, type PendingConnection } from './connect.js';
export { type ConnectListener, ConnectWatch, type ConnectWatchOptions } from './connect-watch.js';
export { ConnectTimeoutError, SocketClosedError, TcpError, type TcpErrorCode } from './errors.js';
export { type ListenOptions, listen, type StreamHandler, TcpServer } from './listen.js';
/** Argument checks, shared with `@iostream/tls`. */
export { checkPort, checkSignal, checkTimeout } from './options.js';
export {
  CONNECT_OPTION_KEYS,
  LISTEN_OPTION_KEYS,
  pickSocketOptions,
  SOCKET_OPTION_KEYS,
  type SocketOptionKey,
} from './socket-options.js';
export { SocketTransport, type SocketTransportOptions } from './socket-transport.js';
export {
  type BindOptions,
  bindServer,
  type ServerCloseOptions,
  type ServerErrorHandler,
  StreamServer,
} from './stream-server.js';
