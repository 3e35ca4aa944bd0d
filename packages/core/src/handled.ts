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
