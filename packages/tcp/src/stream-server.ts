import type net from 'node:net';
import { asError, type IOStream, StreamClosedError } from '@iostream/core';
import { ConnectionList } from './connection-list.js';
import { IdleTimeoutError } from './errors.js';
import { checkTimeout } from './options.js';
import { socketClosed } from './socket-transport.js';

/**
 * Receives what a server cannot hand to anyone else: an exception or rejection
 * from the `onStream` handler (with its stream, already closed), or an error of the
 * listening socket or of a connection that never became a stream (`stream` null).
 */
export type ServerErrorHandler = (error: Error, stream: IOStream | null) => void;

/** Settings of a {@link StreamServer} beyond its error handler. */
export interface StreamServerSettings {
  /**
   * Close an accepted stream with `IdleTimeoutError` once no byte has moved either way
   * on its socket for this many milliseconds. Default: never.
   */
  idleTimeout?: number | undefined;
}

/** Options for {@link StreamServer.close}. */
export interface ServerCloseOptions {
  /** Also close every connection this server accepted that is still open, and wait until their sockets are released. Default `false`. */
  closeStreams?: boolean;
}

/** Where a server listens (the part of `ListenOptions` Node's `server.listen` takes). */
export interface BindOptions {
  host?: string;
  port?: number;
  /** A Unix domain socket path, instead of `host` and `port`. */
  path?: string;
  backlog?: number;
  ipv6Only?: boolean;
}

/**
 * What `TcpServer` and `@iostream/tls`'s `TlsServer` share: connection tracking,
 * running `onStream` so that a failure closes that stream and is reported (never
 * crashes the process), `address()`, `connections` and `close()`.
 *
 * A connection is tracked by its accepted socket until that socket closes, whether
 * or not it became a stream yet (a TLS handshake) and whether or not its stream
 * still owns it (`startTls` took it over).
 */
export abstract class StreamServer<S extends IOStream> {
  /**
   * Every socket being tracked, until it closes: accepted ones, and a TLS stream's own
   * socket, each with the stream handed to `onStream` over it (`undefined` until then, and
   * for a TLS stream's accepted socket). One list rather than a set of sockets and a map of
   * streams: one entry to add and delete per connection; not a `Map` (see {@link ConnectionList}).
   */
  private readonly sockets = new ConnectionList<S>();
  private readonly idleWaiters: (() => void)[] = [];
  private closing: Promise<void> | null = null;
  /**
   * A closed socket's `'close'` listener: forgets it, then tells the socket's transport (an
   * accepted socket's transport hears `'close'` only through this, see
   * `SocketTransportOptions.closeFromServer`). One function for every socket (Node calls it
   * with the socket as `this`), so tracking costs no closure per connection, and one
   * listener rather than two saves Node an array per socket and a copy of it per `'close'`.
   */
  private readonly forget: (this: net.Socket) => void;
  private readonly idleTimeout: number | undefined;
  /** Report an error to `onError` (default `process.emitWarning`); an `onError` that throws is warned about. */
  protected readonly report: (error: Error, stream: IOStream | null) => void;

  /** @throws `TypeError`/`RangeError` for an `idleTimeout` that is not a positive, finite number. */
  protected constructor(
    protected readonly server: net.Server,
    onError: ServerErrorHandler | undefined,
    settings: StreamServerSettings = {},
  ) {
    this.idleTimeout = checkTimeout('idleTimeout', settings.idleTimeout);
    const handler = onError ?? ((error: Error) => process.emitWarning(error));
    this.report = (error, stream) => {
      try {
        handler(error, stream);
      } catch (thrown) {
        process.emitWarning(asError(thrown));
      }
    };
    // Errors before listening (EADDRINUSE…) reject the listen call instead.
    server.on('error', (error) => {
      if (server.listening) this.report(error, null);
    });
    const { sockets, idleWaiters } = this;
    this.forget = function (this: net.Socket) {
      if (sockets.delete(this) && sockets.size === 0) for (const wake of idleWaiters.splice(0)) wake();
      socketClosed(this);
    };
    // One listener does both the tracking and the subclass's work: with two, Node would copy
    // the listener array for every connection.
    server.on('connection', (socket: net.Socket) => {
      this.sockets.set(socket, undefined);
      socket.on('close', this.forget);
      this.accepted(socket);
    });
  }

  /**
   * A socket was accepted (and is tracked from now on): what a subclass does next, such
   * as wrapping it in a stream and serving it. Nothing by default (TLS waits for the
   * handshake, on another event).
   */
  protected accepted(_socket: net.Socket): void {}

