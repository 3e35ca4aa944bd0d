/**
 * Bytes written but not yet accepted by the transport, with the promises that
 * wait for them. Completion is tracked by absolute offsets: a write resolves once
 * every byte up to its end has been handed over, so FIFO order falls out.
 */

interface Waiter {
  end: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WriteQueue {
  private chunks: Buffer[] = [];
  private head = 0;
  private waiters: Waiter[] = [];
  private waitHead = 0;
  /** Bytes ever queued. */
  private queuedTotal = 0;
  /** Bytes ever handed to the transport from the queue. */
  private sentTotal = 0;

  /** Bytes queued and not yet handed over. */
  get length(): number {
    return this.queuedTotal - this.sentTotal;
  }

  get empty(): boolean {
    return this.head === this.chunks.length;
  }

  /** Queue chunks; the returned promise resolves when the last of them has been handed over. */
  enqueue(chunks: readonly Buffer[]): Promise<void> {
    for (const c of chunks) {
      if (c.length === 0) continue;
      this.chunks.push(c);
      this.queuedTotal += c.length;
    }
    const end = this.queuedTotal;
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ end, resolve, reject });
    });
  }

  /**
   * Hand queued bytes to `send` (which returns how many it accepted) until it
   * accepts less than offered. Resolves the writes that completed.
   */
  flush(send: (chunk: Buffer) => number): void {
    const chunks = this.chunks;
    while (this.head < chunks.length) {
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
      chunks.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > chunks.length) {
      chunks.splice(0, this.head);
      this.head = 0;
    }
    this.settleDone();
  }

  private settleDone(): void {
    const waiters = this.waiters;
    while (this.waitHead < waiters.length) {
      const w = waiters[this.waitHead] as Waiter;
      if (w.end > this.sentTotal) break;
      waiters[this.waitHead++] = undefined as never;
      w.resolve();
    }
    if (this.waitHead === waiters.length) {
      waiters.length = 0;
      this.waitHead = 0;
    }
  }

  /** Drop everything queued and reject every waiting write. */
  fail(error: () => unknown): void {
    const waiters = this.waiters.slice(this.waitHead);
    this.chunks = [];
    this.head = 0;
    this.waiters = [];
    this.waitHead = 0;
    this.sentTotal = this.queuedTotal;
    for (const w of waiters) w.reject(error());
  }
}
