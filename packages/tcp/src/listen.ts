import net from 'node:net';
import { IOStream, type IOStreamOptions, pickStreamOptions, validateStreamOptions } from '@iostream/core';
import { readAcceptedIntoSlabs } from './accepted-slab-reads.js';
import { checkListenTarget } from './options.js';
import { SocketTransport } from './socket-transport.js';
import { bindServer, type ServerErrorHandler, StreamServer } from './stream-server.js';

/**
 * Called once per accepted connection with a ready stream. A throw or rejection
 * closes that stream and is reported to `onError`; a `StreamClosedError` (how a read
 * loop ends) closes it too but is not reported.
 */
export type StreamHandler = (stream: IOStream) => void | PromiseLike<void>;

/**
 * Options for {@link listen}: where to listen (`host` and `port`, or a Unix domain
 * socket's `path`), socket settings, and every `IOStream` option for accepted streams.
 */
export interface ListenOptions extends IOStreamOptions {
  /** Address to listen on. Default: every interface (`::` where IPv6 exists, else `0.0.0.0`), as in Node. TCP only. */
  host?: string;
  /** Port, 0–65535; `0` (the default) picks a free one, see `server.address().port`. TCP only. */
  port?: number;
  /**
   * Listen on a Unix domain socket at this path instead of TCP (not with `host`,
   * `port` or `ipv6Only`: `TypeError`). The path must not exist: an existing file,
   * even a stale socket left by a crashed process, fails with `EADDRINUSE` and is
   * left alone. `server.close()` removes the socket file.
   */
  path?: string;
  /** Length of the queue of pending connections. Default: Node's (511). */
  backlog?: number;
  /** With a `host` of `::`, accept IPv6 connections only. Default `false`. */
  ipv6Only?: boolean;
  /** Disable Nagle's algorithm on accepted sockets. Default `false`. */
  noDelay?: boolean;
  /** Enable TCP keep-alive on accepted sockets. Default `false`. */
  keepAlive?: boolean;
  /**
   * Close an accepted stream once no byte has moved either way on it for this many
   * milliseconds: its `error` becomes `IdleTimeoutError` (code `ERR_IDLE_TIMEOUT`), and a
   * pending read rejects with `StreamClosedError` whose `realError` is that error. Every
   * byte read from or written to the socket restarts the timer. Default: no timeout.
   */
  idleTimeout?: number;
  /**
   * Where failures of `onStream` (and of the listener) go. Default: `process.emitWarning(error)`,
   * which prints it once and never crashes the process.
   */
  onError?: ServerErrorHandler;
}

/** A listening TCP server made by {@link listen}. */
export class TcpServer extends StreamServer<IOStream> {
  private readonly ioOptions: IOStreamOptions;
  private readonly onStream: StreamHandler;

  /** @internal Use {@link listen}. */
  constructor(server: net.Server, options: ListenOptions, ioOptions: IOStreamOptions, onStream: StreamHandler) {
    super(server, options.onError, options);
    this.ioOptions = ioOptions;
    this.onStream = onStream;
  }

  /** Each accepted socket becomes a stream, read through slabs, and goes to `onStream`. */
  protected override accepted(socket: net.Socket): void {
    // The server's 'close' listener (StreamServer.forget) passes the socket's close on.
    const transport = new SocketTransport(socket, { reader: readAcceptedIntoSlabs(socket), closeFromServer: true });
    this.serve(new IOStream(transport, this.ioOptions), socket, this.onStream);
  }
}

/**
 * Listen for TCP connections (or, with `path`, on a Unix domain socket) and call
 * `onStream` once per accepted connection with a ready `IOStream`. Resolves once
 * listening; rejects with the system error (`EADDRINUSE`, `EACCES`,
 * `EADDRNOTAVAIL`, …) if the address cannot be bound.
 * Throws `TypeError`/`RangeError` at once for invalid options.
 *
 * An exception or rejection from `onStream` closes that stream with the error and
 * goes to `onError`; it never crashes the process. A `StreamClosedError` is the
 * normal way out of a handler whose peer went away: it is not reported (the stream
 * is closed all the same, even when the error came from another stream).
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
  const target = checkListenTarget(options);
  const ioOptions = pickStreamOptions(options);
  validateStreamOptions(ioOptions);
  const server = net.createServer({
    pauseOnConnect: true,
    noDelay: options.noDelay ?? false,
    keepAlive: options.keepAlive ?? false,
  });
  const tcpServer = new TcpServer(server, options, ioOptions, onStream);
  return bindServer(server, { ...options, ...target }).then(() => tcpServer);
}
