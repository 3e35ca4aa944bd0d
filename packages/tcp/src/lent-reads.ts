import type { Socket } from 'node:net';
import { bufferView } from '@iostream/core';
import { type OnreadSlots, onreadSlots } from './accepted-slab-reads.js';
import type { ChunkSink } from './slab-reader.js';

/**
 * A loan made from outside a read that is smaller than this is declined (core copies
 * instead): pointing the handle there costs a native call and a listener (see
 * {@link MAX_REPOINTS}), and Node then reads at most the loan per system call; below
 * about half its own read size (64 KiB) that costs more than the copy it saves. Inside a
 * read any loan is taken: it is free, and lending the small rest of a target brings the
 * reads back in step with the caller's targets (else each `readInto` would find a read's
 * worth buffered, short by that rest, and copy from then on).
 */
export const MIN_LOAN = 32 * 1024;
/**
 * Most times a socket's handle is re-pointed from outside a read (`useUserBuffer`).
 * Each call leaves Node a small native listener (about 50 bytes, measured on Node 20)
 * that lives until the socket closes, so an unbounded number would be a slow leak on a
 * long bulk connection. 16,384 loans (about 800 KiB) cover 1 GiB of 64 KiB `readInto`s;
 * after that the socket's reads are copied as before, or lent from inside a read, which
 * costs nothing.
 */
export const MAX_REPOINTS = 16384;

/** Where lent bytes are delivered (a `SocketTransport`): the same sink the slab reader delivers to. */
export type LentChunkSink = ChunkSink;

interface ReadHandle {
  useUserBuffer(buffer: Uint8Array): void;
}

type Generate = () => Uint8Array;
type Callback = (n: number, buffer: Uint8Array) => boolean;

/**
 * `lendReadTarget` for a socket Node reads through `onread` (a `SlabReader`'s): Node
 * reads into the buffer the socket's `onread` generator last returned, or the one last
 * given to `handle.useUserBuffer()`. A loan points it at the caller's memory:
 *
 * - Lent from inside a read's callback (core lends the rest of a target after an
 *   arrival, or a read settled and core lends the next at once), the generator, which
 *   Node calls right after the callback, returns the loan: free.
 * - Lent from outside (a `readInto` called from user code), `useUserBuffer` points the
 *   handle at it now. No read happens while JavaScript runs, so the next one lands there.
 *
 * Node hands the callback the buffer it read into (the socket's `kBuffer` slot, which
 * this keeps in step with the handle), so a read is known to be in the loan by identity,
 * not by bookkeeping. Reads into a loan go to the sink as views of it; the loan shrinks
 * past them and ends when full. Withdrawn from outside a read, the handle is pointed
 * back at the reader's own buffer. Made on the first loan: the socket's generator and
 * callback are wrapped then, so connections that never lend pay nothing.
 */
export class ReadLender {
  /**
   * The lent memory not yet read into, as given to Node; `null` = no loan. At first the
   * caller's target itself (no view is made for it), then views of it past each read.
   */
  private loan: Uint8Array | null = null;
  /** Inside the socket's read callback: Node calls the generator next, so no re-pointing is needed. */
  private inRead = false;
  /** `useUserBuffer` calls so far (see {@link MAX_REPOINTS}). */
  private repoints = 0;
  private readonly generate: Generate;

  private constructor(
    private readonly socket: Socket,
    private readonly slots: OnreadSlots,
    private readonly sink: LentChunkSink,
  ) {
    const own = socket as unknown as Record<symbol, unknown>;
    const generate = own[slots.generator] as Generate;
    const callback = own[slots.callback] as Callback;
    this.generate = generate;
    own[slots.generator] = () => this.loan ?? generate();
    own[slots.callback] = (n: number, buffer: Uint8Array) => {
      this.inRead = true;
      try {
        if (this.loan !== null && buffer === this.loan) this.landed(n, this.loan);
        else return callback(n, buffer);
      } finally {
        this.inRead = false;
      }
      return true;
    };
  }

  /**
   * The lender of a socket read through `onread`, wrapping its generator and callback;
   * `null` when this Node keeps `onread` differently or the socket was not made with it.
   */
  static attach(socket: Socket, sink: LentChunkSink): ReadLender | null {
    const slots = onreadSlots();
    if (slots === null) return null;
    const own = socket as unknown as Record<symbol, unknown>;
    if (typeof own[slots.generator] !== 'function' || typeof own[slots.callback] !== 'function') return null;
    return new ReadLender(socket, slots, sink);
  }

  /** Core's `lendReadTarget`: read into `target` from the next read on, or (`null`) stop. */
  lend(target: Uint8Array | null): boolean {
    if (target === null) {
      if (this.loan === null) return true;
      this.loan = null;
      // Inside a read the generator comes next and points the handle at the reader's buffer.
      if (!this.inRead) this.point(this.generate());
      return true;
    }
    // Lent as it is: Node reads into any Uint8Array, and reads are told apart by identity.
    if (this.inRead) {
      this.loan = target;
      return true;
    }
    if (target.length < MIN_LOAN || this.repoints >= MAX_REPOINTS) return this.decline();
    this.loan = target;
    if (this.point(target)) return true;
    this.loan = null;
    return false;
  }

  /** Times the handle was re-pointed from outside a read so far (for tests). */
  get repointCount(): number {
    return this.repoints;
  }

  private decline(): false {
    this.lend(null);
    return false;
  }

  /** A read of `n` bytes landed in the loan: hand them on as a view, and lend on past them. */
  private landed(n: number, loan: Uint8Array): void {
    // `.buffer` is a call into V8's C++ side: read once a read.
    const memory = loan.buffer;
    const at = loan.byteOffset;
    const chunk = bufferView(memory, at, n);
    this.loan = n < loan.length ? bufferView(memory, at + n, loan.length - n) : null;
    this.sink.onChunk(chunk);
  }

  /** Point the handle, and the socket's record of it, at `buffer`; false without a handle. */
  private point(buffer: Uint8Array): boolean {
    const handle = (this.socket as unknown as { _handle?: ReadHandle | null })._handle;
    if (!handle || typeof handle.useUserBuffer !== 'function') return false;
    this.repoints++;
    handle.useUserBuffer(buffer);
    (this.socket as unknown as Record<symbol, unknown>)[this.slots.buffer] = buffer;
    return true;
  }
}
