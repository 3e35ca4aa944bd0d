import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

/** More than core's read-ahead, Node's socket buffer and a pipe's capacity together, by far. */
const BOUND = 4 * 1024 * 1024;

/**
 * Node resumes a child's stdout when the child exits. A grandchild that inherited the pipe
 * (`yes &`) keeps writing; the stream must still hold it back while no read is pending,
 * instead of taking everything into memory (it grew by about 300 MiB/s).
 */
it("a child's stdout keeps flow control after the child exits while a grandchild writes", async () => {
  // Its own process group, so the grandchild can be killed with it at the end.
  const child = spawn('sh', ['-c', 'yes & exit 0'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const closed = new Promise((resolve) => child.once('close', resolve));
  const socket = child.stdout as Socket;
  const { stdin, stdout, stderr } = fromChildProcess(child, { readChunkSize: 4096 });
  const killGroup = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  try {
    stdin!.close();
    let consumed = (await stdout!.readBytes(1000)).length;
    await exited;
    // No read pending from here: whatever the socket reads beyond what was consumed is held in memory.
    const held = () => socket.bytesRead - consumed;
    const started = Date.now();
    let turns = 0;
    while (held() <= BOUND && (turns < 2000 || Date.now() - started < 300)) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    expect(held()).toBeLessThanOrEqual(BOUND);
    expect(stdout!.readableLength).toBeLessThanOrEqual(BOUND);
    // Still flowing when read: the grandchild's output keeps coming.
    for (let i = 0; i < 100; i++) consumed += (await stdout!.readBytes(64 * 1024)).length;
    expect(consumed).toBe(1000 + 100 * 64 * 1024);
    expect(held()).toBeLessThanOrEqual(BOUND);
  } finally {
    killGroup();
  }
  // The grandchild's death closes the pipe: the stream ends, with what was left.
  await stdout!.readUntilClose();
  expect(stdout!.closed()).toBe(true);
  stderr!.close();
  await closed;
});
