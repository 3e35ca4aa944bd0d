/**
 * Waiting in tests without fixed delays: by event-loop turns, bounded, and saying
 * what never happened when the bound is reached.
 */
import type { IOStream } from '@iostream/core';

/** One event-loop turn: pending I/O callbacks and immediates run once. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolve once `condition()` holds, checking after each event-loop turn; reject
 * after `turns` turns with an error naming `what`.
 */
export async function waitForTurns(condition: () => boolean, what: string, turns = 20_000): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i >= turns) throw new Error(`gave up waiting until ${what}`);
    await nextTurn();
  }
}

/**
 * Resolve once `condition()` holds, checking after each event-loop turn and, after the
 * first 50 turns, every 2 ms (for real sockets and child processes, whose events take
 * wall time rather than turns). Rejects after `limitMs` with an error naming `what`,
 * so a failure says what never happened rather than just timing out.
 */
export async function waitFor(condition: () => boolean, what: string, limitMs = 8000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (let i = 0; !condition(); i++) {
    if (Date.now() > deadline) throw new Error(`waitFor: gave up waiting until ${what}`);
    if (i < 50) await nextTurn();
    else await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The rejection of `promise`; throws (failing the test) if it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * Run `act` (something that should close `stream`: destroy its socket, reset the peer…)
 * and resolve once the stream's close callback has run, with `stream.error`: what it
 * closed with, `null` for a clean close. Rejects after `limitMs` (default 8 s) saying the
 * stream never closed. Replaces the stream's close callback.
 */
export function closedAfter(stream: IOStream, act: () => void, limitMs = 8000): Promise<Error | null> {
  return new Promise<Error | null>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`closedAfter: the stream did not close in ${limitMs} ms`)),
      limitMs,
    );
    stream.setCloseCallback(() => {
      clearTimeout(timer);
      resolve(stream.error);
    });
    try {
      act();
    } catch (error) {
      // The executor would reject on its own, but leave the timer running for limitMs.
      clearTimeout(timer);
      reject(error);
    }
  });
}
