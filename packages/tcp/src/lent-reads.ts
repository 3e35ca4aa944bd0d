import { Buffer } from 'node:buffer';
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
 * long bulk connection. A loop that lends the same target again re-points nothing after
 * its first loan (see {@link ReadLender}'s standing target); 16,384 loans (about 800 KiB)
 * cover 1 GiB of 64 KiB `readInto`s into ever different targets; after that the socket's
 * reads are copied as before, or lent from inside a read, which costs nothing.
 */
export const MAX_REPOINTS = 16384;

/** Where lent bytes are delivered (a `SocketTransport`): the same sink the slab reader delivers to. */
export type LentChunkSink = ChunkSink;

interface ReadHandle {
  useUserBuffer(buffer: Uint8Array): void;
}

/**
 * Microtask turns a standing target waits to be lent again before the handle is pointed
 * away from it: the caller's `await readInto(target)` resumes in the first, and each
 * async function between that await and the loop that lends again adds one.
 */
const STANDING_TURNS = 2;
const RESOLVED = Promise.resolve();

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
 *
 * A read that fills a loan leaves the handle pointed at the caller's target ("standing"):
 * a `readInto` loop lends the same target again from its continuation, which runs in the
 * microtasks after the read's callback, and the handle is then already there (no
 * `useUserBuffer`, no listener left behind, no {@link MAX_REPOINTS} reached). Node reads
 * nothing while JavaScript runs, microtasks included, so no byte lands in a standing
 * target unless it is lent again: a few microtask turns later ({@link STANDING_TURNS}),
 * before Node reads again, a target nobody lent is left (the handle is pointed back at
 * the reader's own buffer).
 */
export class ReadLender {
  /**
   * The lent memory not yet read into, as given to Node; `null` = no loan. At first the
   * caller's target itself (no view is made for it), then views of it past each read.
   */
  private loan: Uint8Array | null = null;
  /**
   * The caller's target that the handle still points at after a read filled it, lent to
   * nobody; `null` when none. Never outlives the microtasks after that read
   * ({@link checkStanding}).
   */
  private standing: Uint8Array | null = null;
  /**
   * What the last loan made from outside a read lent: the whole target, which a loop lends
   * again (a read may have filled only the rest of it). Forgotten when a loan ends.
   */
  private origin: Uint8Array | null = null;
  /** Microtask turns {@link checkStanding} has waited for the standing target to be lent again. */
  private turns = 0;
  /** Given up by the transport ({@link stop}): the handle is pointed nowhere any more. */
  private stopped = false;
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
    own[slots.generator] = () => this.loan ?? this.standing ?? generate();
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
    // A loan that ends (the read settled) leaves no target to stand on past that read.
    if (target === null) this.origin = null;
    // Inside a read the generator comes next and points the handle at the loan, or else the
    // reader's own buffer. Lent as it is: Node reads into any Uint8Array, and reads are told
    // apart by identity.
    if (this.inRead) {
      this.loan = target;
      return true;
    }
    // Where the handle reads next: the loan, a standing target, or (null) the reader's buffer.
    const pointed = this.loan ?? this.standing;
    this.standing = null;
    if (target === pointed) {
      // Already there (a readInto loop lending its target again): nothing to re-point.
      if (target !== null) this.origin = target;
      this.loan = target;
      return true;
    }
    if (target !== null && target.length >= MIN_LOAN && this.repoints < MAX_REPOINTS && this.point(target)) {
      this.origin = target;
      this.loan = target;
      return true;
    }
    // Withdrawn or declined (core then copies): the handle goes back to the reader's buffer.
    this.loan = null;
    if (pointed !== null) this.point(this.generate());
    return target === null;
  }

  /**
   * The transport gives the socket up (a TLS upgrade takes it over): point the handle away
   * from a standing target now, before anyone else reads the socket, and point it nowhere
   * after that.
   */
  stop(): void {
    if (this.stopped) return;
    this.origin = null;
    if (this.standing !== null) {
      this.standing = null;
      this.point(this.generate());
    }
    this.stopped = true;
  }

  /** Times the handle was re-pointed from outside a read so far (for tests). */
  get repointCount(): number {
    return this.repoints;
  }

  /** A read of `n` bytes landed in the loan: hand them on, and lend on past them. */
  private landed(n: number, loan: Uint8Array): void {
    if (n < loan.length) {
      // `.buffer` is a call into V8's C++ side: read once a read.
      const memory = loan.buffer;
      const at = loan.byteOffset;
      this.loan = bufferView(memory, at + n, loan.length - n);
      this.sink.onChunk(bufferView(memory, at, n));
      return;
    }
    // Filled. A Buffer goes on as it is (no view to make; core knows its own target by
    // identity), and unless the sink lent again, the handle stays on the caller's target.
    // The read settles in the sink, which ends the loan (and forgets the origin) as it does.
    const origin = this.origin;
    this.loan = null;
    this.sink.onChunk(loan instanceof Buffer ? loan : bufferView(loan.buffer, loan.byteOffset, n));
    if (this.loan === null && origin !== null && !this.stopped) this.stand(origin);
  }

  /** Leave the handle on `target` (the generator returns it next) until {@link checkStanding}. */
  private stand(target: Uint8Array): void {
    this.standing = target;
    this.turns = 0;
    void RESOLVED.then(this.checkStanding);
  }

  /**
   * A microtask after the read that left a target standing: if it was not lent again by
   * now (after {@link STANDING_TURNS} turns), point the handle back at the reader's
   * buffer, before Node reads again. Made once per lender.
   */
  private readonly checkStanding = (): void => {
    if (this.standing === null) return;
    if (this.turns < STANDING_TURNS) {
      this.turns++;
      void RESOLVED.then(this.checkStanding);
      return;
    }
    // Not lent again: forget it (the caller's memory is not kept alive by the socket).
    this.standing = null;
    this.origin = null;
    if (!this.stopped) this.point(this.generate());
  };

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
