import type net from 'node:net';
import type tls from 'node:tls';
import { HandshakeTimeoutError } from './errors.js';

/**
 * The error a server-side handshake failure should carry, from what `tls.Server`
 * reports with `'tlsClientError'`: its handshake timeout becomes
 * {@link HandshakeTimeoutError}; a client certificate rejected under `requestCert` +
 * `rejectUnauthorized` (which Node reports as a bare `ECONNRESET` "socket hang up")
 * becomes an `Error` whose `code` is OpenSSL's reason, the shape the client side
 * gets for a rejected server certificate.
 */
export function serverHandshakeError(error: Error, socket: tls.TLSSocket | undefined, timeout: number): Error {
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return new HandshakeTimeoutError(timeout);
  const reason = socket?.authorizationError as unknown;
  if (code === 'ECONNRESET' && typeof reason === 'string' && reason !== '')
    return Object.assign(new Error(`Client certificate rejected: ${reason}`, { cause: error }), { code: reason });
  return error;
}

/**
 * Run a server-side handshake on an already connected `socket` through `server`, a
 * `tls.Server` that never listens (one per handshake), so that client-certificate
 * checks, SNI, ALPN and the handshake timeout behave exactly as for `listen`. Calls
 * `onSecure` with the TLS socket once the handshake is done, or `onError` once with
 * why it failed (the socket is then destroyed). Returns a function that abandons
 * the handshake with an error (no effect once settled).
 */
export function serverHandshake(
  server: tls.Server,
  socket: net.Socket,
  handshakeTimeout: number,
  onSecure: (tlsSocket: tls.TLSSocket) => void,
  onError: (error: Error) => void,
): (error: Error) => void {
  let settled = false;
  const settle = (): boolean => {
    if (settled) return false;
    settled = true;
    server.removeAllListeners();
    return true;
  };
  server.on('secureConnection', (tlsSocket: tls.TLSSocket) => {
    if (settle()) onSecure(tlsSocket);
  });
  server.on('tlsClientError', (error: Error, tlsSocket: tls.TLSSocket) => {
    if (!settle()) return;
    tlsSocket.destroy();
    socket.destroy();
    onError(serverHandshakeError(error, tlsSocket, handshakeTimeout));
  });
  // The TLS socket inherits allowHalfOpen from `socket`; a half-open one whose peer leaves
  // mid-handshake would wait for the timeout instead of failing. The caller turns it back on
  // for the TLS socket once the handshake is done.
  socket.allowHalfOpen = false;
  // How a connection enters a tls.Server: the same path its own listener takes.
  server.emit('connection', socket);
  return (error: Error) => {
    if (!settle()) return;
    socket.destroy();
    onError(error);
  };
}
