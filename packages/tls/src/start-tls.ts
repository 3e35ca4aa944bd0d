import net from 'node:net';
import tls from 'node:tls';
import { AbortError, type IOStream, type IOStreamOptions, StreamClosedError, StreamNotIdleError } from '@iostream/core';
import { checkSignal, checkTimeout, SocketTransport, socketError } from '@iostream/tcp';
import { checkClientSettings } from './check-client-settings.js';
import { Handshake } from './handshake.js';
import { clientHandshakeTimeout } from './handshake-timeout.js';
import {
  clientVerification,
  type HandshakeOptions,
  SERVER_HANDSHAKE_TIMEOUT,
  type TlsClientSettings,
  type TlsServerSettings,
  tlsSettings,
} from './options.js';
import { serverHandshake } from './server-handshake.js';
import { TlsStream } from './tls-stream.js';

/** {@link startTls} as the client: verifies the server against `servername`. */
export interface StartTlsClientOptions extends TlsClientSettings, HandshakeOptions {
  serverSide?: false;
  /**
   * The name the server's certificate must match, sent as SNI unless it is an IP
   * address. Required unless `rejectUnauthorized` is `false`.
   */
  servername?: string;
}

/** {@link startTls} as the server: needs `key` and `cert` (or `pfx`, `SNICallback`, `secureContext`). */
export interface StartTlsServerOptions extends TlsServerSettings, HandshakeOptions {
  serverSide: true;
}

/** Options for {@link startTls}: the client side (default) or the server side (`serverSide: true`). */
export type StartTlsOptions = StartTlsClientOptions | StartTlsServerOptions;

/**
 * Upgrade a plain stream (from `@iostream/tcp`) to TLS in place, on either side:
 * Tornado's `start_tls`, for STARTTLS-style protocols. Resolves with a new
 * {@link TlsStream} over the same connection once the handshake is done; the close
 * callback and the buffer options (`maxBufferSize`, `readChunkSize`, …) move over to it.
 * From the call on, `stream` is finished: its reads and writes reject with
 * `StreamClosedError`, and a second `startTls` on it rejects with `StreamNotIdleError`.
 *
 * The stream must be idle, else this rejects with core's `StreamNotIdleError`
 * (`code` `ERR_STREAM_NOT_IDLE`) and leaves it untouched: no pending read, no
 * unsent write, nothing buffered and unread, not connecting, not ending, no EOF.
 * Call it right after the last plain exchange (e.g. after writing "220 Go ahead"),
 * before awaiting anything else: core reads ahead while no read is pending, so a
 * peer's first handshake bytes that arrive meanwhile would count as unread data.
 * Bytes the socket received that core has not pulled yet go to the TLS layer.
 *
 * The client side verifies the server's certificate and `servername` unless
 * `rejectUnauthorized` is exactly `false`. If the handshake fails, times out or is
 * aborted, the socket is destroyed, the close callback runs, and this rejects with
 * `StreamClosedError` whose `realError` says why.
 *
 * Throws `TypeError`/`RangeError` at once, leaving `stream` untouched, for invalid
 * options (including the TLS settings Node checks only inside `tls.connect`:
 * `minDHSize`, `ALPNProtocols`, `highWaterMark`, `checkServerIdentity`, …), for a
 * client side that verifies without `servername`, and for a stream that is not over a
 * socket. Should Node still refuse a setting once the stream was handed over, the
 * socket is destroyed, the close callback runs, and this rejects with
 * `StreamClosedError` whose `realError` is Node's error.
 *
 * A client-side handshake that the server cuts with a clean close rejects with
 * `realError` `HandshakeEofError` (code `ERR_TLS_HANDSHAKE_EOF`).
 *
 * @example
 * ```ts
 * await plain.write('STARTTLS\r\n');
 * await plain.readUntil('\r\n', { maxBytes: 512 }); // "220 Go ahead"
 * const secure = await startTls(plain, { servername: 'mail.example.com', ca });
 * ```
 */
