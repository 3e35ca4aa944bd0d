import { EOF, type FdTransport, type TransportEvents } from '@iostream/core';

/**
 * An in-memory {@link FdTransport} that lends: `readInto` with nothing buffered hands it the
 * caller's buffer (`lendReadTarget`), and the next "read" writes into that buffer and comes
 * back as the buffer itself (or a view of its start), as `@iostream/tcp` reads a socket
 * straight into the caller's memory. A lent read lands in the microtasks after the loan, as
 * a socket read lands after the turn that lent: core's zero-copy read path without a socket.
 * Each read writes the read's sequence number (mod 256) into its first byte, so a loop can
 * check that every result came from its own read, in order. Without a loan (read interest on
 * between reads) a read comes a macrotask later, into memory of its own.
 */
export class LendingTransport implements FdTransport {
  private events: TransportEvents | null = null;
  private loan: Uint8Array | null = null;
  /** The last read's bytes, until core pulls them. */
  private landed: Uint8Array | null = null;
  private left: number;
  private seq = 0;
  private scheduled = false;
  /** Reads that landed in a loan (a loop checks that all of its reads did). */
  lentReads = 0;

  constructor(
    total: number,
    private readonly readSize: number,
  ) {
    this.left = total;
  }

  fileno(): number {
    return -1;
  }
  watch(events: TransportEvents): void {
    this.events = events;
  }
  setReadInterest(on: boolean): void {
    if (on && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.read);
    }
  }
  lendReadTarget(target: Uint8Array | null): boolean {
    this.loan = target;
    if (target !== null && !this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.read);
    }
    return true;
  }
  readFromFd(): Uint8Array | null | EOF {
    const chunk = this.landed;
    if (chunk !== null) {
      this.landed = null;
      return chunk;
    }
    return this.left === 0 ? EOF : null;
  }
  writeToFd(data: Uint8Array): number {
    return data.length;
  }
  closeFd(): void {}
  getFdError(): Error | null {
    return null;
  }

  private readonly read = (): void => {
    this.scheduled = false;
    if (this.landed !== null || this.left === 0) {
      this.events?.readable();
      return;
    }
    const loan = this.loan;
    const n = Math.min(this.left, this.readSize, loan === null ? this.readSize : loan.length);
    const into = loan ?? new Uint8Array(n);
    if (loan !== null) this.lentReads++;
    into[0] = this.seq++ & 255;
    this.left -= n;
    // A read that fills its memory (a whole loan, or its own) goes as that memory: no view.
    this.landed = n === into.length ? into : into.subarray(0, n);
    this.events?.readable();
  };
}
