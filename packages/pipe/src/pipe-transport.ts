import type { Socket } from 'node:net';
import { finished } from 'node:stream/promises';
import { EOF, type FdTransport, RetainedWrites, type TransportEvents } from '@iostream/core';
import { ReadLender, readStartedSocketIntoSlabs, type SlabReader } from '@iostream/tcp';
import { pipeError } from './errors.js';

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
 * Reads: Node reads the pipe into slabs (`readStartedSocketIntoSlabs`; `'data'` events where it
 * cannot, such as Bun's stdio streams), and lends the handle a `readInto` target
 * (`lendReadTarget`); chunks wait in a small stash until core pulls them. Read interest is
 * `pause()`/`resume()`, so while core wants nothing (its buffer is full) the pipe fills and
 * the writer is held back. Writes are not copied: the transport `retainsWrites`, hands each
 * chunk to the socket whole and reports its bytes through `events.released()` once Node is
 * done with them ({@link RetainedWrites}); an array goes over as one `writev(2)`
 * (`writevToFd`); after `write()` returns false it takes nothing until `'drain'`.
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
  /** Whether core wants bytes (its last `setReadInterest`). */
  private wanted = false;
  private fdError: Error | null = null;
  /** Node reads into its slabs (set in `watch()`); `null` while reads come as `'data'` events. */
  private reader: SlabReader | null = null;
  /** Made on the first loan; `null` if this socket cannot lend. */
  private lender: ReadLender | null | undefined;
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
      socket.on('end', () => {
        this.ended = true;
        this.events?.readable();
      });
      // Node reads into slabs (measured over a child's stdout, 1 GiB, the reader's CPU: readInto
      // 0.75 -> 0.36 s, readBytes 0.77 -> 0.45 s; raw 'data' events 0.45 s).
      const slabs = readStartedSocketIntoSlabs(socket);
      if (slabs !== undefined) {
        this.reader = slabs.reader;
        slabs.reader.sink = this;
        this.stash.push(...slabs.head);
      } else {
        socket.on('data', (chunk: Buffer) => this.onChunk(chunk));
      }
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

  /** @internal Each read's bytes: from the slab reader or the lender, or a `'data'` event. */
  onChunk(chunk: Buffer): void {
    // Core pulls synchronously from readable(), so this stash rarely holds more than one chunk.
    this.stash.push(chunk);
    this.events?.readable();
    // Someone else resumed the socket while core wants nothing (Node's child_process resumes
    // a child's stdout when the child exits, and a grandchild may still be writing): pause it
    // again, or nothing holds the writer back and the stash grows without bound.
    if (!this.wanted && !this.released) this.socket?.pause();
  }

  /** Core copied these bytes out and kept no view: the slab reader may reuse their memory. */
  recycle(chunk: Uint8Array): void {
    this.reader?.recycle(chunk);
  }

  /** `readInto` straight into the caller's buffer: the handle reads into `target` ({@link ReadLender}). */
  lendReadTarget(target: Uint8Array | null): boolean {
    if (this.lender === undefined) {
      if (target === null || this.released || this.reader === null || this.socket === null) return target === null;
      this.lender = ReadLender.attach(this.socket, this);
    }
    if (this.lender === null) return target === null;
    // Closed: the socket reads nothing more for this transport.
    if (this.released && target !== null) return false;
    return this.lender.lend(target);
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
    this.wanted = on;
    if (!this.readable || this.released || this.socket === null) return;
    if (on) this.socket.resume();
    else this.socket.pause();
  }

  writeToFd(data: Uint8Array): number {
    return this.openWrites().write(data);
  }

  /** Several chunks in one `writev(2)`: the socket corked around their writes ({@link RetainedWrites.writev}). */
  writevToFd(chunks: readonly Uint8Array[]): number {
    return this.openWrites().writev(chunks);
  }

  /** The writes, while the pipe can take one; throws once it failed or is gone (or was never writable). */
  private openWrites(): RetainedWrites {
    const socket = this.socket;
    const writes = this.writes;
    if (writes === null || socket === null) throw new TypeError('This pipe is not open for writing');
    if (this.fdError !== null) throw this.fdError;
    if (this.released || socket.destroyed || !socket.writable) throw this.closeCause();
    return writes;
  }

  /**
   * Why the socket is gone: the error it failed with, else `EPIPE`. Node sets
   * `socket.errored` as it destroys the socket and emits `'error'` a turn later, so a
   * write in between reads the real cause from there.
   */
  private closeCause(): Error {
    const errored: unknown = this.socket?.errored;
    this.fdError ??= errored ? pipeError(errored) : epipeError();
    return this.fdError;
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

  private onError(error: unknown): void {
    this.fdError ??= pipeError(error);
    this.events?.error(this.fdError);
  }

  /** The socket went away without us (e.g. Node destroys a child's stdin when it exits). */
  private onClose(): void {
    this.ended = true;
    if (this.writable && this.socket?.writableFinished !== true) this.events?.error(this.closeCause());
    else this.events?.readable();
  }
}
