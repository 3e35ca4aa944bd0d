/**
 * The seam between {@link IOStream} and whatever moves bytes. Core owns every
 * buffer and every state machine; a transport only moves bytes and reports
 * readiness (Tornado's fd methods plus the IOLoop's role).
 */

/** Returned by {@link FdTransport.readFromFd} once the peer has finished sending. */
export const EOF: unique symbol = Symbol.for('@iostream/core.EOF') as never;
export type EOF = typeof EOF;

/** Callbacks core gives a transport in {@link FdTransport.watch}. */
export interface TransportEvents {
  /** Bytes (or EOF) may be available: core will call `readFromFd()` until it returns `null`. */
  readable(): void;
  /** `writeToFd()` may accept bytes again after it last returned less than it was given. */
  writable(): void;
  /** The transport failed; core closes the stream with this error as the cause. */
  error(error: Error): void;
  /**
   * For a transport with {@link FdTransport.retainsWrites}: it no longer needs the
   * next `bytes` bytes it accepted (counted across writes, in the order accepted).
   * Core resolves writes as their bytes are released. Optional so that handlers
   * written before it existed still type-check; core always provides it.
   */
  released?(bytes: number): void;
}

/**
 * What a transport implements. The contract, in the order core uses it:
 *
 * - `watch(events)` is called from the `IOStream` constructor (and again, with
 *   handlers that ignore everything, when the stream is `detach`ed so that a new
 *   owner can take the transport over; the latest handlers win). From then on
 *   the transport calls `events.readable()` whenever it may have bytes or EOF,
 *   `events.writable()` when it can take bytes again, and `events.error(e)` when it
 *   breaks. It must not call them synchronously from inside a method that core is
 *   calling on it (schedule instead), so core never re-enters itself.
 * - `readFromFd()` returns a chunk of at least one byte, `null` when it would block,
 *   or {@link EOF} once the peer has finished (and keeps returning EOF). Core takes
 *   ownership of the returned bytes: never reuse that memory (unless core hands it
 *   back through `recycle`). Core may call it at any time, with or without a prior
 *   `readable()`.
 * - `recycle(chunk)`, optional: core has consumed every byte of `chunk` (one that
 *   `readFromFd()` returned, or several it returned back to back in adjacent memory,
 *   as one view) and handed out no view of it (it copied the bytes, as `readInto`
 *   does), so the transport may reuse that memory. Called at most once per byte; never
 *   for bytes a result still refers to. A hint: ignoring it is always correct.
 * - `lendReadTarget(target)`, optional: zero-copy reads for `readInto`. While a
 *   `readInto` waits with nothing buffered, and right after `readFromFd()` returned
 *   `null`, core lends the transport the part of the caller's buffer still to fill:
 *   read the next bytes straight into `target` (never more than `target.length`), and
 *   return each read from `readFromFd()` as a view of that memory, the first starting at
 *   `target.byteOffset`, each next one right after the one before (a read that fills
 *   the whole target may return `target` itself). Core counts such a chunk without
 *   copying it. Once the target is full, read into your own memory again (a transport
 *   may wait to see whether the caller lends the same target again, as long as nothing
 *   is read into it meanwhile). Return `false` to decline (core then copies, as without
 *   the method); a loan replaces any earlier one (core lends the rest again after each
 *   arrival that did not fill it). `lendReadTarget(null)` ends the loan (the read
 *   settled, was aborted, or the stream is closing): from then on write nothing into
 *   that memory, and return no view of it; bytes read into it and not yet returned must
 *   be copied out first. Bytes that arrive after that go wherever they went before.
 * - `setReadInterest(on)` tells the transport whether core wants bytes. While it is
 *   off, the transport should stop pulling from its medium (pause the socket), so the
 *   sender is held back by the medium's own flow control. Core only changes it when
 *   the value changes.
 * - `writeToFd(data)` hands bytes over and returns how many were accepted now
 *   (less than offered = would block; then call `events.writable()` once more may
 *   be accepted). Writes made before a connection is established simply return 0
 *   until it is. Over a Node stream, wait for `'drain'` only after `write()`
 *   returned false: a write that completed synchronously emits none.
 * - `writevToFd(chunks)`, optional, is `writeToFd` for several chunks at once (core
 *   uses it for `write([a, b, c])` and for a run of queued chunks): one system call
 *   where the medium has `writev`, so an array does not cost a call (and a TCP
 *   segment) per element. Same return value and rules, counted across the chunks.
 * - When a write resolves, its caller may reuse its memory. By default core
 *   resolves a write once its bytes are accepted, so the transport must not keep a
 *   reference to `data` after returning (copy what the medium holds on to). A
 *   transport that would rather not copy (Node's `socket.write` keeps the Buffer it
 *   is given until the kernel took it) sets `retainsWrites = true` and calls
 *   `events.released(n)` once it no longer needs `n` more of the accepted bytes,
 *   cumulatively and in the order accepted (e.g. from `socket.write`'s callback,
 *   with that write's length). It may do so from inside `writeToFd` for the bytes
 *   that call accepts, when it knows at once that it holds none of them (the kernel
 *   copied them before `socket.write` returned); that is the only event allowed
 *   from inside a call core made. Core then resolves a write only when all its bytes
 *   are released, `close()` rejects writes whose bytes are unreleased, and `end()`
 *   half-closes only after everything is released. `needsDrain` and `drained()`
 *   count only bytes core still queues: what the transport holds is bounded by its
 *   own backpressure (it accepts nothing more until `writable()`). After a failure
 *   just stop reporting: core rejects what was not released.
 * - `closeFd()` releases the medium; idempotent. After it, no events are delivered.
 * - `getFdError()` reports why the medium failed, if it did; core consults it when
 *   it sees EOF, so a reset surfaces as `stream.error`.
 * - Any method may throw; core then closes the stream with that error.
 */