export function startTls(stream: IOStream, options: StartTlsOptions): Promise<TlsStream> {
  if (typeof options !== 'object' || options === null) throw new TypeError('startTls needs an options object');
  const handshakeTimeout =
    options.serverSide === true
      ? checkTimeout('handshakeTimeout', options.handshakeTimeout)
      : clientHandshakeTimeout(options.handshakeTimeout);
  const signal = checkSignal(options.signal);
  const serverSide = options.serverSide ?? false;
  if (typeof serverSide !== 'boolean') throw new TypeError('serverSide must be a boolean');
  if (!serverSide) {
    const { servername, rejectUnauthorized } = options as StartTlsClientOptions;
    if (servername !== undefined && typeof servername !== 'string') throw new TypeError('servername must be a string');
    if (servername === undefined && rejectUnauthorized !== false)
      throw new TypeError('startTls: give servername to verify the server against (or rejectUnauthorized: false)');
    // Before anything changes: Node checks these only inside tls.connect, after the stream is taken apart.
    checkClientSettings(options);
  }
  const transport = stream.getTransport();
  if (!(transport instanceof SocketTransport) || !(transport.socket instanceof net.Socket))
    throw new TypeError('startTls needs a stream over a socket (from @iostream/tcp)');
  if (stream instanceof TlsStream) throw new TypeError('startTls: the stream is already a TLS stream');
  const raw = transport.socket;
  // Build the TLS side first, so that invalid keys or certificates throw here and leave the stream untouched.
  const settings = tlsSettings(options);
  const server = serverSide
    ? tls.createServer({
        ...settings,
        rejectUnauthorized: options.rejectUnauthorized !== false,
        handshakeTimeout: handshakeTimeout ?? SERVER_HANDSHAKE_TIMEOUT,
      })
    : null;
  const secureContext =
    serverSide || settings.secureContext !== undefined ? undefined : tls.createSecureContext(settings);

  if (stream.closed() && (stream.error as { code?: unknown } | null)?.code === 'ERR_STREAM_DETACHED')
    return Promise.reject(new StreamNotIdleError('Stream was already handed over (by an earlier startTls)'));
  if (raw.connecting) return Promise.reject(new StreamNotIdleError('Stream is still connecting'));
  let detached: ReturnType<IOStream['detach']>;
  try {
    detached = stream.detach();
  } catch (error) {
    return Promise.reject(error);
  }
  const pending = transport.release();
  if (raw.destroyed || raw.readableEnded) {
    // The peer finished (or the socket broke) before core saw it: there is nothing to upgrade.
    raw.destroy();
    if (detached.closeCallback) setImmediate(detached.closeCallback);
    return Promise.reject(new StreamClosedError(transport.getFdError()));
  }
  // Bytes that arrived but core never pulled are the peer's first handshake bytes: put
  // them back in the socket's readable buffer, which the TLS socket drains first.
  for (let i = pending.length - 1; i >= 0; i--) raw.unshift(pending[i] as Buffer);

  return server !== null
    ? startServer(raw, server, detached, handshakeTimeout ?? SERVER_HANDSHAKE_TIMEOUT, signal)
    : startClient(raw, options as StartTlsClientOptions, settings, secureContext, detached, handshakeTimeout, signal);
}

interface Detached {
  options: IOStreamOptions;
  closeCallback: (() => void) | null;
}

function startClient(
  raw: net.Socket,
  options: StartTlsClientOptions,
  settings: ReturnType<typeof tlsSettings>,
  secureContext: tls.SecureContext | undefined,
  detached: Detached,
  handshakeTimeout: number | undefined,
  signal: AbortSignal | undefined,
): Promise<TlsStream> {
  const connectOptions: tls.ConnectionOptions = {
    ...settings,
    socket: raw,
    ...clientVerification(options, options.servername ?? ''),
  };
  if (secureContext !== undefined) connectOptions.secureContext = secureContext;
  let tlsSocket: tls.TLSSocket;
  const listenersBefore = socketListeners(raw);
  try {
    tlsSocket = tls.connect(connectOptions);
  } catch (error) {
    // A setting Node refuses that checkClientSettings does not know. The plain stream is gone
    // already, so fail as a handshake would: take off what the half-made TLS socket put on
    // the raw one (its 'close' listener would throw on it), destroy it, run the close callback.
    removeListenersSince(raw, listenersBefore);
    raw.destroy();
    if (detached.closeCallback) setImmediate(detached.closeCallback);
    return Promise.reject(new StreamClosedError(socketError(error)));
  }
  const handshake = new Handshake(tlsSocket, { handshakeTimeout, signal });
  return new Promise<TlsStream>((resolve, reject) => {
    handshake.subscribe((ok, error) => {
      if (ok) resolve(secure);
      else reject(new StreamClosedError(error));
    });
    const secure = new TlsStream(
      new SocketTransport(tlsSocket, { readyEvent: 'secureConnect' }),
      detached.options,
      handshake,
    );
    secure.setCloseCallback(detached.closeCallback);
  });
}

function startServer(
  raw: net.Socket,
  server: tls.Server,
  detached: Detached,
  handshakeTimeout: number,
  signal: AbortSignal | undefined,
): Promise<TlsStream> {
  return new Promise<TlsStream>((resolve, reject) => {
    const onAbort = () => abandon(new AbortError(signal?.reason));
    const abandon = serverHandshake(
      server,
      raw,
      handshakeTimeout,
      (tlsSocket) => {
        signal?.removeEventListener('abort', onAbort);
        const secure = new TlsStream(new SocketTransport(tlsSocket), detached.options);
        secure.setCloseCallback(detached.closeCallback);
        resolve(secure);
      },
      (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(new StreamClosedError(error));
        if (detached.closeCallback) setImmediate(detached.closeCallback);
      },
    );
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

type Listener = (...args: unknown[]) => void;

/** Every listener on `socket`, by event. */
function socketListeners(socket: net.Socket): Map<string | symbol, Listener[]> {
  return new Map(socket.eventNames().map((event) => [event, socket.listeners(event) as Listener[]]));
}

/** Remove the listeners added to `socket` since `before` was taken. */
function removeListenersSince(socket: net.Socket, before: Map<string | symbol, Listener[]>): void {
  for (const event of socket.eventNames()) {
    const kept = before.get(event) ?? [];
    for (const listener of socket.listeners(event) as Listener[])
      if (!kept.includes(listener)) socket.removeListener(event, listener);
  }
}
