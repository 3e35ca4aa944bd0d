import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every test file must release what it opened: see test/setup-no-leaks.ts.
    setupFiles: ['test/setup-no-leaks.ts'],
    testTimeout: 20000,
    coverage: { provider: 'v8', include: ['src/**'], reporter: ['text-summary', 'text'] },
  },
});