export interface FdTransport {
  /** The OS descriptor, or -1 where there is none. */
  fileno(): number;
  /** A chunk (ownership passes to core), `null` = would block, or {@link EOF}. */
  readFromFd(): Uint8Array | null | EOF;
  /** Core is done with these bytes of earlier chunks and kept no view: their memory may be reused. */
  recycle?(chunk: Uint8Array): void;
  /**
   * Optional zero-copy reads: read the next bytes straight into `target` (a `readInto`
   * caller's memory, at most `target.length` bytes) and return them from `readFromFd()`
   * as views of it, in order from `target.byteOffset`; `null` ends the loan. Returns
   * whether the transport took the loan (`false`: core copies as usual). See the
   * contract above.
   */
  lendReadTarget?(target: Uint8Array | null): boolean;
  /** Bytes accepted now; `0` = would block (call `events.writable()` when that changes). */
  writeToFd(data: Uint8Array): number;
  /**
   * Optional vectored write: hand several chunks over at once, ideally as one
   * `writev(2)` (over a Node socket: `cork()`, a `write()` per chunk, `uncork()`,
   * which Node passes to the handle's `writev` together). Returns the bytes accepted
   * now, counted across `chunks` in order (a count that ends inside a chunk means that
   * chunk was taken in part); `0` = would block, as for `writeToFd`, whose contract
   * (ownership, `retainsWrites`, `released`) it shares. Core calls it with two to
   * 1024 chunks (`IOV_MAX`), none empty; without it, core calls `writeToFd` per chunk.
   */
  writevToFd?(chunks: readonly Uint8Array[]): number;
  /**
   * True when the transport keeps a reference to accepted bytes until it reports
   * `events.released(n)` (zero-copy writes). Read once, when the stream is created.
   * Default false: accepted bytes are the transport's (it copied them).
   */
  readonly retainsWrites?: boolean;
  /** Release the medium. Idempotent. */
  closeFd(): void;
  /** Why the medium failed, if it did. */
  getFdError(): Error | null;
  /** Register core's callbacks, replacing any registered before. */
  watch(events: TransportEvents): void;
  /** Whether core currently wants inbound bytes. */
  setReadInterest(on: boolean): void;
  /** Disable Nagle's algorithm, where the medium has one. */
  setNoDelay?(on: boolean): void;
  /**
   * Half-close: send EOF to the peer after everything already accepted by
   * `writeToFd`. Resolve (or return) once that is done. Without it, `end()`
   * closes the transport after flushing.
   */
  shutdownWrite?(): void | Promise<void>;
}
