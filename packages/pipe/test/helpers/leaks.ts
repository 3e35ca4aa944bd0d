import { afterEach, beforeEach, expect } from 'vitest';

/** Resource kinds a pipe test could leave behind: pipes, child processes, timers, fs requests. */
const WATCHED = new Set(['PipeWrap', 'ProcessWrap', 'Timeout', 'TTYWrap', 'FSReqCallback', 'FileHandle']);

function counts(): Map<string, number> {
  const out = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (WATCHED.has(kind)) out.set(kind, (out.get(kind) ?? 0) + 1);
  }
  return out;
}

function excess(before: Map<string, number>): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [kind, n] of counts()) {
    const base = before.get(kind) ?? 0;
    if (n > base) extra[kind] = n - base;
  }
  return extra;
}

/**
 * Register a before/after pair per test: after each test, the pipe, process
 * and timer handles must be back to what they were before it (vitest's own
 * long-lived handles are in the baseline). Handles close asynchronously, and
 * vitest briefly holds timers of its own, so it waits a bounded number of
 * event-loop turns for the counts to settle before asserting.
 */
export function expectNoLeaks(): void {
  let before = new Map<string, number>();
  beforeEach(() => {
    before = counts();
  });
  afterEach(async () => {
    // Handles close on a later turn; vitest's own batching timers come and go too. Poll a
    // bounded number of turns (immediates first, then short timers), then assert.
    for (let i = 0; i < 600 && Object.keys(excess(before)).length > 0; i++) {
      await new Promise((resolve) => (i < 200 ? setImmediate(resolve) : setTimeout(resolve, 5)));
    }
    expect(excess(before)).toEqual({});
  });
}
