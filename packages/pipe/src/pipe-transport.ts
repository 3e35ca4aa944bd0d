import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { finished } from 'node:stream/promises';
import { EOF, type FdTransport, type TransportEvents } from '@iostream/core';

/**
 * Which way bytes move through a pipe descriptor: `'read'` (the read end),
 * `'write'` (the write end) or `'duplex'` (a socketpair or other two-way pipe).
 */
export type PipeDirection = 'read' | 'write' | 'duplex';

/** An `EPIPE` error as Node reports it, for writes to a pipe whose reader is gone. */
export function epipeError(): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error('write EPIPE');
  error.code = 'EPIPE';
  error.errno = -32;
  error.syscall = 'write';
  return error;
}

/**
 * An {@link FdTransport} over a `net.Socket` wrapping a pipe handle: libuv does
 * non-blocking reads and writes on the event loop, no thread-pool thread is held.
 *
 * Reads run the socket in flowing mode and pause it on every chunk until core
 * takes it (a one-chunk stash), so while core has no read interest the pipe
 * fills and the writer is held back. Writes are handed to the socket while it
 * holds less than its `writableHighWaterMark` of pending bytes; the rest stays
 * queued in core until `'drain'`. Writes are not copied: the transport `retainsWrites`
 * and reports each write's bytes through `events.released()` once Node is done with them.
 *
 * The socket is opened lazily, on the first `watch()`, which core calls only after
 * it has validated its options: a bad option never opens (or closes) a descriptor.
 */
export class PipeTransport implements FdTransport {
  /** Writes are not copied: core waits for `released` before resolving them. */
  readonly retainsWrites = true;
  private socket: Socket | null = null;
  private events: TransportEvents | null = null;
  private stash: Buffer | null = null;
  private ended: boolean;
  private interest = false;
  private released = false;
  private writeFinished = false;
  private fdError: Error | null = null;
  private fd = -1;
  private readonly readable: boolean;
  private readonly writable: boolean;

  /**
   * @param open returns the socket to drive; called once, from the first `watch()`.
   * @param direction which way bytes move; the other way is never touched.
   */
  constructor(
    private readonly open: () => Socket,
    direction: PipeDirection,
  ) {
    this.readable = direction !== 'write';
    this.writable = direction !== 'read';
    // A write-only pipe has nothing to read: core sees EOF at once.
    this.ended = !this.readable;
  }

  watch(events: TransportEvents): void {
    // Core may call watch again (detaching the stream); the socket is opened only once.
    this.events = events;
    if (this.socket !== null) return;
    const socket = this.open();
    this.socket = socket;
    this.fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    // Stays attached for the socket's life: a late EPIPE must never become an uncaught 'error'.
    socket.on('error', (error) => this.onError(error));
    socket.on('close', () => this.onClose());
    if (this.readable) {
      socket.pause();
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('end', () => this.onEnd());
    }
    if (this.writable) {
      socket.on('drain', () => this.deliver((e) => e.writable()));
      socket.on('finish', () => {
        this.writeFinished = true;
      });
    }
  }

  fileno(): number {
    return this.fd;
  }

  getFdError(): Error | null {
    return this.fdError;
  }

  readFromFd(): Uint8Array | null | EOF {
    const chunk = this.stash;
    if (chunk !== null) {
      this.stash = null;
      if (this.interest && !this.ended) this.socket?.resume();
      return chunk;
    }
    return this.ended ? EOF : null;
  }

  setReadInterest(on: boolean): void {
    this.interest = on;
    if (!this.readable || this.released || this.socket === null) return;
    if (!on) this.socket.pause();
    else if (this.stash === null) this.socket.resume();
  }

  writeToFd(data: Uint8Array): number {
    const socket = this.socket;
    if (!this.writable || socket === null) throw new TypeError('This pipe is not open for writing');
    if (this.fdError !== null) throw this.fdError;
    if (this.released || socket.destroyed || !socket.writable) throw epipeError();
    // Node completes a write synchronously when the pipe takes it all, and then promises
    // no 'drain': keep writing until the socket holds a high-water mark of pending bytes,
    // which is exactly when its write() set needDrain and a 'drain' will follow.
    let accepted = 0;
    while (accepted < data.length && !socket.errored) {
      const room = socket.writableHighWaterMark - socket.writableLength;
      if (room <= 0) break;
      const n = Math.min(room, data.length - accepted);
      // No copy: core resolves the write once Node is done with these bytes (the callback),
      // so the caller cannot reuse its memory while the pipe still holds a reference.
      socket.write(data.subarray(accepted, accepted + n), (error?: Error | null) => {
        if (!error) this.deliver((events) => events.released?.(n));
      });
      accepted += n;
    }
    return accepted;
  }

  shutdownWrite(): Promise<void> | undefined {
    const socket = this.socket;
    if (!this.writable || socket === null) return undefined;
    // On a FIFO, Node's shutdown is a no-op; EOF reaches the reader when core then closes the fd.
    socket.end();
    return finished(socket, { readable: false });
  }

  closeFd(): void {
    if (this.released) return;
    this.released = true;
    this.stash = null;
    this.socket?.destroy();
  }

  private deliver(fn: (events: TransportEvents) => void): void {
    if (!this.released && this.events !== null) fn(this.events);
  }

  private onData(chunk: Buffer): void {
    if (this.released) return;
    // Someone else may resume the socket (Node's child_process does after exit): keep one stash.
    this.stash = this.stash === null ? chunk : Buffer.concat([this.stash, chunk]);
    this.socket?.pause();
    this.deliver((e) => e.readable());
  }

  private onEnd(): void {
    this.ended = true;
    this.deliver((e) => e.readable());
  }

  private onError(error: Error): void {
    this.fdError ??= error;
    this.deliver((e) => e.error(error));
  }

  /** The socket went away without us (e.g. Node destroys a child's stdin when it exits). */
  private onClose(): void {
    this.ended = true;
    if (this.writable && !this.writeFinished) {
      this.fdError ??= epipeError();
      const error = this.fdError;
      this.deliver((e) => e.error(error));
    } else this.deliver((e) => e.readable());
  }
}
