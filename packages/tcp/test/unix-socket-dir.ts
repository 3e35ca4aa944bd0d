/**
 * Unix domain sockets for tests: a fresh directory under the OS temp dir per test file
 * (removed by `remove()`), and a stale socket file (one whose listener died without
 * removing it, as after a crash).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SocketDir {
  /** The directory. */
  dir: string;
  /** A path in it that nothing uses yet: `name` plus a counter. */
  next(name?: string): string;
  remove(): void;
}

export function socketDir(): SocketDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iostream-unix-'));
  let n = 0;
  return {
    dir,
    next: (name = 's') => path.join(dir, `${name}-${++n}.sock`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Leave a socket file at `socketPath` with nobody listening: a child process binds it
 * and is killed with SIGKILL, so Node never gets to remove it. Synchronous and bounded.
 */
export function makeStaleSocket(socketPath: string): void {
  const program =
    "require('node:net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))";
  try {
    execFileSync(process.execPath, ['-e', program, socketPath], { timeout: 10_000, stdio: 'ignore' });
  } catch {
    // Killed by its own SIGKILL: the expected way out.
  }
  if (!existsSync(socketPath)) throw new Error(`no stale socket was left at ${socketPath}`);
}
