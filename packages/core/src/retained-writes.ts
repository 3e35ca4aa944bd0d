/**
 * The write side of a transport with `retainsWrites` over a Node socket (`net.Socket`,
 * `tls.TLSSocket`, a pipe's socket): bytes are handed over without a copy, and each
 * write's length is reported to core once Node no longer holds them.
 */

/** What is needed of the socket: Node's `write(data[, callback])`, called back once per write, in order. */
export interface CallbackWritable {
  write(data: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  /** Bytes Node still holds (`Writable.writableLength`); needed only for `direct` writes. */
  readonly writableLength?: number;
  /** The error the socket failed with (`Writable.errored`); needed only for `direct` writes. */
  readonly errored?: Error | null;
  /** Whether the socket was destroyed (`Writable.destroyed`), checked by `direct` writes. */
  readonly destroyed?: boolean;
  /** `Writable.writableCorked`, checked by `takenOnDispatch` writes (a corked socket holds what it is given). */
  readonly writableCorked?: number;
  /**
   * `Writable.cork()` and `uncork()`, for {@link RetainedWrites.writev}: the writes made
   * in between reach the socket's `_writev` together (one `writev(2)` over a Node socket
   * or pipe). Without them, `writev` writes chunk by chunk.
   */
  cork?(): void;
  uncork?(): void;
}

/** Options for {@link RetainedWrites}. */
export interface RetainedWritesOptions {
  /**
   * Write without a callback while nothing is in flight, and when Node has handed every
   * byte to the kernel by the time `write()` returns (`writableLength` is 0 again), report
   * the write released at once, from inside {@link RetainedWrites.write}. That skips the
   * callback's trip through `process.nextTick`, about a tenth of a small message's cost
   * over loopback. A write that Node still holds is tracked as before. Default false.
   *
   * Leave it off where writes never finish inside `write()` (TLS, which encrypts and
   * writes on later): each would then cost an extra empty write to learn when it is done.
   */
  direct?: boolean;
  /**
   * The socket takes a chunk's bytes inside `write()` whenever it passes the chunk straight
   * to its handle, that is when Node holds nothing else and the socket is not corked, even
   * though it calls back only on a later turn: TLS, whose handle encrypts the bytes into
   * OpenSSL's buffers before `write()` returns (what it cannot encrypt yet it copies), and
   * calls back from a `setImmediate`. Such a write goes without a callback and is released
   * at once, from inside {@link RetainedWrites.write}, so `await write()` does not wait a turn
   * for a callback that says nothing about the caller's memory. Later writes, which Node
   * queues until the first one calls back, are tracked as usual. Default false.
   */
  takenOnDispatch?: boolean;
}

/** Queued behind a write that went asynchronous, so that its callback says when that write is done. */
const EMPTY = new Uint8Array(0);

/**
 * Hands each chunk to `socket.write` whole and reports its length through `release` from
 * the write's callback. One callback function serves every write (the lengths wait in a
 * queue, oldest first): no closure per write, and Node batches the callbacks of writes that
 * completed in the same turn. After `write()` returns false it takes nothing more until
 * {@link drained} (call it on the socket's `'drain'`).
 *
 * With `direct`, see {@link RetainedWritesOptions.direct}: `release` may then be called
 * from inside `write()`, for the bytes being written.
 */
export class RetainedWrites {
  /** True from a `write()` that returned false until {@link drained}. */
  blocked = false;
  /** Lengths of the writes Node still holds and will call back for, oldest first. */
  private readonly sizes: number[] = [];
  /** A direct write that Node held and whose `write()` returned false: released on `'drain'`. */
  private heldUntilDrain = 0;
  /**
   * Whether a write made while nothing is in flight goes without a callback. Nothing is in
   * flight when no length waits for a callback and Node holds no bytes (a write waiting
   * for 'drain' keeps `blocked` set): checked per write, so no state says "back to direct
   * writes".
   */
  private readonly direct: boolean;

  /**
   * @param socket where the bytes go.
   * @param release called with a write's length once Node is done with its bytes (pass
   * `events.released`); not called for a write that failed, as the socket is then failing.
   */
  constructor(
    private readonly socket: CallbackWritable,
    private readonly release: (n: number) => void,
    options: RetainedWritesOptions = {},
  ) {
    this.direct = options.direct === true;
    this.taken = options.takenOnDispatch === true;
  }

  /** See {@link RetainedWritesOptions.takenOnDispatch}. */
  private readonly taken: boolean;

  /** Whether Node would pass a write straight to the handle now: nothing of ours or anyone's held, not corked. */
  private dispatchesAtOnce(): boolean {
    return this.sizes.length === 0 && this.socket.writableLength === 0 && !this.socket.writableCorked;
  }

