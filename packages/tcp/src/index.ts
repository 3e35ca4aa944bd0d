/**
 * @packageDocumentation
 * `@iostream/tcp`: TCP and Unix domain sockets for `@iostream/core`. {@link connect}
 * dials a host and port (or a socket `path`) and resolves with a connected
 * `IOStream`; {@link createConnection} returns the stream before the connection is
 * established, so writes can be queued early (Tornado's write-while-connecting);
 * {@link listen} accepts connections and hands each one to a callback as a ready
 * `IOStream`; {@link fromSocket} wraps a socket someone else made (`node:http`'s
 * `'upgrade'`, with its `head` bytes). {@link SocketTransport} is the
 * `FdTransport` over a `net.Socket` that all of them use, exported for transports
 * built on sockets (such as TLS).
 */

/**
 * For transport packages (`@iostream/tls`, `@iostream/pipe`): Node reads a socket made with
 * `onread: reader.onread()` (or switched with `readAcceptedIntoSlabs`) into a reader's slabs,
 * and a `ReadLender` points it at a `readInto` target.
 */
export { readAcceptedIntoSlabs } from './accepted-slab-reads.js';
export { type ConnectOptions, connect, createConnection, type PendingConnection } from './connect.js';
export { type ConnectListener, ConnectWatch, type ConnectWatchOptions } from './connect-watch.js';
export {
  ConnectTimeoutError,
  describeValue,
  IdleTimeoutError,
  SocketClosedError,
  SocketFailedError,
  socketError,
  TcpError,
  type TcpErrorCode,
} from './errors.js';
export { type FromSocketOptions, fromSocket } from './from-socket.js';
export { type LentChunkSink, ReadLender } from './lent-reads.js';
export { type ListenOptions, listen, type StreamHandler, TcpServer } from './listen.js';
/** Argument checks, shared with `@iostream/tls`. */
export {
  type ConnectTarget,
  checkConnectTarget,
  checkListenTarget,
  checkPath,
  checkPort,
  checkSignal,
  checkTimeout,
  type ListenTarget,
  MAX_TIMER_MS,
} from './options.js';
export { type ChunkSink, SlabReader } from './slab-reader.js';
export {
  CONNECT_OPTION_KEYS,
  LISTEN_OPTION_KEYS,
  pickSocketOptions,
  SOCKET_OPTION_KEYS,
  type SocketOptionKey,
} from './socket-options.js';
export { SocketTransport, type SocketTransportOptions } from './socket-transport.js';
export { readStartedSocketIntoSlabs } from './started-slab-reads.js';
export {
  type BindOptions,
  bindServer,
  type ServerCloseOptions,
  type ServerErrorHandler,
  StreamServer,
  type StreamServerSettings,
} from './stream-server.js';
