// Registered in vitest.config.ts (setupFiles), so it wraps every test file of this package:
// once the file's tests are done, no socket, server, timer, pipe or child process handle
// that they opened may still be active.
import { activeResources, type ResourceCounts, waitForNoNewResources } from '@iostream/testkit';
import { afterAll, beforeAll, expect } from 'vitest';

let before: ResourceCounts = new Map();

beforeAll(() => {
  before = activeResources();
});

afterAll(async () => {
  expect(await waitForNoNewResources(before), 'handles this test file left open').toEqual([]);
});
