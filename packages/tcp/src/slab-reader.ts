import { Buffer } from 'node:buffer';
import type { OnReadOpts } from 'node:net';
import { bufferView } from '@iostream/core';

/**
 * Slab size while bytes arrive in bulk: Node's own read size. Such slabs cover 64 KiB-aligned
 * runs of the stream, so a reader taking 64 KiB at a time gets each as one view.
 */
export const LARGE_SLAB = 64 * 1024;
/**
 * Slab size while reads are small, and at the start: what a quiet connection holds. Node's
 * `'data'` path holds nothing between reads; a slab reader must always offer Node a buffer,
 * so this is kept small (at 64 KiB, 1,000 connections held 130 MiB more).
 */
export const SMALL_SLAB = 8 * 1024;
/** A read at least this big means bytes are arriving in bulk: the next slab is large. */
const BULK_READ = SMALL_SLAB;
/** After this many reads in a row below {@link BULK_READ}, large slabs give way to small ones. */
const QUIET_READS = 64;
/** Retired large slabs kept for reuse once core has recycled all their bytes. */
const MAX_FREE = 4;
/**
 * Slabs the reader tracks for `recycle` (the current one and the one before it); an
 * older one is left to the garbage collector. Keep this small: a slab referenced
 * longer than its views survives young-generation collections, is promoted, and then
 * waits for a full collection. Measured: 1 MiB slabs, or a list of 8 slabs of 64 KiB,
 * took W2/W4's await forms from about 57 to about 120 MiB peak RSS.
 */
const MAX_LIVE = 2;

interface Slab {
  /** The slab's memory and offset in it, for making views without `subarray` (about half the cost). */
  ab: ArrayBuffer;
  base: number;
  /** Bytes of it in use: reads fill it up to here. */
  size: number;
  /** Bytes handed to the sink and not recycled yet. */
  out: number;
}

/**
 * Reads a socket straight into slabs, for `net.connect`'s `onread` option (and for
 * accepted sockets, see `readAcceptedIntoSlabs`).
 *
 * Node reads into whatever buffer `onread.buffer()` last returned: here the rest
 * of the current slab after the previous read. Each read's bytes are handed to
 * `sink` as a view, which the reader never writes to again (the next read goes
 * after them), so core may keep it; a new slab is taken once the current one is
 * full. No copy. A short read is followed by one that fills the slab up.
 *
 * Slabs come in two sizes. A connection starts with small ones ({@link SMALL_SLAB}),
 * which is all a quiet connection holds. A read of {@link BULK_READ} or more switches
 * to large ones ({@link LARGE_SLAB}), each ending at a 64 KiB multiple of the stream
 * (the first one is shorter to get there), so large slabs hold 64 KiB-aligned runs of
 * the stream; core joins chunks adjacent in memory, so a 64 KiB read at such a
 * boundary is one view. After {@link QUIET_READS} small reads in a row the reader
 * goes back to small slabs, dropping the rest of the large one.
 *
 * A retired large slab whose every byte core has handed back through {@link recycle}
 * (it copied them out, as `readInto` does, and kept no view) is reused, so a
 * copying reader runs in a few slabs of memory. Otherwise a slab is freed by the
 * garbage collector once no view of it is referenced.
 */
export class SlabReader {
  /** Receives each read's bytes (a view the reader will not reuse unless recycled). */
  sink: ((chunk: Buffer) => void) | null = null;
  private readonly free: Slab[] = [];
  /** The current slab and recently retired ones, oldest first. */
  private readonly live: Slab[] = [];
  private current: Slab;
  private used = 0;
  /** Whether slabs are large (bulk) rather than small. */
  private bulk = false;
  /** Reads in a row below BULK_READ (0 right after a bulk read); a new connection counts as quiet. */
  private quiet = QUIET_READS;
  /** Bytes read so far, modulo 64 KiB: where the next byte falls in a 64 KiB run of the stream. */
  private phase = 0;

  constructor() {
    this.current = this.take(SMALL_SLAB);
  }

  /** Pass as `onread` to `net.connect`. */
  readonly onread: OnReadOpts = {
    buffer: () => {
      const wantBulk = this.bulk ? this.quiet < QUIET_READS : this.quiet === 0;
      if (this.used === this.current.size || wantBulk !== this.bulk) this.next(wantBulk);
      const slab = this.current;
      return bufferView(slab.ab, slab.base + this.used, slab.size - this.used);
    },
    callback: (n: number) => {
      // The bytes landed in the region returned above, which starts at `used`.
      const slab = this.current;
      const chunk = bufferView(slab.ab, slab.base + this.used, n);
      this.used += n;
      this.phase = (this.phase + n) % LARGE_SLAB;
      slab.out += n;
      // Counted only up to QUIET_READS: all the decision needs (and it stays a small integer).
      if (n >= BULK_READ) this.quiet = 0;
      else if (this.quiet < QUIET_READS) this.quiet++;
      this.sink?.(chunk);
      return true;
    },
  };

  /** The size of the slab Node reads into next (for tests and diagnostics). */
  get slabSize(): number {
    return this.current.size;
  }

  /** Core copied these bytes out and kept no view of them: their memory may be reused. */
  recycle(chunk: Uint8Array): void {
    const live = this.live;
    const memory = chunk.buffer;
    for (let i = live.length - 1; i >= 0; i--) {
      const slab = live[i] as Slab;
      if (slab.ab !== memory) continue;
      slab.out -= chunk.length;
      if (slab.out === 0 && slab !== this.current) this.keep(slab);
      return;
    }
  }

  /** Retire the current slab (full, or switching sizes) and take the next one. */
  private next(bulk: boolean): void {
    const retired = this.current;
    if (bulk !== this.bulk) {
      this.bulk = bulk;
      // Back to small slabs: a quiet connection keeps no large ones for later.
      if (!bulk) this.free.length = 0;
    }
    // Large slabs end on 64 KiB multiples of the stream; small ones just fill up.
    const size = bulk ? LARGE_SLAB - this.phase : SMALL_SLAB;
    this.current = this.take(size);
    this.used = 0;
    if (retired.out === 0) this.keep(retired);
  }

  private take(size: number): Slab {
    let slab = size === LARGE_SLAB ? this.free.pop() : undefined;
    if (slab === undefined) {
      // Uninitialised memory: every byte is written by a read before it is handed out.
      const buf = Buffer.allocUnsafeSlow(size);
      slab = { ab: buf.buffer, base: buf.byteOffset, size, out: 0 };
    }
    // No map from memory to slab (a WeakMap keyed by ArrayBuffers delays their collection):
    // a short list searched by identity.
    if (this.live.push(slab) > MAX_LIVE) this.live.shift();
    return slab;
  }

  /** A retired slab with nothing handed out: stop tracking it, and keep it for reuse if it is a whole large one. */
  private keep(slab: Slab): void {
    const i = this.live.indexOf(slab);
    if (i >= 0) this.live.splice(i, 1);
    if (this.bulk && slab.size === LARGE_SLAB && this.free.length < MAX_FREE) this.free.push(slab);
  }
}