  /** Hand `data` over whole: returns its length, or 0 while blocked. */
  write(data: Uint8Array): number {
    if (this.blocked) return 0;
    const n = data.length;
    if (this.direct && this.sizes.length === 0 && this.socket.writableLength === 0) {
      return this.writeDirect(data, n);
    }
    if (this.taken && this.dispatchesAtOnce()) {
      this.blocked = !this.socket.write(data);
      return this.afterTaken(n);
    }
    this.sizes.push(n);
    try {
      this.blocked = !this.socket.write(data, this.onWritten);
    } catch (error) {
      this.sizes.pop();
      throw error;
    }
    return n;
  }

  /**
   * Hand `chunks` over whole, in order, as one vectored write: the socket is corked
   * around a `write()` per chunk, so Node passes them to its handle's `writev` together
   * (one system call; over TLS, one encryption pass). Every chunk is taken, as `write()`
   * takes a chunk past the high-water mark whole: stopping at the first `write()` that
   * returns false would cut a queue of 16 KiB chunks into writevs of one or two. Then
   * blocked until {@link drained} if that happened. Returns the bytes taken, or 0 while
   * blocked.
   *
   * Released like {@link write}: with `direct` and nothing in flight, the whole batch at
   * once when the kernel took it before `uncork()` returned; otherwise each chunk's length
   * from its callback.
   */
  writev(chunks: readonly Uint8Array[]): number {
    const socket = this.socket;
    if (this.blocked) return 0;
    if (chunks.length < 2 || socket.cork === undefined || socket.uncork === undefined) {
      let n = 0;
      for (const chunk of chunks) {
        if (this.blocked) break;
        n += this.write(chunk);
      }
      return n;
    }
    const direct = (this.direct || this.taken) && this.dispatchesAtOnce();
    let n = 0;
    let ok = true;
    socket.cork();
    try {
      for (const chunk of chunks) {
        if (direct) {
          ok = socket.write(chunk);
        } else {
          this.sizes.push(chunk.length);
          try {
            ok = socket.write(chunk, this.onWritten);
          } catch (error) {
            this.sizes.pop();
            throw error;
          }
        }
        n += chunk.length;
      }
    } finally {
      // Node writes the corked chunks here, all in one _writev. What it holds only grows while
      // corked, so the last write() says whether 'drain' will come.
      this.blocked = !ok;
      socket.uncork();
    }
    if (!direct) return n;
    return this.taken ? this.afterTaken(n) : this.afterDirect(n, ok);
  }

  /** `n` bytes went straight to a handle that took them (`takenOnDispatch`): released, unless the socket is failing. */
  private afterTaken(n: number): number {
    if (!this.socket.errored && !this.socket.destroyed) this.release(n);
    return n;
  }

  /** The socket emitted `'drain'`: writes are taken again. */
  drained(): void {
    this.blocked = false;
    const held = this.heldUntilDrain;
    if (held === 0) return;
    // 'drain' means Node holds nothing more, and nothing was written after the held write.
    this.heldUntilDrain = 0;
    this.release(held);
  }

  private writeDirect(data: Uint8Array, n: number): number {
    const ok = this.socket.write(data);
    this.blocked = !ok;
    return this.afterDirect(n, ok);
  }

  /** After `n` bytes went out without callbacks (`ok`: the last `write()` returned true): release or track them. */
  private afterDirect(n: number, ok: boolean): number {
    if (this.socket.writableLength === 0) {
      // A write that failed at once (or went to a destroyed socket, which Node fails on a later
      // tick) also leaves nothing held: it is not released, the socket is failing.
      if (this.socket.errored || this.socket.destroyed) return n;
      // Written through to the kernel before write() returned: Node holds none of it.
      this.release(n);
      return n;
    }
    // Node holds some of it, so later writes go with callbacks until it is idle again.
    if (!ok) {
      this.heldUntilDrain = n;
      return n;
    }
    // Accepted below the high-water mark, so no 'drain' will come: an empty write queued
    // behind it is called back once it is done.
    this.sizes.push(n);
    try {
      this.socket.write(EMPTY, this.onWritten);
    } catch (error) {
      this.sizes.pop();
      throw error;
    }
    return n;
  }

  /** One callback for every write that needs one; made on the first (an idle or direct-only socket never does). */
  private writtenCallback: ((error?: Error | null) => void) | null = null;

  private get onWritten(): (error?: Error | null) => void {
    this.writtenCallback ??= (error?: Error | null): void => {
      const n = this.sizes.shift() as number;
      if (!error) this.release(n);
    };
    return this.writtenCallback;
  }
}
