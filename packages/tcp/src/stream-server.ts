import type net from 'node:net';
import { type IOStream, StreamClosedError } from '@iostream/core';
import { asError } from './options.js';

/**
 * Receives what a server cannot hand to anyone else: an exception or rejection
 * from the `onStream` handler (with its stream, already closed), or an error of the
 * listening socket or of a connection that never became a stream (`stream` null).
 */
export type ServerErrorHandler = (error: Error, stream: IOStream | null) => void;

/** Options for {@link StreamServer.close}. */
export interface ServerCloseOptions {
  /** Also close every connection this server accepted that is still open, and wait until their sockets are released. Default `false`. */
  closeStreams?: boolean;
}

/** Where a server listens (the part of `ListenOptions` Node's `server.listen` takes). */
export interface BindOptions {
  host?: string;
  port: number;
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
  /** Accepted sockets, until they close. */
  private readonly sockets = new Set<net.Socket>();
  /** Streams handed to `onStream`, with the socket under each. */
  private readonly served = new Map<S, net.Socket>();
  private readonly idleWaiters: (() => void)[] = [];
  private closing: Promise<void> | null = null;
  /** Report an error to `onError` (default `process.emitWarning`); an `onError` that throws is warned about. */
  protected readonly report: (error: Error, stream: IOStream | null) => void;

  protected constructor(
    protected readonly server: net.Server,
    onError: ServerErrorHandler | undefined,
  ) {
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
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        if (this.sockets.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    });
  }

  /**
   * Hand `stream` (over `socket`) to `onStream`. A throw or rejection closes the
   * stream with that error and reports it, except a `StreamClosedError`: the stream
   * had already closed, which is how a handler's read loop normally ends.
   */
  protected serve(stream: S, socket: net.Socket, onStream: (stream: S) => void | PromiseLike<void>): void {
    this.served.set(stream, socket);
    socket.once('close', () => this.served.delete(stream));
    const fail = (error: unknown) => {
      if (error instanceof StreamClosedError) return;
      const e = asError(error);
      stream.close(e);
      this.report(e, stream);
    };
    try {
      const result = onStream(stream);
      if (result !== undefined && typeof result?.then === 'function') result.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }

  /** The bound address (`port` is the real one when you listened on port 0). */
  address(): net.AddressInfo {
    return this.server.address() as net.AddressInfo;
  }

  /** How many connections handed to `onStream` are still open (including ones upgraded in place by `startTls`). */
  get connections(): number {
    let n = 0;
    for (const socket of this.served.values()) if (!socket.destroyed) n++;
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
    for (const stream of this.served.keys()) stream.close();
    for (const socket of this.sockets) socket.destroy();
    const idle =
      this.sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return Promise.all([this.closing, idle]).then(() => {});
  }
}

/**
 * Start `server` listening; resolves once it is, rejects with the system error
 * (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`, …) if the address cannot be bound.
 */
export function bindServer(server: net.Server, options: BindOptions): Promise<void> {
  const listenOptions: net.ListenOptions = { port: options.port };
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
