/**
 * Bytes written but not yet accepted by the transport, with the promises that
 * wait for them. Completion is tracked by absolute offsets: a write resolves once
 * every byte up to its end is done, so FIFO order falls out.
 *
 * "Done" depends on the transport. Most copy what they keep, so a byte is done
 * once handed over. A transport that sets `retainsWrites` keeps a reference to
 * the caller's memory (zero-copy) and reports through `released(n)` when it no
 * longer needs it; its bytes are done only then, so a resolved write always means
 * the caller may reuse its buffer.
 */

import { emptyArray, NOT_MADE, ownArray } from './empty-array.js';
import { Deferred } from './handled.js';

/** Most chunks handed to one `writevToFd` call: Linux's `IOV_MAX`. */
export const MAX_IOV = 1024;
/**
 * A queued chunk at least this big fills a system call of its own: a run of such chunks,
 * written separately and queued by backpressure, is flushed one `send` each rather than
 * as one vectored write (see {@link WriteQueue.flush}). Node's high-water mark.
 */
export const LARGE_CHUNK = 16 * 1024;

/** Whether every chunk of `chunks[from, to)` is a {@link LARGE_CHUNK} or more. */
function allLarge(chunks: readonly Buffer[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if ((chunks[i] as Buffer).length < LARGE_CHUNK) return false;
  return true;
}

/** A write's promise, settled once every byte up to `end` is done. */
class Waiter extends Deferred {
  /** Moved on by {@link WriteQueue.completionWithNewest} only, for writes that go over together. */
  constructor(public end: number) {
    super();
  }
}

export class WriteQueue {
  /** Both made by their first push (`NOT_MADE` until then, and again once the queue failed). */
  private chunks: Buffer[] = NOT_MADE;
  private head = 0;
  private waiters: Waiter[] = NOT_MADE;
  private waitHead = 0;
  /** Bytes ever written, whether queued or handed straight over. */
  private queuedTotal = 0;
  /** Bytes ever handed to the transport. */
  private sentTotal = 0;
  /** Bytes whose writes may resolve: `sentTotal`, or for a retaining transport what it released. */
  private doneTotal = 0;

  constructor(private readonly retains: boolean) {}

  /** Bytes queued and not yet handed over. */
  get length(): number {
    return this.queuedTotal - this.sentTotal;
  }

  get empty(): boolean {
    return this.head === this.chunks.length;
  }

  /** True when every write has completed (nothing queued, nothing held by a retaining transport). */
  get settled(): boolean {
    return this.doneTotal === this.queuedTotal;
  }

  /**
   * Record `n` bytes handed straight to the transport (the write fast path, queue empty), of
   * which a retaining transport already released `released` (from inside `writeToFd`).
   */
  sentDirect(n: number, released = 0): void {
    this.queuedTotal += n;
    this.sentTotal += n;
    if (!this.retains) this.doneTotal += n;
    else this.release(released);
    this.rebase();
  }

  /**
   * Everything written is done (so no write waits): count from zero again. The totals then
   * stay small integers on a long stream; past 2^30 bytes they would turn into heap numbers,
   * and that change of this object's shape throws away every optimized function using it
   * (measured: a dozen deoptimizations at the first GiB of a bulk send).
   */
  private rebase(): void {
    if (this.doneTotal !== this.queuedTotal || this.doneTotal === 0) return;
    this.queuedTotal = 0;
    this.sentTotal = 0;
    this.doneTotal = 0;
  }

  /** A promise for everything written so far; `null` when that is already done. */
  completion(): Promise<void> | null {
    if (this.doneTotal === this.queuedTotal) return null;
    const waiter = new Waiter(this.queuedTotal);
    this.waiters = ownArray(this.waiters);
    this.waiters.push(waiter);
    return waiter.promise;
  }

  /**
   * {@link completion}, sharing the newest waiting write's promise: that write then resolves
   * once everything written so far is done, not sooner. For writes that go over together
   * (those held for the end of a turn), where waiting for the batch costs nothing and a
   * promise per write would cost an allocation each.
   */
  completionWithNewest(): Promise<void> | null {
    if (this.doneTotal === this.queuedTotal) return null;
    const waiters = this.waiters;
    if (this.waitHead === waiters.length) return this.completion();
    const newest = waiters[waiters.length - 1] as Waiter;
    newest.end = this.queuedTotal;
    return newest.promise;
  }

  /** Queue one chunk (skipped if empty), without an array around it. */
  pushOne(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks = ownArray(this.chunks);
    this.chunks.push(chunk);
    this.queuedTotal += chunk.length;
  }

  /** Queue one chunk; the returned promise resolves when it is done. */
  enqueue(chunk: Buffer): Promise<void> {
    this.pushOne(chunk);
    return this.completion() ?? Promise.resolve();
  }

  /** Queue chunks (empty ones are skipped) without asking for a promise: see {@link completion}. */
  push(chunks: readonly Buffer[]): void {
    for (const c of chunks) this.pushOne(c);
  }

  /**
   * Hand queued bytes to the transport until it accepts less than offered, and resolve
   * the writes that completed. With `sendv` (the transport's `writevToFd`), two or more
   * queued chunks go over in one call, at most {@link MAX_IOV} at a time; otherwise, and
   * for a lone chunk, `send` takes one. Both return how many bytes were accepted.
   *
   * A run whose chunks are all {@link LARGE_CHUNK} or more goes one `send` each: joining
   * them saves no copy and next to no system call, and a full pipe takes one big vectored
   * write in part more often (measured: a 1 GiB send of 64 KiB writes to `cat` with
   * `drained()`, whose queued pairs went as 128 KiB writevs: 0.32-0.38 -> 0.27 s of the
   * sender's CPU, raw Node 0.20 s). An idle stream's `write([...])` of up to MAX_IOV chunks
   * does not come through here (`IOStream.writevDirect`: one call, large chunks or not).
   */
  flush(send: (chunk: Buffer) => number, sendv?: (chunks: Buffer[]) => number): void {
    const chunks = this.chunks;
    const before = this.sentTotal;
    while (this.head < chunks.length) {
      const count = chunks.length - this.head;
      const end = this.head + Math.min(count, MAX_IOV);
      if (sendv !== undefined && count > 1 && !allLarge(chunks, this.head, end)) {
        const run = chunks.slice(this.head, end);
        let offered = 0;
        for (const c of run) offered += c.length;
        const n = sendv(run);
        // Never more than offered: a confused transport must not count bytes it was not given.
        this.advance(n > 0 ? Math.min(n, offered) : 0);
        if (n >= offered) continue;
        break;
      }
      const chunk = chunks[this.head] as Buffer;
      const n = send(chunk);
      this.sentTotal += n;
      if (n >= chunk.length) {
        chunks[this.head++] = undefined as never;
        continue;
      }
      if (n > 0) chunks[this.head] = chunk.subarray(n);
      break;
    }
    if (this.head === chunks.length) {
      emptyArray(chunks);
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > chunks.length) {
      chunks.splice(0, this.head);
      this.head = 0;
    }
    if (!this.retains && this.sentTotal > before) {
      this.doneTotal = this.sentTotal;
      this.settleDone();
    }
  }

  /** Count `n` bytes from the head of the queue as handed over: whole chunks dropped, a partial one cut. */
  private advance(n: number): void {
    const chunks = this.chunks;
    this.sentTotal += n;
    while (n > 0 && this.head < chunks.length) {
      const chunk = chunks[this.head] as Buffer;
      if (n < chunk.length) {
        chunks[this.head] = chunk.subarray(n);
        return;
      }
      n -= chunk.length;
      chunks[this.head++] = undefined as never;
    }
  }

  /**
   * A retaining transport no longer needs the next `n` bytes it was handed
   * (cumulative, FIFO). Ignored for other transports, and never counts bytes
   * that were not handed over (a confused transport cannot resolve unsent writes).
   */
  release(n: number): void {
    if (!this.retains || !(n > 0)) return;
    this.doneTotal = Math.min(this.doneTotal + n, this.sentTotal);
    this.settleDone();
  }

  private settleDone(): void {
    const waiters = this.waiters;
    while (this.waitHead < waiters.length) {
      const w = waiters[this.waitHead] as Waiter;
      if (w.end > this.doneTotal) break;
      waiters[this.waitHead++] = undefined as never;
      w.resolve();
    }
    if (this.waitHead === waiters.length) {
      emptyArray(waiters);
      this.waitHead = 0;
      this.rebase();
    }
  }

  /**
   * Drop everything queued and reject every waiting write (handed over but unreleased
   * ones too, unless `handedOverIsDone`).
   *
   * @param handedOverIsDone the stream closes on the peer's clean EOF: a retaining
   *   transport's sent-but-unreleased bytes count as done. It took them, as a copying
   *   transport takes bytes whose writes then resolve; only its completion report
   *   (which over TLS comes a turn after the EOF) is missing.
   */
  fail(error: () => unknown, handedOverIsDone = false): void {
    // The transport can fail on a later chunk of the same flush() (the stream then closes from
    // inside it, before flush() settles): writes whose bytes it had already taken whole were
    // handed over, so they resolve rather than reject.
    if (!this.retains || handedOverIsDone) {
      this.doneTotal = this.sentTotal;
      this.settleDone();
    }
    const waiters = this.waiters;
    const first = this.waitHead;
    this.chunks = NOT_MADE;
    this.head = 0;
    this.waiters = NOT_MADE;
    this.waitHead = 0;
    this.sentTotal = this.queuedTotal;
    this.doneTotal = this.queuedTotal;
    // Marked handled as they are rejected (a write nobody awaits must not crash the process), see Deferred.
    for (let i = first; i < waiters.length; i++) (waiters[i] as Waiter).fail(error());
  }
}
