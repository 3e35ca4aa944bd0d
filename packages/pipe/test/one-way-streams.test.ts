import { StreamClosedError } from '@iostream/core';
import { describe, expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { fifoPair, makeFifo } from './helpers/fifo.js';
import { expectNoLeaks } from './helpers/leaks.js';
import { rejection } from './helpers/wait.js';

/**
 * Pipes are one-way: reading the write end, or writing the read end, rejects
 * with StreamClosedError at once (never hangs) and leaves the other direction
 * working.
 */
describe('one-way streams', () => {
  expectNoLeaks();

  it('FIFO: reads on the write end and writes on the read end reject; the pipe still works', async () => {
    const fifo = makeFifo();
    try {
      const { a, b } = fifoPair(fifo.path);
      const readError = await rejection(a.readBytes(1));
      expect(readError).toBeInstanceOf(StreamClosedError);
      expect((readError as StreamClosedError).realError).toBeNull();
      expect((await a.readUntilClose()).length).toBe(0);
      const writeError = await rejection(b.write('x'));
      expect(writeError).toBeInstanceOf(StreamClosedError);
      expect((writeError as StreamClosedError).realError).toBeNull();
      expect(a.closed()).toBe(false);
      expect(b.closed()).toBe(false);
      await a.write('still flowing');
      expect((await b.readBytes(13)).toString()).toBe('still flowing');
      await a.end();
      expect(a.closed()).toBe(true);
      expect(await b.readUntilClose()).toHaveLength(0);
      expect(b.closed()).toBe(true);
    } finally {
      fifo.remove();
    }
  });

  it('child process: stdin cannot be read, stdout and stderr cannot be written', async () => {
    const { child, closed } = spawnPiped('cat');
    const { stdin, stdout, stderr } = fromChildProcess(child);
    expect(await rejection(stdin!.readBytes(1))).toBeInstanceOf(StreamClosedError);
    expect(await rejection(stdout!.write('x'))).toBeInstanceOf(StreamClosedError);
    expect(await rejection(stderr!.write('x'))).toBeInstanceOf(StreamClosedError);
    await stdin!.write('ok\n');
    expect((await stdout!.readUntil('\n')).toString()).toBe('ok\n');
    await stdin!.end();
    expect(await stdout!.readUntilClose()).toHaveLength(0);
    expect(await stderr!.readUntilClose()).toHaveLength(0);
    expect(await closed).toEqual({ code: 0, signal: null });
  });
});
