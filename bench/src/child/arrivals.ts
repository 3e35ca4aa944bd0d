/**
 * Input a listener delivers to a loop that awaits it, as the raw await-shaped reference
 * rows read: the listener calls {@link arrived} for each chunk and {@link end} at EOF;
 * the loop awaits {@link next} whenever what has arrived is not enough. One waiter at a time.
 */
export class Arrivals {
  /** Set by {@link end}: nothing more will arrive. */
  ended = false;
  private wake: (() => void) | null = null;

  /** Resolves at the next arrival, or at once once ended. */
  next(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  /** Something arrived: wake the waiting loop, if any. */
  arrived(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** EOF: wake the loop for the last time. */
  end(): void {
    this.ended = true;
    this.arrived();
  }
}
