import type net from 'node:net';
import tls from 'node:tls';
import { type IOStream, StreamClosedError } from '@iostream/core';
import { type ListenOptions, type ServerCloseOptions, type ServerErrorHandler, SocketTransport } from '@iostream/tcp';
import {
  asError,
  checkPort,
  checkStreamOptions,
  checkTimeout,
  SERVER_HANDSHAKE_TIMEOUT,
  streamOptions,
  type TlsServerSettings,
  tlsSettings,
} from './options.js';
import { serverHandshakeError } from './server-handshake.js';
import { TlsStream } from './tls-stream.js';

/**
 * Called once per connection whose handshake succeeded, with its stream (handshake
 * done). A throw or rejection closes that stream and goes to `onError`, except a
 * `StreamClosedError` (the stream had already closed, which is how a read loop ends).
 */
export type TlsStreamHandler = (stream: TlsStream) => void | PromiseLike<void>;

/**
 * Options for {@link listen}: everything `@iostream/tcp`'s `listen` takes, Node's TLS
 * server settings (`key`, `cert`, `ca`, `requestCert`, `SNICallback`, `ALPNProtocols`, …),
 * and `handshakeTimeout`.
 */
export interface TlsListenOptions extends ListenOptions, TlsServerSettings {
  /**
   * Drop a connection whose handshake has not finished within this many
   * milliseconds (reported to `onError` as `HandshakeTimeoutError`). Default 120000, as Node.
   */
  handshakeTimeout?: number;
  /**
   * Where failures go: `onStream` throwing or rejecting (with its stream), errors of
   * the listening socket, and failed client handshakes (stream `null`; the
   * connection is already dropped). Default: `process.emitWarning(error)`.
   */
  onError?: ServerErrorHandler;
}

/** A listening TLS server made by {@link listen}. */
export class TlsServer {
  private readonly server: tls.Server;
  private readonly streams = new Set<TlsStream>();
  /** Every accepted TCP connection until its socket closes, handshake done or not. */
  private readonly sockets = new Set<net.Socket>();
  private readonly idleWaiters: (() => void)[] = [];
  private closing: Promise<void> | null = null;

  /** @internal Use {@link listen}. */
  constructor(server: tls.Server, options: TlsListenOptions, handshakeTimeout: number, onStream: TlsStreamHandler) {
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
    server.on('error', (error) => {
      if (server.listening) reportSafely(error, null);
    });
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        if (this.sockets.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    });
    // A failed handshake never reaches onStream; tls.Server has already dropped the connection.
    server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
      socket.destroy();
      reportSafely(serverHandshakeError(error, socket, handshakeTimeout), null);
    });
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      // tls.Server makes its sockets without allowHalfOpen; the stream decides what EOF means.
      socket.allowHalfOpen = true;
      const stream = new TlsStream(new SocketTransport(socket), ioOptions);
      this.streams.add(stream);
      socket.once('close', () => this.streams.delete(stream));
      const fail = (error: unknown) => {
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

  /** How many streams handed to `onStream` are still open. */
  get connections(): number {
    let n = 0;
    for (const s of this.streams) if (!s.closed()) n++;
    return n;
  }

  /**
   * Stop accepting and resolve once the listening socket is closed. Streams already
   * handed over stay open unless `closeStreams` is set; then they are closed, and so
   * are connections still in their handshake, and the promise also waits until every
   * socket is released. Idempotent; never rejects.
   */
  close(options: ServerCloseOptions = {}): Promise<void> {
    if (this.closing === null) {
      this.server.close(() => {});
      // The listening handle is released in libuv's close phase; two turns later that has run.
      this.closing = new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    }
    if (options.closeStreams !== true) return this.closing;
    for (const s of this.streams) s.close();
    for (const socket of this.sockets) socket.destroy();
    const idle =
      this.sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return Promise.all([this.closing, idle]).then(() => {});
  }
}

/**
 * Listen for TLS connections. Each connection's handshake runs first; `onStream`
 * gets the stream only once it succeeded, so `getProtocol()`, `alpnProtocol`,
 * `getPeerCertificate()` are ready and `waitForHandshake()` resolves at once. A
 * failed or timed-out handshake never reaches `onStream`: the connection is dropped
 * and the error goes to `onError` (stream `null`). With `requestCert`, client
 * certificates are verified against `ca` unless `rejectUnauthorized: false`.
 *
 * Resolves once listening; rejects with the system error (`EADDRINUSE`, …) if the
 * address cannot be bound. Throws `TypeError`/`RangeError` at once for invalid
 * options (including unreadable keys or certificates).
 *
 * @example
 * ```ts
 * const server = await listen({ host: '127.0.0.1', port: 8443, key, cert }, async (stream) => {
 *   for (;;) await stream.write(await stream.readUntil('\n', { maxBytes: 4096 }));
 * });
 * ```
 */
export function listen(options: TlsListenOptions, onStream: TlsStreamHandler): Promise<TlsServer> {
  if (typeof onStream !== 'function') throw new TypeError('onStream must be a function');
  const port = checkPort(options.port ?? 0, true);
  const handshakeTimeout = checkTimeout('handshakeTimeout', options.handshakeTimeout) ?? SERVER_HANDSHAKE_TIMEOUT;
  checkStreamOptions(streamOptions(options));
  const server = tls.createServer({
    ...tlsSettings(options),
    rejectUnauthorized: options.rejectUnauthorized !== false,
    handshakeTimeout,
    // Not allowHalfOpen: TLS sockets inherit it from the raw socket, and a half-open one
    // whose peer leaves mid-handshake would wait for the timeout instead of failing.
    // Accepted streams get it once the handshake is done.
    noDelay: options.noDelay ?? false,
    keepAlive: options.keepAlive ?? false,
  });
  const tlsServer = new TlsServer(server, options, handshakeTimeout, onStream);
  const listenOptions: net.ListenOptions = { port };
  if (options.host !== undefined) listenOptions.host = options.host;
  if (options.backlog !== undefined) listenOptions.backlog = options.backlog;
  if (options.ipv6Only !== undefined) listenOptions.ipv6Only = options.ipv6Only;
  return new Promise<TlsServer>((resolve, reject) => {
    const onListenError = (error: Error) => {
      server.off('listening', onListening);
      server.close(() => reject(error));
    };
    const onListening = () => {
      server.off('error', onListenError);
      resolve(tlsServer);
    };
    server.prependOnceListener('error', onListenError);
    server.once('listening', onListening);
    server.listen(listenOptions);
  });
}
