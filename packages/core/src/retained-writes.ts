/**
 * The write side of a transport with `retainsWrites` over a Node socket (`net.Socket`,
 * `tls.TLSSocket`, a pipe's socket): bytes are handed over without a copy, and each
 * write's length is reported to core once Node no longer holds them.
 */

/** What is needed of the socket: Node's `write(data, callback)`, called back once per write, in order. */
export interface CallbackWritable {
  write(data: Uint8Array, callback: (error?: Error | null) => void): boolean;
}

/**
 * Hands each chunk to `socket.write` whole and reports its length through `release` from
 * the write's callback. One callback function serves every write (the lengths wait in a
 * queue, oldest first): no closure per write, and Node batches the callbacks of writes that
 * completed in the same turn. After `write()` returns false it takes nothing more until
 * {@link drained} (call it on the socket's `'drain'`).
 */
export class RetainedWrites {
  /** True from a `write()` that returned false until {@link drained}. */
  blocked = false;
  /** Lengths of the writes Node still holds, oldest first. */
  private readonly sizes: number[] = [];

  /**
   * @param socket where the bytes go.
   * @param release called with a write's length once Node is done with its bytes (pass
   * `events.released`); not called for a write that failed, as the socket is then failing.
   */
  constructor(
    private readonly socket: CallbackWritable,
    private readonly release: (n: number) => void,
  ) {}

  /** Hand `data` over whole: returns its length, or 0 while blocked. */
  write(data: Uint8Array): number {
    if (this.blocked) return 0;
    const n = data.length;
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
  }

  private readonly onWritten = (error?: Error | null): void => {
    const n = this.sizes.shift() as number;
    if (!error) this.release(n);
  };
}