  /**
   * Hand `stream` (over `socket`) to `onStream`. A throw or rejection closes the
   * stream with that error (whatever the error, so no failed handler leaves its stream
   * open) and reports it, except a `StreamClosedError`: that is how a handler's read
   * loop normally ends.
   */
  protected serve(stream: S, socket: net.Socket, onStream: (stream: S) => void | PromiseLike<void>): void {
    // A TLS stream's socket is not the accepted one: it is tracked, and forgotten when it closes, too.
    if (!this.sockets.has(socket)) socket.on('close', this.forget);
    this.sockets.set(socket, stream);
    if (this.idleTimeout !== undefined) closeWhenIdle(stream, socket, this.idleTimeout);
    const fail = (error: unknown) => {
      const e = asError(error);
      // Even a StreamClosedError may be another stream's (a proxy's upstream): this one may be open.
      stream.close(e);
      if (!(error instanceof StreamClosedError)) this.report(e, stream);
    };
    try {
      const result = onStream(stream);
      if (result !== undefined && typeof result?.then === 'function') result.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }

  /**
   * The bound TCP address (`port` is the real one when you listened on port 0).
   * Throws `TypeError` on a server listening on a Unix domain socket: see {@link path}.
   */
  address(): net.AddressInfo {
    const address = this.server.address();
    // Node gives a Unix socket's path as a string; typed as AddressInfo, it would read as port undefined.
    if (typeof address === 'string')
      throw new TypeError(`address(): this server listens on the Unix socket ${address}; see server.path`);
    return address as net.AddressInfo;
  }

  /** The socket file's path for a server made with `listen({ path })` (also after close), else `null`. */
  get path(): string | null {
    const address = this.server.address();
    return typeof address === 'string' ? address : null;
  }

  /** How many connections handed to `onStream` are still open (including ones upgraded in place by `startTls`). */
  get connections(): number {
    let n = 0;
    this.sockets.forEach((socket, stream) => {
      if (stream !== undefined && !socket.destroyed) n++;
    });
    return n;
  }

  /**
   * Stop accepting and resolve once the listening socket is closed. Connections
   * already accepted stay open unless `closeStreams` is set; then they are closed
   * too (their streams, their sockets, also where `startTls` upgraded them or a
   * handshake is still running) and the promise also waits until those sockets are
   * released. Idempotent; never rejects.
   */
  close(options: ServerCloseOptions = {}): Promise<void> {
    if (this.closing === null) {
      this.server.close(() => {});
      // The listening handle is released in libuv's close phase; two event-loop turns
      // later that has certainly run, whichever phase this was called from.
      this.closing = new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    }
    if (options.closeStreams !== true) return this.closing;
    const entries = this.sockets.entries();
    for (const [, stream] of entries) stream?.close();
    for (const [socket] of entries) socket.destroy();
    const idle =
      this.sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return Promise.all([this.closing, idle]).then(() => {});
  }
}

/**
 * Close `stream` with {@link IdleTimeoutError} once `ms` pass without a byte read from or
 * written to `socket`: Node's socket timeout, which every read and write restarts.
 */
function closeWhenIdle(stream: IOStream, socket: net.Socket, ms: number): void {
  socket.setTimeout(ms);
  socket.on('timeout', () => {
    // A closed stream whose socket lives on gave it up (startTls upgraded it in place): this
    // socket no longer sees the traffic, so its timer means nothing. Stop it.
    if (stream.closed()) socket.setTimeout(0);
    else stream.close(new IdleTimeoutError(ms));
  });
}

/**
 * Start `server` listening; resolves once it is, rejects with the system error
 * (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`, …) if the address cannot be bound.
 */
export function bindServer(server: net.Server, options: BindOptions): Promise<void> {
  const listenOptions: net.ListenOptions =
    options.path !== undefined ? { path: options.path } : { port: options.port ?? 0 };
  if (options.host !== undefined) listenOptions.host = options.host;
  if (options.backlog !== undefined) listenOptions.backlog = options.backlog;
  if (options.ipv6Only !== undefined) listenOptions.ipv6Only = options.ipv6Only;
  return new Promise<void>((resolve, reject) => {
    const onListenError = (error: Error) => {
      server.off('listening', onListening);
      server.close(() => reject(error));
    };
    const onListening = () => {
      server.off('error', onListenError);
      resolve();
    };
    server.prependOnceListener('error', onListenError);
    server.once('listening', onListening);
    server.listen(listenOptions);
  });
}
