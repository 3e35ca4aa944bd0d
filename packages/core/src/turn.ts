/**
 * Which turn of JavaScript is running, for coalescing writes (see `IOStreamOptions.coalesceWrites`).
 *
 * A turn is the run of code up to the next microtask checkpoint: everything a loop does
 * without an `await` belongs to one. Its number moves on in a microtask queued the first
 * time a turn is marked, so a write made after an `await` (whose continuation is queued
 * behind that microtask) is in a new turn. One counter and at most one microtask per turn
 * serve every stream in the process.
 */

let current = 0;
/** A microtask that moves `current` on is queued. */
let moving = false;
/**
 * Microtasks are queued as reactions to this settled promise: V8 queues one for a few
 * allocations, where Node's `queueMicrotask` makes an async resource for each (measured:
 * queueMicrotask per turn took W9's server from 0.92x to 0.88x raw's rate).
 */
export const SETTLED: Promise<void> = Promise.resolve();

function moveOn(): void {
  // Kept a small integer (an overflow to a heap number would change the type of every field holding it).
  current = (current + 1) & 0x3fffffff;
  moving = false;
}

/** The current turn's number, making sure the number changes once the turn ends. */
export function markTurn(): number {
  if (!moving) {
    moving = true;
    void SETTLED.then(moveOn);
  }
  return current;
}

/** The current turn's number: equal to what {@link markTurn} returned only within that turn. */
export function thisTurn(): number {
  return current;
}
