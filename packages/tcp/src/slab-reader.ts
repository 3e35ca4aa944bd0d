import { Buffer } from 'node:buffer';
import { bufferView } from '@iostream/core';

/**
 * Slab size while bytes arrive in bulk: Node's own read size. Such slabs cover 64 KiB-aligned
 * runs of the stream, so a reader taking 64 KiB at a time gets each as one view.
 */
export const LARGE_SLAB = 64 * 1024;
/** Size of the landing buffer that every reader not receiving in bulk shares: as much as one read takes. */
export const LANDING_SIZE = 64 * 1024;
/** A read at least this big means bytes are arriving in bulk: the stream takes slabs of its own. */
export const BULK_READ = 16 * 1024;
/** After this many reads in a row below {@link BULK_READ}, a stream gives its slab back and lands again. */
export const QUIET_READS = 16;
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

/**
 * The one landing buffer of the process, made on first use. Sharing it is safe because
 * Node reads a socket and calls its `onread` callback synchronously, one socket at a time
 * (libuv's read, then `onStreamRead`, which calls the callback and then asks for the next
 * buffer): the callback copies the bytes out before anything else can read into it.
 */
let landing: Buffer | null = null;

function landingBuffer(): Buffer {
  // Uninitialised memory: a read writes every byte the callback copies out.
  landing ??= Buffer.allocUnsafeSlow(LANDING_SIZE);
  return landing;
}

/** Below this many bytes a JavaScript loop copies faster than `Buffer#copy` (16 B: 68 ns against 170). */
const LOOP_COPY_MAX = 64;
/**
 * Small copies are carved out of a pool of this size, as `Buffer.allocUnsafe` carves its
 * small Buffers out of Node's 8 KiB pool; a held copy keeps its pool alive the same way.
 */
const COPY_POOL_SIZE = 8 * 1024;
let copyPool: ArrayBuffer | null = null;
let copyPoolUsed = COPY_POOL_SIZE;

/**
 * The first `n` bytes of the landing buffer, copied into a Buffer of their own. A small read
 * (one line, one message) is copied by a loop into the pool, skipping `Buffer.allocUnsafe`'s
 * argument checks: about 175 instructions less per read (callgrind), on every small read.
 */
function copyOutOfLanding(n: number): Buffer {
  const from = landing as Buffer;
  if (n > LOOP_COPY_MAX) {
    const chunk = Buffer.allocUnsafe(n);
    from.copy(chunk, 0, 0, n);
    return chunk;
  }
  if (COPY_POOL_SIZE - copyPoolUsed < n) {
    copyPool = new ArrayBuffer(COPY_POOL_SIZE);
    copyPoolUsed = 0;
  }
  const chunk = bufferView(copyPool as ArrayBuffer, copyPoolUsed, n);
  // Each copy starts 8-byte aligned, as Node's pool keeps its Buffers.
  copyPoolUsed += (n + 7) & ~7;
  for (let i = 0; i < n; i++) chunk[i] = from[i] as number;
  return chunk;
}

/** Where a reader delivers each read's bytes (a `SocketTransport`). */
export interface ChunkSink {
  onChunk(chunk: Buffer): void;
}

interface Slab {
  /**
   * The whole slab: what Node reads into, and the chunk handed on, when a read starts at
   * its beginning or fills all of it (a bulk reader's every read): no view to make.
   */
  buf: Buffer;
  /** The slab's memory and offset in it, for making views without `subarray` (about half the cost). */
  ab: ArrayBuffer;
  base: number;
  /** Bytes of it in use: reads fill it up to here. */
  size: number;
  /** Bytes handed to the sink and not recycled yet. */
  out: number;
}

/**
 * Reads a socket for `net.connect`'s `onread` option (and for accepted sockets, see
 * `readAcceptedIntoSlabs`), holding no memory of its own until bytes arrive in bulk.
 *
 * Node reads into whatever buffer `onread.buffer()` last returned. A stream starts,
 * and stays while its reads are small, on the process-wide landing buffer
 * ({@link LANDING_SIZE}): the callback copies each read's bytes out at once
 * (`Buffer.allocUnsafe`, which carves small ones out of Node's shared pool) and hands
 * the copy to `sink`. An idle connection with a read pending holds no read memory;
 * Node's own `'data'` path holds none between reads either.
 *
 * A read of {@link BULK_READ} or more switches the stream to slabs of its own
 * ({@link LARGE_SLAB}), read into without a copy: each read's bytes go to `sink` as a
 * view the reader never writes to again (the next read goes after them), so core may
 * keep it. Slabs end at 64 KiB multiples of the stream (the first one is shorter to
 * get there), so core, which joins chunks adjacent in memory, gets a 64 KiB read at
 * such a boundary as one view. After {@link QUIET_READS} small reads in a row the
 * stream lands again, dropping its slabs (a stream that goes silent right after bulk
 * keeps its current slab until it reads again).
 *
 * A retired slab whose every byte core has handed back through {@link recycle} (it
 * copied them out, as `readInto` does, and kept no view) is reused, so a copying
 * reader runs in a few slabs of memory. Otherwise a slab is freed by the garbage
 * collector once no view of it is referenced.
 */
