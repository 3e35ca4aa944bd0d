import { Buffer } from 'node:buffer';
import type { OnReadOpts } from 'node:net';
import { bufferView } from '@iostream/core';

/** Bytes allocated at once (Node's own read size); reads fill it one after another. */
const SLAB_SIZE = 64 * 1024;
/** Retired slabs kept for reuse once core has recycled all their bytes. */
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
  /** Bytes handed to the sink and not recycled yet. */
  out: number;
}

/**
 * Reads a socket straight into large slabs, for `net.connect`'s `onread` option.
 *
 * Node reads into whatever buffer `onread.buffer()` last returned: here the rest
 * of the current slab after the previous read. Each read's bytes are handed to
 * `sink` as a view, which the reader never writes to again (the next read goes
 * after them), so core may keep it; a new slab is taken once the current one is
 * full. No copy. A short read is followed by one that fills the slab up, so
 * slabs hold 64 KiB-aligned runs of the stream, and core, which joins chunks
 * adjacent in memory, serves a 64 KiB read at such a boundary as one view.
 *
 * A retired slab whose every byte core has handed back through {@link recycle}
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
  private current = this.take();
  private used = 0;

  /** Pass as `onread` to `net.connect`. */
  readonly onread: OnReadOpts = {
    buffer: () => {
      if (this.used === SLAB_SIZE) {
        const retired = this.current;
        this.current = this.take();
        this.used = 0;
        if (retired.out === 0) this.keep(retired);
      }
      const slab = this.current;
      return bufferView(slab.ab, slab.base + this.used, SLAB_SIZE - this.used);
    },
    callback: (n: number) => {
      // The bytes landed in the region returned above, which starts at `used`.
      const slab = this.current;
      const chunk = bufferView(slab.ab, slab.base + this.used, n);
      this.used += n;
      slab.out += n;
      this.sink?.(chunk);
      return true;
    },
  };

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

  private take(): Slab {
    let slab = this.free.pop();
    if (slab === undefined) {
      // Uninitialised memory: every byte is written by a read before it is handed out.
      const buf = Buffer.allocUnsafeSlow(SLAB_SIZE);
      slab = { ab: buf.buffer, base: buf.byteOffset, out: 0 };
    }
    // No map from memory to slab (a WeakMap keyed by ArrayBuffers delays their collection):
    // a short list searched by identity.
    if (this.live.push(slab) > MAX_LIVE) this.live.shift();
    return slab;
  }

  /** A retired slab with nothing handed out: stop tracking it, and keep it for reuse. */
  private keep(slab: Slab): void {
    const i = this.live.indexOf(slab);
    if (i >= 0) this.live.splice(i, 1);
    if (this.free.length < MAX_FREE) this.free.push(slab);
  }
}
