/**
 * @packageDocumentation
 * `@iostream/testkit/readme-tests`: the vitest tests that run a package's README
 * examples (see `readmeExamples` and `runReadmeExample`), in one call at the top level
 * of a test file. It registers vitest tests, so it has an entry point of its own, as the
 * compliance suite has.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXAMPLE_TIMEOUT_MS, readmeExamples, runReadmeExample } from './readme-examples.js';

/** Options for {@link readmeExampleTests}. */
export interface ReadmeExampleTestsOptions {
  /** The Markdown file, relative to the package directory (or absolute). Default `'README.md'`. */
  readme?: string;
  /** Milliseconds each example may run (passed to `runReadmeExample`). Default 20000. */
  timeoutMs?: number;
}

/**
 * Register one vitest test per ```ts block of a package's README (those not marked
 * `<!-- not-run: reason -->`), each passing when the block runs to a clean exit, and
 * one that fails if the README has no ts block at all. `packageDir` is the package's
 * directory, whose `node_modules` resolve the examples' imports: from a file in
 * `test/`, `new URL('..', import.meta.url)`.
 *
 * @example
 * ```ts
 * // test/readme-examples.test.ts
 * import { readmeExampleTests } from '@iostream/testkit/readme-tests';
 * readmeExampleTests(new URL('..', import.meta.url));
 * ```
 */
export function readmeExampleTests(packageDir: URL | string, options: ReadmeExampleTestsOptions = {}): void {
  const readme = options.readme ?? 'README.md';
  const cwd = typeof packageDir === 'string' ? packageDir : fileURLToPath(packageDir);
  const examples = readmeExamples(path.resolve(cwd, readme));
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXAMPLE_TIMEOUT_MS;

  describe(`${readme} examples`, () => {
    it('has ts examples (each runs below unless marked not-run with a reason)', () => {
      expect(examples.length).toBeGreaterThan(0);
    });

    for (const example of examples) {
      if (example.notRun !== null) continue;
      it(
        `${readme}:${example.line} runs to a clean exit`,
        async () => {
          expect((await runReadmeExample(example, { cwd, timeoutMs })).problem).toBeNull();
        },
        timeoutMs + 10_000,
      );
    }
  });
}
