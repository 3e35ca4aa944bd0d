/**
 * README examples as tests: every ```ts block of a Markdown file is a complete program,
 * transpiled and run in its own Node process, which must exit 0 within a time limit and
 * print nothing on stderr (no warning, no unhandled rejection, no uncaught exception).
 * A block that is not meant to run says so right above its fence, with a reason:
 * `<!-- not-run: a fragment of a transport's watch() -->`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** One ```ts block of a Markdown file. */
export interface ReadmeExample {
  /** The Markdown file, as given. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The block's TypeScript source. */
  code: string;
  /** Why it is not run (from `<!-- not-run: reason -->` above the fence), or `null`. */
  notRun: string | null;
  /** `'vitest'` when it imports `vitest` (it is then run as a test file by vitest's CLI), else `'node'`. */
  runner: 'node' | 'vitest';
}

export interface ReadmeExampleRunOptions {
  /**
   * Directory whose `node_modules` resolve the example's imports (usually the package the
   * README belongs to). The program is written under `<cwd>/.readme-examples/` and run from
   * there; add that directory to `.gitignore`.
   */
  cwd: string;
  /** Milliseconds the program may take before it is killed and reported as hanging; default 20000. */
  timeoutMs?: number;
}

/** How a run went. `problem` is `null` for a clean run, else says what was wrong. */
export interface ReadmeExampleRun {
  problem: string | null;
  /** The transpiled program that ran (removed after a clean run). */
  program: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const NOT_RUN = /^\s*<!--\s*not-run:(.*?)-->\s*$/;
const LANGUAGES = new Set(['ts', 'typescript']);
const OUTPUT_LIMIT = 1 << 20;
/** Default time limit of one example, in milliseconds (also what `readmeExampleTests` gives vitest, plus a margin). */
export const DEFAULT_EXAMPLE_TIMEOUT_MS = 20_000;

/**
 * The ```ts blocks of a Markdown file, in order. Blocks in other languages are skipped.
 * Throws if a `not-run` marker has no reason or is not right above a ```ts block, so a
 * marker cannot silently stop covering anything.
 */
export function readmeExamples(file: string, text: string = readFileSync(file, 'utf8')): ReadmeExample[] {
  const lines = text.split(/\r?\n/);
  const examples: ReadmeExample[] = [];
  let marker: { reason: string; line: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const current = lines[i]!;
    const notRun = NOT_RUN.exec(current);
    if (notRun !== null) {
      const reason = notRun[1]!.trim();
      if (reason === '') throw new Error(`${file}:${i + 1}: a not-run marker needs a reason`);
      marker = { reason, line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(current);
    if (fence === null) {
      if (current.trim() !== '' && marker !== null) throw strayMarker(file, marker.line);
      continue;
    }
    const [, indent, open, language] = fence as unknown as [string, string, string, string];
    const close = new RegExp(`^\\s*${open[0] === '`' ? '`' : '~'}{${open.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end]!)) end++;
    const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
    if (LANGUAGES.has(language.toLowerCase())) {
      const code = `${body.join('\n')}\n`;
      examples.push({
        file,
        line: i + 1,
        code,
        notRun: marker?.reason ?? null,
        runner: /\bfrom\s+['"]vitest['"]/.test(code) ? 'vitest' : 'node',
      });
    } else if (marker !== null) throw strayMarker(file, marker.line);
    marker = null;
    i = end;
  }
  if (marker !== null) throw strayMarker(file, marker.line);
  return examples;
}

function strayMarker(file: string, line: number): Error {
  return new Error(`${file}:${line}: a not-run marker must be right above a \`\`\`ts block`);
}

/**
 * Transpiles `example` (with the `typescript` package, an optional peer dependency) and
 * runs it: with `node --unhandled-rejections=strict`, or through vitest's CLI when it
 * imports `vitest`. Resolves with `problem` set when it exited non-zero, was killed, hit
 * the time limit or wrote to stderr. The program's file is removed after a clean run and
 * kept (its path in `problem`) after a failed one.
 */
export async function runReadmeExample(
  example: ReadmeExample,
  options: ReadmeExampleRunOptions,
): Promise<ReadmeExampleRun> {
  const { cwd, timeoutMs = DEFAULT_EXAMPLE_TIMEOUT_MS } = options;
  const root = path.join(cwd, '.readme-examples');
  mkdirSync(root, { recursive: true });
  const name = `${path.basename(example.file, path.extname(example.file))}-L${example.line}-`.replace(/[^\w.-]/g, '_');
  const dir = mkdtempSync(path.join(root, name));
  const program = path.join(dir, example.runner === 'vitest' ? 'example.test.mjs' : 'example.mjs');
  writeFileSync(program, await transpile(example));

  let args = [program];
  if (example.runner === 'vitest') {
    // A config of its own, or vitest would find the package's (and its include patterns) above.
    // vitest fails a run on an unhandled rejection by itself; the flag covers its main process.
    const config = path.join(dir, 'vitest.config.mjs');
    writeFileSync(config, `export default { test: { include: ['${path.basename(program)}'] } };\n`);
    args = [vitestCli(cwd), 'run', '--config', config, '--root', dir];
  }
  const run = await runChild(['--unhandled-rejections=strict', ...args], { cwd: dir, timeoutMs, program });
  const where = `${example.file}:${example.line} (run as ${program})`;
  run.problem = describeProblem(run, timeoutMs, where);
  if (run.problem === null) rmSync(dir, { recursive: true, force: true });
  return run;
}

async function transpile(example: ReadmeExample): Promise<string> {
  const ts = (await import('typescript')).default;
  const { outputText, diagnostics = [] } = ts.transpileModule(example.code, {
    fileName: `${path.basename(example.file)}-L${example.line}.mts`,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  });
  if (diagnostics.length > 0) {
    const messages = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    throw new Error(`${example.file}:${example.line}: does not transpile: ${messages.join('; ')}`);
  }
  return outputText;
}

/** vitest's CLI as `cwd` resolves it, so the example sees the same vitest as the package. */
function vitestCli(cwd: string): string {
  const require = createRequire(path.join(cwd, 'package.json'));
  const manifest = require.resolve('vitest/package.json');
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string | Record<string, string> }).bin;
  return path.join(path.dirname(manifest), typeof bin === 'string' ? bin : bin.vitest!);
}

function runChild(
  args: string[],
  { cwd, timeoutMs, program }: { cwd: string; timeoutMs: number; program: string },
): Promise<ReadmeExampleRun> {
  // Not the caller's VITEST_* variables: an example run by vitest must start its own run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  env.NO_COLOR = '1'; // plain text in a failure message
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  for (const key of ['stdout', 'stderr'] as const) {
    child[key].setEncoding('utf8');
    child[key].on('data', (text: string) => {
      if (out[key].length < OUTPUT_LIMIT) out[key] += text;
    });
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      out.stderr += String(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ problem: null, program, exitCode, signal, timedOut, ...out });
    });
  });
}

function describeProblem(run: ReadmeExampleRun, timeoutMs: number, where: string): string | null {
  const what = run.timedOut
    ? `did not end within ${timeoutMs} ms (a hang, a busy loop or something left open)`
    : run.exitCode !== 0
      ? `exited with ${run.exitCode ?? run.signal}`
      : run.stderr !== ''
        ? 'wrote to stderr'
        : null;
  if (what === null) return null;
  const tail = (label: string, text: string) => (text === '' ? '' : `\n--- ${label} ---\n${text.slice(-4000)}`);
  return `${where} ${what}${tail('stderr', run.stderr)}${tail('stdout', run.stdout)}`;
}
