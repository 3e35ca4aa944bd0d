import { type ChildProcess, spawn } from 'node:child_process';

export interface Spawned {
  child: ChildProcess;
  /** Settles once the child has exited and its stdio have closed. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kill the child if it is still running, and wait for `closed`. */
  reap(): Promise<void>;
}

/** Spawn `command` with all three stdio piped, listening for 'close' from the start. */
export function spawnPiped(command: string, args: readonly string[] = []): Spawned {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    closed,
    async reap() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await closed;
    },
  };
}
