/**
 * Step: child processes driven through @iostream/pipe. `cat` echoes each line as it
 * gets it (round trips over two pipes); `sort` reads everything, then prints, so the
 * demo writes, ends stdin (EOF for sort) and reads until its stdout closes.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fromChildProcess } from '@iostream/pipe';
import { expectEqual, heading, ms, note, shown } from './report.js';

function spawnOrExplain(command: string): ReturnType<typeof spawn> {
  const child = spawn(command, [], { stdio: 'pipe', env: { ...process.env, LC_ALL: 'C' } });
  child.once('error', () => {}); // reported through the streams and the exit below
  return child;
}

async function exitCode(child: ReturnType<typeof spawn>, command: string): Promise<number> {
  if (child.exitCode !== null) return child.exitCode;
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code === null) throw new Error(`${command} was killed by ${signal}`);
  return code;
}

export async function pipeStep(): Promise<void> {
  const started = performance.now();
  heading('child processes over @iostream/pipe: fromChildProcess(spawn(...))');

  const cat = spawnOrExplain('cat');
  const io = fromChildProcess(cat);
  if (!io.stdin || !io.stdout) throw new Error('cat has no piped stdin/stdout');
  note(`cat (pid ${cat.pid}): one line at a time, each echoed back`);
  for (const line of ['first line\n', 'second line\n', 'bytes: \u00e9\u00e8\n']) {
    const t = performance.now();
    await io.stdin.write(line);
    shown('demo', 'cat stdin', line);
    const echoed = await io.stdout.readUntil('\n', { maxBytes: 4096 });
    shown('cat stdout', 'demo', echoed.toString('utf8'), t);
    expectEqual('cat echo', echoed.toString('utf8'), line);
  }
  await io.stdin.end();
  const leftover = await io.stdout.readUntilClose();
  note(`stdin.end() → cat exited with code ${await exitCode(cat, 'cat')}, ${leftover.length} bytes left on stdout`);

  const sort = spawnOrExplain('sort');
  const s = fromChildProcess(sort);
  if (!s.stdin || !s.stdout) throw new Error('sort has no piped stdin/stdout');
  const input = 'pear\napple\nfig\nbanana\n';
  const t = performance.now();
  await s.stdin.write(input);
  shown('demo', 'sort stdin', input);
  await s.stdin.end();
  note('stdin.end(): EOF for sort, which now prints');
  const sorted = await s.stdout.readUntilClose();
  shown('sort stdout', 'demo', sorted, t);
  expectEqual('sort output', sorted, 'apple\nbanana\nfig\npear\n');
  const code = await exitCode(sort, 'sort');
  if (code !== 0) throw new Error(`sort exited with code ${code}`);
  note(`sort exited with code 0; step done in ${ms(started)}`);
}
