import { StreamClosedError } from '@iostream/core';
import { describe, expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';
import { rejection, streamClosed } from './helpers/wait.js';

/** 4 MiB: more than any pipe or socketpair buffer takes, so the write cannot be absorbed. */
const BIG = Buffer.alloc(4 * 1024 * 1024, 0x61);

function expectEpipe(error: unknown): void {
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).code).toBe('ERR_STREAM_CLOSED');
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'EPIPE' });
}

/**
 * Writing to a child that never reads its stdin: the write rejects with
 * StreamClosedError whose realError is EPIPE, nothing hangs, and the EPIPE
 * never escapes as an uncaught 'error' event (vitest fails the run if it does).
 */
describe('writing to a child that exits before reading its stdin', () => {
  expectNoLeaks();

  it('after the child has exited: the write rejects with EPIPE', async () => {
    const { child, closed } = spawnPiped('sh', ['-c', 'exit 0']);
    const { stdin, stdout, stderr } = fromChildProcess(child);
    expect(await closed).toEqual({ code: 0, signal: null });
    expectEpipe(await rejection(stdin!.write(BIG)));
    expectEpipe(await rejection(stdin!.write('again')));
    expect(stdin!.error).toMatchObject({ code: 'EPIPE' });
    stdout!.close();
    stderr!.close();
  });

  it('while the child runs with its stdin closed: the write rejects with EPIPE', async () => {
    const { child, reap } = spawnPiped('sh', ['-c', 'exec 0<&-; exec sleep 30']);
    const { stdin, stdout, stderr } = fromChildProcess(child);
    expectEpipe(await rejection(stdin!.write(BIG)));
    expect(child.exitCode).toBeNull();
    await reap();
    stdout!.close();
    stderr!.close();
  });

  it('a small write the pipe took before the exit: the stream closes with EPIPE as its error', async () => {
    const { child, closed } = spawnPiped('sh', ['-c', 'exit 0']);
    const { stdin, stdout, stderr } = fromChildProcess(child);
    const closing = streamClosed(stdin!);
    // Handed to the pipe before the child goes away (or rejected, if it already has).
    await stdin!.write('hello').catch(expectEpipe);
    await closing;
    expect(stdin!.error).toMatchObject({ code: 'EPIPE' });
    expectEpipe(await rejection(stdin!.write('late')));
    await closed;
    stdout!.close();
    stderr!.close();
  });
});
