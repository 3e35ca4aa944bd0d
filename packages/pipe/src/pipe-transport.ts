import type { Socket } from 'node:net';
import { finished } from 'node:stream/promises';
import { EOF, type FdTransport, RetainedWrites, type TransportEvents } from '@iostream/core';

/**
 * Which way bytes move through a pipe descriptor: `'read'` (the read end),
 * `'write'` (the write end) or `'duplex'` (a socketpair or other two-way pipe).
 */
export type PipeDirection = 'read' | 'write' | 'duplex';

/** An `EPIPE` error as Node reports it, for writes to a pipe whose reader is gone. */
function epipeError(): NodeJS.ErrnoException {
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
 * Reads: `'data'` chunks wait in a small stash until core pulls them; read interest is
 * `pause()`/`resume()`, so while core wants nothing (its buffer is full) the pipe fills and
 * the writer is held back. Writes are not copied: the transport `retainsWrites`, hands each
 * chunk to the socket whole and reports its bytes through `events.released()` once Node is
 * done with them ({@link RetainedWrites}); after `write()` returns false it takes nothing
 * until `'drain'`.
 *
 * The socket is opened lazily, on the first `watch()`, which core calls only after
 * it has validated its options: a bad option never opens (or closes) a descriptor.
 */
export class PipeTransport implements FdTransport {
  /** Writes are not copied: core waits for `released` before resolving them. */
  readonly retainsWrites = true;
  private socket: Socket | null = null;
  private writes: RetainedWrites | null = null;
  private events: TransportEvents | null = null;
  private readonly stash: Buffer[] = [];
  private ended: boolean;
  private released = false;
  private fdError: Error | null = null;
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
    if (this.socket !== null || this.released) return;
    const socket = this.open();
    this.socket = socket;
    // Stays attached for the socket's life: a late EPIPE must never become an uncaught 'error'.
    socket.on('error', (error) => this.onError(error));
    socket.on('close', () => this.onClose());
    if (this.readable) {
      socket.pause();
      socket.on('data', (chunk: Buffer) => {
        // Core pulls synchronously from readable(), so this stash rarely holds more than one
        // chunk; it holds several only while someone else resumes the socket (Node's
        // child_process does after exit) while core wants nothing.
        this.stash.push(chunk);
        this.events?.readable();
      });
      socket.on('end', () => {
        this.ended = true;
        this.events?.readable();
      });
    }
    if (this.writable) {
      // A pipe write the kernel takes whole is done inside write(): released at once.
      const writes = new RetainedWrites(socket, (n) => this.events?.released?.(n), { direct: true });
      this.writes = writes;
      socket.on('drain', () => {
        writes.drained();
        this.events?.writable();
      });
    }
  }

  /** The pipe's descriptor while it is open, else -1. */
  fileno(): number {
    const fd = (this.socket as unknown as { _handle?: { fd?: unknown } | null } | null)?._handle?.fd;
    return typeof fd === 'number' && fd >= 0 ? fd : -1;
  }

  getFdError(): Error | null {
    return this.fdError;
  }

  readFromFd(): Uint8Array | null | EOF {
    const chunk = this.stash.shift();
    if (chunk !== undefined) return chunk;
    return this.ended ? EOF : null;
  }

  setReadInterest(on: boolean): void {
    if (!this.readable || this.released || this.socket === null) return;
    if (on) this.socket.resume();
    else this.socket.pause();
  }

  writeToFd(data: Uint8Array): number {
    const socket = this.socket;
    const writes = this.writes;
    if (writes === null || socket === null) throw new TypeError('This pipe is not open for writing');
    if (this.fdError !== null) throw this.fdError;
    if (this.released || socket.destroyed || !socket.writable) throw epipeError();
    return writes.write(data);
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
    this.events = null;
    this.stash.length = 0;
    this.socket?.destroy();
  }

  private onError(error: Error): void {
    this.fdError ??= error;
    this.events?.error(error);
  }

  /** The socket went away without us (e.g. Node destroys a child's stdin when it exits). */
  private onClose(): void {
    this.ended = true;
    if (this.writable && this.socket?.writableFinished !== true) {
      this.fdError ??= epipeError();
      this.events?.error(this.fdError);
    } else this.events?.readable();
  }
}
