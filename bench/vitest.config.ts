import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // The harness run (beforeAll) takes seconds alone, longer next to the other suites on 2 cores.
    hookTimeout: 150_000,
  },
});
