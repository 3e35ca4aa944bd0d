import { activeResources, type ResourceCounts, waitForNoNewResources } from '@iostream/testkit';
import { afterEach, beforeEach, expect } from 'vitest';

/**
 * Register a before/after pair per test: after each test, no pipe, child process,
 * timer or other handle it opened may still be active (vitest's own long-lived
 * handles are in the baseline). Handles close asynchronously, and a killed child's
 * exit is reported a little later, so the check waits a bounded number of event-loop
 * turns (never timers) for them to go. The file as a whole is also checked by
 * test/setup-no-leaks.ts.
 */
export function expectNoLeaks(): void {
  let before: ResourceCounts = new Map();
  beforeEach(() => {
    before = activeResources();
  });
  afterEach(async () => {
    expect(await waitForNoNewResources(before, { turns: 50_000 }), 'handles this test left open').toEqual([]);
  });
}
