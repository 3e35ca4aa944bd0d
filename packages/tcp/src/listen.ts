import net from 'node:net';
import { IOStream, type IOStreamOptions, StreamClosedError } from '@iostream/core';
import { asError, checkPort, checkStreamOptions, streamOptions } from './options.js';
import { SocketTransport } from './socket-transport.js';

/**
 * Called once per accepted connection with a ready stream. A throw or rejection
 * closes that stream and is reported to `onError`, except a `StreamClosedError`
 * (the stream had already closed, which is how a read loop ends).
 */
export type StreamHandler = (stream: IOStream) => void | PromiseLike<void>;

/**
 * Receives what {@link listen} cannot hand to anyone else: an exception or rejection
 * from the `onStream` handler (with its stream, already closed), or an error of the
 * listening socket itself (`stream` null).
 */
export type ServerErrorHandler = (error: Error, stream: IOStream | null) => void;

/** Options for {@link listen}: where to listen, socket settings, and every `IOStream` option for accepted streams. */
export interface ListenOptions extends IOStreamOptions {
  /** Address to listen on. Default: every interface (`::` where IPv6 exists, else `0.0.0.0`), as in Node. */
  host?: string;
  /** Port, 0–65535; `0` (the default) picks a free one, see `server.address().port`. */
  port?: number;
  /** Length of the queue of pending connections. Default: Node's (511). */
  backlog?: number;
  /** With a `host` of `::`, accept IPv6 connections only. Default `false`. */
  ipv6Only?: boolean;
  /** Disable Nagle's algorithm on accepted sockets. Default `false`. */
  noDelay?: boolean;
  /** Enable TCP keep-alive on accepted sockets. Default `false`. */
  keepAlive?: boolean;
  /**
   * Where failures of `onStream` (and of the listener) go. Default: `process.emitWarning(error)`,
   * which prints it once and never crashes the process.
   */
  onError?: ServerErrorHandler;
}

/** Options for {@link TcpServer.close}. */
export interface ServerCloseOptions {
  /** Also close every stream this server accepted that is still open, and wait until their sockets are released. Default `false`. */
  closeStreams?: boolean;
}

/** A listening TCP server made by {@link listen}. */
export class TcpServer {
  private readonly server: net.Server;
  /** Accepted streams and their sockets; a socket outlives its stream when startTls took it over. */
  private readonly streams = new Map<IOStream, net.Socket>();
  private readonly idleWaiters: (() => void)[] = [];
  private closing: Promise<void> | null = null;

  /** @internal Use {@link listen}. */
  constructor(server: net.Server, options: ListenOptions, onStream: StreamHandler) {
    this.server = server;
    const ioOptions = streamOptions(options);
    const report = options.onError ?? ((error: Error) => process.emitWarning(error));
    const reportSafely = (error: Error, stream: IOStream | null) => {
      try {
        report(error, stream);
      } catch (thrown) {
        process.emitWarning(asError(thrown));
      }
    };
    // Errors before listening (EADDRINUSE…) reject listen() instead.
    server.on('error', (error) => {
      if (server.listening) reportSafely(error, null);
    });
    server.on('connection', (socket: net.Socket) => {
      const stream = new IOStream(new SocketTransport(socket), ioOptions);
      this.streams.set(stream, socket);
      socket.once('close', () => {
        this.streams.delete(stream);
        if (this.streams.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
      const fail = (error: unknown) => {
        // A handler that ends because its stream closed has simply finished.
        if (error instanceof StreamClosedError) return;
        const e = asError(error);
        stream.close(e);
        reportSafely(e, stream);
      };
      try {
        const result = onStream(stream);
        if (result !== undefined && typeof result?.then === 'function') result.then(undefined, fail);
      } catch (error) {
        fail(error);
      }
    });
  }

  /** The bound address (`port` is the real one when you listened on port 0). */
  address(): net.AddressInfo {
    return this.server.address() as net.AddressInfo;
  }

  /** How many accepted connections are still open (including ones upgraded in place by `startTls`). */
  get connections(): number {
    let n = 0;
    for (const socket of this.streams.values()) if (!socket.destroyed) n++;
    return n;
  }

  /**
   * Stop accepting and resolve once the listening socket is closed. Streams already
   * accepted stay open unless `closeStreams` is set; then they are closed too (with
   * their sockets, also where `startTls` upgraded them) and the promise also waits
   * until those sockets are released. Idempotent; never rejects.
   */
  close(options: ServerCloseOptions = {}): Promise<void> {
    if (this.closing === null) {
      this.server.close(() => {});
      // The listening handle is released in libuv's close phase; two event-loop turns
      // later that has certainly run, whichever phase this was called from.
      this.closing = new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    }
    if (options.closeStreams !== true) return this.closing;
    for (const [stream, socket] of this.streams) {
      stream.close();
      // A stream handed to startTls no longer owns its socket: release that too.
      socket.destroy();
    }
    const idle =
      this.streams.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return Promise.all([this.closing, idle]).then(() => {});
  }
}

/**
 * Listen for TCP connections and call `onStream` once per accepted connection with
 * a ready `IOStream`. Resolves once listening; rejects with the system error
 * (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`, …) if the address cannot be bound.
 * Throws `TypeError`/`RangeError` at once for invalid options.
 *
 * An exception or rejection from `onStream` closes that stream with the error and
 * goes to `onError`; it never crashes the process. A `StreamClosedError` is the
 * normal way out of a handler whose peer went away: it is not reported.
 *
 * @example
 * ```ts
 * const server = await listen({ host: '127.0.0.1', port: 0 }, async (stream) => {
 *   for (;;) {
 *     const line = await stream.readUntil('\n', { maxBytes: 4096 });
 *     await stream.write(line);
 *   }
 * });
 * console.log('echo on port', server.address().port);
 * ```
 */
export function listen(options: ListenOptions, onStream: StreamHandler): Promise<TcpServer> {
  if (typeof onStream !== 'function') throw new TypeError('onStream must be a function');
  const port = checkPort(options.port ?? 0, true);
  checkStreamOptions(streamOptions(options));
  const server = net.createServer({
    allowHalfOpen: true,
    pauseOnConnect: true,
    noDelay: options.noDelay ?? false,
    keepAlive: options.keepAlive ?? false,
  });
  const tcpServer = new TcpServer(server, options, onStream);
  const listenOptions: net.ListenOptions = { port };
  if (options.host !== undefined) listenOptions.host = options.host;
  if (options.backlog !== undefined) listenOptions.backlog = options.backlog;
  if (options.ipv6Only !== undefined) listenOptions.ipv6Only = options.ipv6Only;
  return new Promise<TcpServer>((resolve, reject) => {
    const onListenError = (error: Error) => {
      server.off('listening', onListening);
      server.close(() => reject(error));
    };
    const onListening = () => {
      server.off('error', onListenError);
      resolve(tcpServer);
    };
    server.prependOnceListener('error', onListenError);
    server.once('listening', onListening);
    server.listen(listenOptions);
  });
}