export class SlabReader {
  /** Receives each read's bytes (a copy, or a view the reader will not reuse unless recycled). */
  sink: ChunkSink | null = null;
  /** The slab Node reads into next; `null` while the stream lands (reads into the shared buffer). */
  private current: Slab | null = null;
  /** Bytes of `current` already read into. */
  private used = 0;
  /** Reads in a row below BULK_READ (0 right after a bulk read); a new connection counts as quiet. */
  private quiet = QUIET_READS;
  /** Bytes read so far, modulo 64 KiB: where the next byte falls in a 64 KiB run of the stream. */
  private phase = 0;
  /** The current slab and recently retired ones, oldest first (made with the first slab). */
  private live: Slab[] | null = null;
  /** Retired slabs ready for reuse. */
  private free: Slab[] | null = null;

  /**
   * The `onread` option for the socket this reader reads (for `net.connect`, or the
   * slots of an accepted socket). Made once per socket and not kept here: the socket
   * holds its two functions. Bound methods rather than arrow functions: 48 bytes each,
   * where two arrows cost 56 each and the 40-byte context they share (every idle
   * connection of a server holds them).
   */
  onread(): { buffer: () => Buffer; callback: (n: number, buffer: Uint8Array) => boolean } {
    return { buffer: this.region.bind(this), callback: this.read.bind(this) };
  }

  /** The region Node reads into next: the landing buffer, or the rest of the stream's slab. */
  region(): Buffer {
    let slab = this.current;
    if (slab === null) {
      // Landing until a read comes in bulk.
      if (this.quiet !== 0) return landingBuffer();
      slab = this.begin();
    } else if (this.quiet === QUIET_READS) {
      this.land();
      return landingBuffer();
    } else if (this.used === slab.size) slab = this.next();
    return this.used === 0 ? slab.buf : bufferView(slab.ab, slab.base + this.used, slab.size - this.used);
  }

  /**
   * Node read `n` bytes into the region last returned by {@link region}: hand them to the
   * sink. Returns true: as `onread.callback`, anything but false keeps Node reading.
   */
  read(n: number): true {
    this.phase = (this.phase + n) % LARGE_SLAB;
    // Counted only up to QUIET_READS: all the decision needs (and it stays a small integer).
    if (n >= BULK_READ) this.quiet = 0;
    else if (this.quiet < QUIET_READS) this.quiet++;
    const slab = this.current;
    let chunk: Buffer;
    if (slab === null) {
      // The bytes are in the shared landing buffer: out of it before anyone reads into it again.
      chunk = copyOutOfLanding(n);
    } else {
      // The bytes landed in the region returned before, which starts at `used`: the slab
      // itself when they fill it (the reader never writes into a full slab again).
      chunk = n === slab.size ? slab.buf : bufferView(slab.ab, slab.base + this.used, n);
      this.used += n;
      slab.out += n;
    }
    this.sink?.onChunk(chunk);
    return true;
  }

  /** Bytes of read memory this stream holds of its own: its current slab, 0 while it lands (for tests and diagnostics). */
  get slabSize(): number {
    return this.current?.size ?? 0;
  }

  /** Core copied these bytes out and kept no view of them: their memory may be reused. */
  recycle(chunk: Uint8Array): void {
    const live = this.live;
    if (live === null) return;
    const memory = chunk.buffer;
    for (let i = live.length - 1; i >= 0; i--) {
      const slab = live[i] as Slab;
      if (slab.ab !== memory) continue;
      slab.out -= chunk.length;
      if (slab.out === 0 && slab !== this.current) this.keep(slab);
      return;
    }
  }

  /** Bulk begins: a first slab, ending at the next 64 KiB multiple of the stream. */
  private begin(): Slab {
    this.live = [];
    this.free = [];
    this.used = 0;
    const slab = this.take(LARGE_SLAB - this.phase);
    this.current = slab;
    return slab;
  }

  /** Quiet again: drop every slab (views core still holds keep their memory alive) and land. */
  private land(): void {
    this.current = null;
    this.live = null;
    this.free = null;
    this.used = 0;
  }

  /** Retire the current slab (full) and take the next one. */
  private next(): Slab {
    const retired = this.current as Slab;
    // A full slab ended on a 64 KiB multiple of the stream, so the next one is whole.
    const slab = this.take(LARGE_SLAB - this.phase);
    this.current = slab;
    this.used = 0;
    if (retired.out === 0) this.keep(retired);
    return slab;
  }

  private take(size: number): Slab {
    const live = this.live as Slab[];
    let slab = size === LARGE_SLAB ? this.free?.pop() : undefined;
    if (slab === undefined) {
      // Uninitialised memory: every byte is written by a read before it is handed out.
      const buf = Buffer.allocUnsafeSlow(size);
      slab = { buf, ab: buf.buffer, base: buf.byteOffset, size, out: 0 };
    }
    // No map from memory to slab (a WeakMap keyed by ArrayBuffers delays their collection):
    // a short list searched by identity.
    if (live.push(slab) > MAX_LIVE) live.shift();
    return slab;
  }

  /** A retired slab with nothing handed out: stop tracking it, and keep it for reuse if it is a whole one. */
  private keep(slab: Slab): void {
    const live = this.live as Slab[];
    const i = live.indexOf(slab);
    if (i >= 0) live.splice(i, 1);
    const free = this.free as Slab[];
    if (slab.size === LARGE_SLAB && free.length < MAX_FREE) free.push(slab);
  }
}
