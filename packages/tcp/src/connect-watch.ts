import type { Socket } from 'node:net';
import { AbortError } from '@iostream/core';
import { ConnectTimeoutError, SocketClosedError, socketError } from './errors.js';

/** Called once when the watch settles: `ok`, or why it failed (`null`: closed by the stream's owner). */
export type ConnectListener = (ok: boolean, error: Error | null) => void;

/** What a {@link ConnectWatch} waits for, and its limits. */
export interface ConnectWatchOptions {
  /** The socket event that means ready: `'connect'` (tcp) or `'secureConnect'` (a TLS client). */
  readyEvent: string;
  /** While the socket is still connecting: give up after this many ms with `ConnectTimeoutError`. */
  connectTimeout?: number | undefined;
  /** From the TCP connection until ready (a TLS handshake): give up after `timeout` ms with `error()`. */
  afterConnect?: { timeout: number; error: () => Error } | undefined;
  /** Give up with core's `AbortError` when it aborts (at once, on a later microtask, if it already has). */
  signal?: AbortSignal | undefined;
  /** Why the socket closed before it was ready; default a {@link SocketClosedError}. */
  closeReason?: (() => Error | null) | undefined;
}

/**
 * Whether a socket got ready: pending until its ready event, a socket error, the socket
 * closing, a timeout or the signal. Listeners run synchronously, in order, at the moment it
 * settles, so a caller's promise settles before the stream's own reads and writes do (make
 * the watch before the transport, so its socket listeners run first). On failure the
 * socket is destroyed. `connect` (tcp) and the TLS handshake (`@iostream/tls`) use it.
 */
export class ConnectWatch {
  private current: 'pending' | 'done' | 'failed';
  private failure: Error | null = null;
  private listeners: ConnectListener[] = [];
  private cleanup: (() => void) | null = null;

  /** `socket` `null`: a watch that is already done. */
  constructor(
    private readonly socket: Socket | null,
    options: ConnectWatchOptions,
  ) {
    this.current = socket === null ? 'done' : 'pending';
    if (socket === null) return;
    let timer: NodeJS.Timeout | undefined;
    const { readyEvent, signal, connectTimeout, afterConnect, closeReason } = options;
    const onConnected = () => {
      clearTimeout(timer);
      timer = undefined;
      if (afterConnect !== undefined) timer = setTimeout(() => this.fail(afterConnect.error()), afterConnect.timeout);
    };
    const onReady = () => this.settle(true, null);
    // A value that is not an Error (`socket.destroy('x')`) is wrapped: `connected` rejects with an Error as `realError`.
    const onError = (error: unknown) => this.fail(socketError(error));
    const onClose = () => this.fail(closeReason ? closeReason() : new SocketClosedError());
    const onAbort = () => this.fail(new AbortError(signal?.reason));
    socket.once(readyEvent, onReady);
    socket.once('error', onError);
    socket.once('close', onClose);
    if (socket.connecting) {
      // For a TLS socket 'connect' comes first (the TCP connection), then its ready event.
      if (readyEvent !== 'connect') socket.once('connect', onConnected);
      if (connectTimeout !== undefined)
        timer = setTimeout(() => this.fail(new ConnectTimeoutError(connectTimeout)), connectTimeout);
    } else onConnected();
    this.cleanup = () => {
      clearTimeout(timer);
      socket.off(readyEvent, onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('connect', onConnected);
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

  /** Run `listener` when the watch settles (at once, synchronously, if it already has). */
  subscribe(listener: ConnectListener): void {
    if (this.current === 'pending') this.listeners.push(listener);
    else listener(this.current === 'done', this.failure);
  }

  /** Fail with `error` and destroy the socket. No effect once settled. */
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
