/**
 * Promises marked handled. The write side's promises (`write()`, `end()`, `drained()`)
 * are often not awaited (`void stream.write(x)`), and their failures always reach
 * `stream.error`, the pending read and the close callback as well. Node exits on an
 * unhandled rejection, so each is marked handled: a rejection nobody awaits is dropped
 * quietly, and awaiting the promise still rejects.
 */

function ignore(): void {}

/** `p`, marked handled. */
export function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(ignore);
  return p;
}

/** A rejected promise, marked handled. */
export function rejectedHandled(error: Error): Promise<never> {
  return handled(Promise.reject(error));
}

/**
 * A write-side promise with its settle functions. It is marked handled as it is rejected
 * ({@link Deferred.fail}), not when made: a handler on every promise would cost each one a
 * derived promise and, when it resolves, a job to settle that too. Node reports a
 * rejection only if it still has no handler at the end of the turn, so the result is the same.
 */
export class Deferred {
  resolve!: () => void;
  private rejectWith!: (error: unknown) => void;
  readonly promise: Promise<void>;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.rejectWith = reject;
    });
  }

  /** Reject with `error`, marked handled. */
  fail(error: unknown): void {
    handled(this.promise);
    this.rejectWith(error);
  }
}
