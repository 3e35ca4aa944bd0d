import type { IOStream } from '@iostream/core';

/** Resolves when `stream` has closed (its close callback ran). */
export function streamClosed(stream: IOStream): Promise<void> {
  return new Promise((resolve) => stream.setCloseCallback(resolve));
}

/**
 * Resolves once `condition()` holds, checking after each event-loop turn; rejects
 * after a bounded number of turns, naming what never happened.
 */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 20_000) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => (i < 1000 ? setImmediate(resolve) : setTimeout(resolve, 1)));
  }
}

export { rejectionOf as rejection } from '@iostream/testkit';
