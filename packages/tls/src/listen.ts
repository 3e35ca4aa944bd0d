import tls from 'node:tls';
import { debuglog } from 'node:util';
import { type IOStreamOptions, pickStreamOptions, validateStreamOptions } from '@iostream/core';
import {
  bindServer,
  checkListenTarget,
  checkTimeout,
  type ListenOptions,
  readStartedSocketIntoSlabs,
  type ServerErrorHandler,
  SocketTransport,
  StreamServer,
} from '@iostream/tcp';
import { SERVER_HANDSHAKE_TIMEOUT, type TlsServerSettings, tlsSettings } from './options.js';
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
   * connection is already dropped). Default: `process.emitWarning(error)`, except for
   * failed handshakes: any client can cause those (a port scanner, a client that
   * rejects our certificate), so by default they are only counted
   * ({@link TlsServer.failedHandshakes}) and logged under `NODE_DEBUG=iostream`.
   */
  onError?: ServerErrorHandler;
}

/** `NODE_DEBUG=iostream` logging, for what is not worth a warning. */
const debug = debuglog('iostream');

/** A listening TLS server made by {@link listen}. `connections` counts streams handed to `onStream`. */
export class TlsServer extends StreamServer<TlsStream> {
  private failed = 0;

  /** @internal Use {@link listen}. */
  constructor(
    server: tls.Server,
    options: TlsListenOptions,
    ioOptions: IOStreamOptions,
    handshakeTimeout: number,
    onStream: TlsStreamHandler,
  ) {
    super(server, options.onError, options);
    const onError = options.onError;
    // A failed handshake never reaches onStream; tls.Server has already dropped the connection.
    server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
      socket.destroy();
      this.failed++;
      const reason = serverHandshakeError(error, socket, handshakeTimeout);
      if (onError !== undefined) this.report(reason, null);
      else debug('TLS handshake failed (%s): %s', (reason as { code?: unknown }).code, reason.message);
    });
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      this.serve(new TlsStream(acceptedTransport(socket), ioOptions), socket, onStream);
    });
  }

  /**
   * How many client handshakes failed since the server started (timed out, rejected
   * certificates, clients that were not speaking TLS, …). Each is also reported to
   * `onError` when one was given.
   */
  get failedHandshakes(): number {
    return this.failed;
  }
}

/**
 * Listen for TLS connections, over TCP or (with `path`) on a Unix domain socket, as
 * `@iostream/tcp`'s `listen` does. Each connection's handshake runs first; `onStream`
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
  const target = checkListenTarget(options);
  const handshakeTimeout = checkTimeout('handshakeTimeout', options.handshakeTimeout) ?? SERVER_HANDSHAKE_TIMEOUT;
  const ioOptions = pickStreamOptions(options);
  validateStreamOptions(ioOptions);
  const server = tls.createServer({
    ...tlsSettings(options),
    rejectUnauthorized: options.rejectUnauthorized !== false,
    handshakeTimeout,
    // Not allowHalfOpen: TLS sockets inherit it from the raw socket, and a half-open one
    // whose peer leaves mid-handshake would wait for the timeout instead of failing.
    // Accepted streams get it from their transport once the handshake is done.
    noDelay: options.noDelay ?? false,
    keepAlive: options.keepAlive ?? false,
  });
  const tlsServer = new TlsServer(server, options, ioOptions, handshakeTimeout, onStream);
  return bindServer(server, { ...options, ...target }).then(() => tlsServer);
}

/**
 * The transport of a TLS socket the server accepted: Node decrypts into a slab reader's
 * memory from now on (`tls.Server` has no `onread` option, so the reading socket is
 * switched; see `readStartedSocketIntoSlabs`), with what it already decrypted delivered
 * first. `'data'` events where the switch is not possible.
 */
function acceptedTransport(socket: tls.TLSSocket): SocketTransport {
  // Served at once: the server's 'close' listener on this socket (StreamServer.serve) passes its close on.
  const slabs = readStartedSocketIntoSlabs(socket);
  if (slabs === undefined) return new SocketTransport(socket, { closeFromServer: true });
  const transport = new SocketTransport(socket, { reader: slabs.reader, closeFromServer: true });
  for (const chunk of slabs.head) transport.onChunk(chunk);
  return transport;
}
