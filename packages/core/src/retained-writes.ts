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
  }

  /** Hand `data` over whole: returns its length, or 0 while blocked. */
  write(data: Uint8Array): number {
    if (this.blocked) return 0;
    const n = data.length;
    if (this.direct && this.sizes.length === 0 && this.socket.writableLength === 0) {
      return this.writeDirect(data, n);
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

  private readonly onWritten = (error?: Error | null): void => {
    const n = this.sizes.shift() as number;
    if (!error) this.release(n);
  };
}
