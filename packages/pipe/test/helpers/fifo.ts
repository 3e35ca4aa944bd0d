import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IOStream, IOStreamOptions } from '@iostream/core';
import { openPipe } from '../../src/index.js';

/** A FIFO in a fresh temp dir; `remove()` deletes the dir (the streams own the descriptors). */
export interface Fifo {
  path: string;
  remove(): void;
}

export function makeFifo(): Fifo {
  const dir = mkdtempSync(join(tmpdir(), 'iostream-pipe-'));
  const path = join(dir, 'fifo');
  execFileSync('mkfifo', [path]);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Both ends of a FIFO as descriptors. The read end is opened first and both
 * non-blocking, so neither open waits for the other side.
 */
export function openFifoFds(path: string): { readFd: number; writeFd: number } {
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const writeFd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    return { readFd, writeFd };
  } catch (error) {
    closeSync(readFd);
    throw error;
  }
}

/** A writer stream and a reader stream over one FIFO: bytes written to `a` are read from `b`. */
export function fifoPair(path: string, options: IOStreamOptions = {}): { a: IOStream; b: IOStream } {
  const { readFd, writeFd } = openFifoFds(path);
  const b = openPipe(readFd, { ...options, direction: 'read' });
  const a = openPipe(writeFd, { ...options, direction: 'write' });
  return { a, b };
}
