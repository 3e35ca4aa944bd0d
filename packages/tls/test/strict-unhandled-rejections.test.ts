import { expect, it } from 'vitest';

// The suites of core, tcp, tls and pipe run with --unhandled-rejections=strict (their
// vitest.config.ts): a write nobody awaited that rejects unhandled fails the run instead of
// being logged. This guards the setting itself, so it cannot be dropped unnoticed.
it('runs test files with --unhandled-rejections=strict', () => {
  expect(process.execArgv).toContain('--unhandled-rejections=strict');
});
