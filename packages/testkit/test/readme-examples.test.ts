import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReadmeExample, type ReadmeExampleRun, readmeExamples, runReadmeExample } from '../src/index.js';

// The runner's own cases: a README example that rejects unhandled, warns, hangs or fails
// its vitest test must fail its README test, and one that exits cleanly must pass.
const fixture = fileURLToPath(new URL('fixtures/readme-examples.md', import.meta.url));
const cwd = fileURLToPath(new URL('..', import.meta.url));
const examples = readmeExamples(fixture);
const example = (name: string): ReadmeExample => {
  const found = examples.find((e) => e.code.startsWith(`// case: ${name}\n`));
  if (found === undefined) throw new Error(`no case '${name}' in ${fixture}`);
  return found;
};

describe('readmeExamples', () => {
  it('extracts the ts and typescript blocks in order, with their lines, skipping other languages', () => {
    expect(examples.map((e) => e.code.split('\n')[0])).toEqual([
      '// case: clean',
      '// case: marked',
      '// case: unhandled rejection',
      '// case: warning',
      '// case: busy loop',
      '// case: vitest passes',
      '// case: vitest fails',
    ]);
    expect(example('clean').line).toBe(5);
    expect(examples.map((e) => e.runner)).toEqual(['node', 'node', 'node', 'node', 'node', 'vitest', 'vitest']);
  });

  it('reads the reason of a not-run marker right above a block', () => {
    expect(example('marked').notRun).toBe('a fragment, to show the marker');
    expect(examples.filter((e) => e.notRun !== null)).toHaveLength(1);
  });

  it('refuses a marker without a reason, or one that is not right above a ts block', () => {
    expect(() => readmeExamples('x.md', '<!-- not-run: -->\n```ts\n1;\n```\n')).toThrow(/x\.md:1: .*needs a reason/);
    expect(() => readmeExamples('x.md', '<!-- not-run: why -->\ntext\n```ts\n1;\n```\n')).toThrow(/x\.md:1: /);
    expect(() => readmeExamples('x.md', '<!-- not-run: why -->\n```sh\nls\n```\n')).toThrow(/x\.md:1: /);
    expect(() => readmeExamples('x.md', 'text\n<!-- not-run: why -->\n')).toThrow(/x\.md:2: /);
  });

  it('takes the body of an indented fence (in a list) without its indent', () => {
    const [only] = readmeExamples('x.md', '- item:\n\n  ```ts\n  const a = 1;\n    a;\n  ```\n');
    expect(only?.code).toBe('const a = 1;\n  a;\n');
  });
});

describe('runReadmeExample', () => {
  // A failed run keeps its program for debugging; these fail on purpose, so remove them.
  const runs: ReadmeExampleRun[] = [];
  const run = async (name: string, timeoutMs?: number) => {
    const result = await runReadmeExample(example(name), timeoutMs === undefined ? { cwd } : { cwd, timeoutMs });
    runs.push(result);
    return result;
  };
  afterEach(() => {
    for (const { program } of runs.splice(0)) rmSync(path.dirname(program), { recursive: true, force: true });
  });

  it('passes a program that exits 0 and writes nothing to stderr', async () => {
    const result = await run('clean');
    expect(result.problem).toBeNull();
    expect(result.stdout).toBe('in range\n');
  });

  it('fails a program that ends in an unhandled rejection', async () => {
    const result = await run('unhandled rejection');
    expect(result.exitCode).not.toBe(0);
    expect(result.problem).toMatch(/readme-examples\.md:\d+ .*exited with 1/);
    expect(result.problem).toContain('the peer went away');
  });

  it('fails a program that writes to stderr (a warning), though it exits 0', async () => {
    const result = await run('warning');
    expect(result.exitCode).toBe(0);
    expect(result.problem).toMatch(/wrote to stderr[\s\S]*a warning is output on stderr/);
  });

  it('kills and fails a program that does not end in time (a busy loop)', async () => {
    const result = await run('busy loop', 1000);
    expect(result.timedOut).toBe(true);
    expect(result.problem).toMatch(/did not end within 1000 ms/);
  });

  it('runs a block that imports vitest as a test file: passing, then failing on an unhandled rejection', async () => {
    expect((await run('vitest passes')).problem).toBeNull();
    const failed = await run('vitest fails');
    expect(failed.exitCode).toBe(1);
    expect(failed.problem).toMatch(/unobserved in a test/);
  }, 40_000);
});
