/**
 * Leak checks for tests: count the handles and requests that keep Node's event loop
 * alive (`process.getActiveResourcesInfo()`: sockets, servers, timers, child processes,
 * pipes, file requests…), and wait a bounded number of event-loop turns for the ones a
 * test opened to be released. Waiting is counted in turns (`setImmediate`), never in
 * timers, so a check neither sleeps nor adds a timer of its own to what it counts.
 * {@link heapUsedAfterGc} measures the heap after full garbage collections, for loops that
 * must not grow it.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { nextTurn } from './waiting.js';

/** How many active resources of each kind there are, e.g. `TCPSocketWrap → 2`, `Timeout → 1`. */
export type ResourceCounts = ReadonlyMap<string, number>;

/** Options for {@link newResources} and {@link waitForNoNewResources}. */
export interface LeakCheckOptions {
  /** Resource kinds not to report (e.g. `'TTYWrap'` when a test writes to the terminal). */
  ignore?: readonly string[];
}

/** Options for {@link waitForNoNewResources}. */
export interface WaitForNoNewResourcesOptions extends LeakCheckOptions {
  /**
   * Event-loop turns to wait at most for the resources to be released. Default 10000:
   * handles close a turn or two after `destroy()`, a killed child's exit is reported
   * within a few hundred.
   */
  turns?: number;
  /**
   * Least wall-clock time, in milliseconds, to keep waiting for the resources to go, even
   * once `turns` turns have passed. Default 250. Test runners hold short timers of their
   * own: vitest sends its progress reports at most every 100 ms and keeps a timer for the
   * next one, which a check that spins through its turns in less time than that would
   * report as a leak. The wait is still counted in turns, not with a timer; a resource that
   * outlives it (a socket never closed, a timer never cleared) is reported as before.
   */
  minMs?: number;
}

/**
 * A snapshot of the active resources, counted by kind. Take it before the code under
 * test runs, and compare with {@link newResources} or {@link waitForNoNewResources}.
 *
 * @example
 * ```ts
 * const before = activeResources();
 * const server = await listen({ host: '127.0.0.1', port: 0 }, handler);
 * await server.close({ closeStreams: true });
 * expect(await waitForNoNewResources(before)).toEqual([]);
 * ```
 */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * The kinds with more active resources now than in `before`, as `"<kind> x<extra>"`
 * (e.g. `["TCPSocketWrap x1"]`); empty when nothing was added.
 */
export function newResources(before: ResourceCounts, options: LeakCheckOptions = {}): string[] {
  const ignore = new Set(options.ignore ?? []);
  const extra: string[] = [];
  for (const [kind, n] of activeResources()) {
    const base = before.get(kind) ?? 0;
    if (n > base && !ignore.has(kind)) extra.push(`${kind} x${n - base}`);
  }
  return extra;
}

/**
 * Wait until no resource beyond `before` is active, for at most `turns` event-loop
 * turns or `minMs` milliseconds, whichever is longer, and return what is still there
 * (empty when everything was released). Resolves at once when nothing is left; it never
 * rejects (a bad option throws).
 */
export async function waitForNoNewResources(
  before: ResourceCounts,
  options: WaitForNoNewResourcesOptions = {},
): Promise<string[]> {
  const turns = options.turns ?? 10_000;
  if (!Number.isSafeInteger(turns) || turns < 0)
    throw new RangeError(`turns must be a non-negative integer, got ${turns}`);
  const minMs = options.minMs ?? 250;
  // Number.isFinite is false for anything that is not a number.
  if (!Number.isFinite(minMs) || minMs < 0)
    throw new RangeError(`minMs must be a non-negative finite number, got ${minMs}`);
  const start = Date.now();
  for (let i = 0; i < turns || Date.now() - start < minMs; i++) {
    if (newResources(before, options).length === 0) return [];
    await nextTurn();
  }
  return newResources(before, options);
}

let collect: (() => void) | null = null;

/** `global.gc` when node runs with `--expose-gc`; otherwise exposed at run time (V8's flag, then a fresh context's `gc`). */
function gcFunction(): () => void {
  if (collect !== null) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') collect = exposed;
  else {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  return collect;
}

/**
 * Bytes of JavaScript heap in use after full garbage collections, for checking that a
 * loop does not grow the heap: measure, run the loop, measure again. Runs a few event-loop
 * turns between collections, so that objects released by pending callbacks (close
 * callbacks, settled promises) are gone too. Works with or without `--expose-gc`.
 */
export async function heapUsedAfterGc(): Promise<number> {
  const gc = gcFunction();
  for (let i = 0; i < 3; i++) {
    for (let t = 0; t < 5; t++) await nextTurn();
    gc();
  }
  return v8.getHeapStatistics().used_heap_size;
}
