/**
 * The pipe workloads' other end: a child the measured process spawns itself, so
 * its bytes cross Node's child stdio pipes (a Unix socketpair on Linux, read with
 * libuv pipe handles). `source` runs `sender.js` with `transport: 'pipe'` (it
 * writes `count` units to its stdout, then exits); `cat` echoes stdin to stdout, or
 * with `sink` swallows it into /dev/null. Resolves once the child is ready to move
 * bytes (the source has built its buffer), so the measured section starts there.
 * The child inherits the measured process's CPU pinning.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ChildArgs } from '../protocol.js';
import { fail } from './measure.js';

const SENDER = fileURLToPath(new URL('./sender.js', import.meta.url));

export type PipeChild = 'source' | 'cat' | 'sink';

/** {@link spawnPipeChild} when the workload runs over pipes (`args.transport`), else `null`. */
export function pipeChildFor(args: ChildArgs, kind: PipeChild, variant?: string): Promise<ChildProcess | null> {
  return args.transport === 'pipe' ? spawnPipeChild(kind, args, variant) : Promise.resolve(null);
}

export async function spawnPipeChild(kind: PipeChild, args: ChildArgs, variant = ''): Promise<ChildProcess> {
  if (kind !== 'source') {
    const child = spawn('cat', [], { stdio: ['pipe', kind === 'sink' ? 'ignore' : 'pipe', 'inherit'] });
    child.on('error', (e) => fail(`cat: ${e.message}`));
    await once(child, 'spawn');
    return child;
  }
  const childArgs: ChildArgs = { variant, count: args.count, transport: 'pipe' };
  const child = spawn(process.execPath, [SENDER, JSON.stringify(childArgs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('error', (e) => fail(`sender: ${e.message}`));
  child.on('exit', (code) => {
    if (code !== 0) fail(`sender exited with ${code}`);
  });
  // The sender says `ready` on stderr once its buffer is built; anything else there is its failure.
  await new Promise<void>((resolve) => {
    let said = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      if (said === READY) return void process.stderr.write(text);
      said += text;
      if (said === READY) resolve();
      else if (!READY.startsWith(said)) fail(`sender: ${said}`);
    });
  });
  return child;
}

/** What `sender.js` prints on stderr once it is about to write its stdout. */
export const READY = 'ready\n';
