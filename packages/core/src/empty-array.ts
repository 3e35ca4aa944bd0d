/** Short arrays are emptied by popping, which keeps their capacity; longer ones are truncated. */
const POP_UP_TO = 32;

/**
 * Empty `array` for reuse. Queues that drain to empty on every message (one segment
 * in, one out) would otherwise pay for `length = 0` (a runtime call, about 40 ns on
 * Node 20) and then for growing the array again on the next push. Popping a few
 * slots keeps the capacity; a long array is truncated so a burst does not pin its
 * memory.
 */
export function emptyArray(array: unknown[]): void {
  if (array.length > POP_UP_TO) array.length = 0;
  else while (array.length > 0) array.pop();
}

/**
 * What a queue holds until its first push (and again after it is dropped): one empty array
 * shared by every queue of every stream, never written to. A server holds many streams
 * whose queues stay empty (an idle connection waiting to read); each would otherwise carry
 * arrays of its own. Push through {@link ownArray}.
 */
export const NOT_MADE: never[] = [];

/** `array` itself, or a new array in place of {@link NOT_MADE}: what to push onto. */
export function ownArray<T>(array: T[]): T[] {
  return array === NOT_MADE ? [] : array;
}
