import type tls from 'node:tls';
import { AbortError } from '@iostream/core';
import { ConnectTimeoutError, SocketClosedError } from '@iostream/tcp';
import { HandshakeTimeoutError } from './errors.js';

/** Called once when a handshake settles: `ok`, or why it failed (`null`: closed by the stream's owner). */
export type HandshakeListener = (ok: boolean, error: Error | null) => void;

/** The limits of a client handshake {@link Handshake} watches (it is done at `'secureConnect'`). */
export interface HandshakeWatch {
  /** While the socket is still connecting: give up after this many ms with `ConnectTimeoutError`. */
  connectTimeout?: number | undefined;
  /** From the TCP connection on: give up after this many ms with {@link HandshakeTimeoutError}. */
  handshakeTimeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The state of one TLS socket's handshake: pending until the secure event, a socket
 * error (certificate rejected, peer reset…), the socket closing, a timeout or the
 * signal. Listeners run synchronously, in order, at the moment it settles, so a
 * caller's promise settles before the stream's own reads and writes do. On failure
 * the socket is destroyed.
 */
export class Handshake {
  private current: 'pending' | 'done' | 'failed';
  private failure: Error | null = null;
  private listeners: HandshakeListener[] = [];
  private cleanup: (() => void) | null = null;

  /** A handshake that is already done (sockets a `tls.Server` hands over). Settled, so one serves all. */
  private static readonly alreadyDone = new Handshake(null, {});
  static done(): Handshake {
    return Handshake.alreadyDone;
  }

  constructor(
    private readonly socket: tls.TLSSocket | null,
    watch: HandshakeWatch,
  ) {
    this.current = socket === null ? 'done' : 'pending';
    if (socket === null) return;
    let timer: NodeJS.Timeout | undefined;
    const { signal, connectTimeout, handshakeTimeout } = watch;
    const startHandshakeTimer = () => {
      clearTimeout(timer);
      timer = undefined;
      if (handshakeTimeout !== undefined)
        timer = setTimeout(() => this.fail(new HandshakeTimeoutError(handshakeTimeout)), handshakeTimeout);
    };
    const onSecure = () => this.settle(true, null);
    const onError = (error: Error) => this.fail(error);
    const onClose = () => this.fail(new SocketClosedError());
    const onAbort = () => this.fail(new AbortError(signal?.reason));
    socket.once('secureConnect', onSecure);
    socket.once('error', onError);
    socket.once('close', onClose);
    if (socket.connecting) {
      socket.once('connect', startHandshakeTimer);
      if (connectTimeout !== undefined)
        timer = setTimeout(() => this.fail(new ConnectTimeoutError(connectTimeout)), connectTimeout);
    } else startHandshakeTimer();
    this.cleanup = () => {
      clearTimeout(timer);
      socket.off('secureConnect', onSecure);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('connect', startHandshakeTimer);
      signal?.removeEventListener('abort', onAbort);
    };
    if (signal?.aborted) queueMicrotask(onAbort);
    else signal?.addEventListener('abort', onAbort, { once: true });
  }

  /** `'pending'`, `'done'`, or `'failed'`. */
  get state(): 'pending' | 'done' | 'failed' {
    return this.current;
  }

  /** Why it failed (`null` while pending, when done, or when the owner closed the stream). */
  get error(): Error | null {
    return this.failure;
  }

  /** Run `listener` when the handshake settles (at once, synchronously, if it already has). */
  subscribe(listener: HandshakeListener): void {
    if (this.current === 'pending') this.listeners.push(listener);
    else listener(this.current === 'done', this.failure);
  }

  /** Fail the handshake with `error` and destroy the socket. No effect once settled. */
  fail(error: Error | null): void {
    if (this.settle(false, error)) this.socket?.destroy();
  }

  private settle(ok: boolean, error: Error | null): boolean {
    if (this.current !== 'pending') return false;
    this.current = ok ? 'done' : 'failed';
    this.failure = error;
    this.cleanup?.();
    this.cleanup = null;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener(ok, error);
    return true;
  }
}
