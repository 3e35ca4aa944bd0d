import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every test file must release what it opened: see test/setup-no-leaks.ts.
    setupFiles: ['test/setup-no-leaks.ts'],
    testTimeout: 20000,
    // Node's default, made explicit so no runner setting can soften it: an unhandled
    // rejection anywhere in a test file is an uncaught exception and fails the run.
    execArgv: ['--unhandled-rejections=strict'],
    coverage: { provider: 'v8', include: ['src/**'], reporter: ['text-summary', 'text'] },
  },
});
