import type tls from 'node:tls';
import { type ConnectListener, ConnectWatch } from '@iostream/tcp';
import { HandshakeEofError, HandshakeTimeoutError } from './errors.js';

/** Called once when a handshake settles: `ok`, or why it failed (`null`: closed by the stream's owner). */
export type HandshakeListener = ConnectListener;

/** The limits of a client handshake {@link Handshake} watches (it is done at `'secureConnect'`). */
export interface HandshakeWatch {
  /** While the socket is still connecting: give up after this many ms with `ConnectTimeoutError`. */
  connectTimeout?: number | undefined;
  /** From the TCP connection on: give up after this many ms with {@link HandshakeTimeoutError}. */
  handshakeTimeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The state of one TLS socket's handshake: pending until `'secureConnect'`, a socket
 * error (certificate rejected, peer reset…), the peer's EOF ({@link HandshakeEofError}),
 * the socket closing, a timeout or the signal. Listeners run synchronously, in order,
 * at the moment it settles, so a caller's promise settles before the stream's own
 * reads and writes do. On failure the socket is destroyed. It is tcp's {@link ConnectWatch} with the handshake timeout.
 */
export class Handshake extends ConnectWatch {
  /** Settled, so one serves every stream handed over with its handshake done. */
  private static readonly alreadyDone = new Handshake(null, {});

  /** A handshake that is already done (sockets a `tls.Server` hands over). */
  static done(): Handshake {
    return Handshake.alreadyDone;
  }

  constructor(socket: tls.TLSSocket | null, watch: HandshakeWatch) {
    const { handshakeTimeout } = watch;
    super(socket, {
      readyEvent: 'secureConnect',
      connectTimeout: watch.connectTimeout,
      signal: watch.signal,
      afterConnect:
        handshakeTimeout === undefined
          ? undefined
          : { timeout: handshakeTimeout, error: () => new HandshakeTimeoutError(handshakeTimeout) },
    });
    if (socket === null) return;
    // The peer's EOF before 'secureConnect'. Node's own 'end' listener (added by tls.connect,
    // so it runs first) destroys the socket with ECONNRESET but emits that 'error' a tick
    // later; the stream's transport, made after this watch, would take the EOF first as a
    // clean close (realError null). Fail here, with the cause, before it does.
    const onEnd = () => this.fail(new HandshakeEofError(socket.errored));
    socket.once('end', onEnd);
    this.subscribe(() => socket.off('end', onEnd));
  }
}
