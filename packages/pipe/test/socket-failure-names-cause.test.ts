import { StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { fromChildProcess, PipeFailedError } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

/**
 * A pipe's socket failing with a value that is not an Error (`destroy('x')`) closes the
 * stream with PipeFailedError, the value as its `cause`. Core's close() takes only Errors:
 * handed the raw value it threw from inside the socket's 'error' event, an uncaught
 * exception, and the pending read never settled.
 */
it("a child's stdout destroyed with a string: the pending read rejects with PipeFailedError", async () => {
  const { child, reap } = spawnPiped('sleep', ['30']);
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const read = stdout!.readBytes(1).catch((e: unknown) => e);
  child.stdout!.destroy('x' as unknown as Error);
  const error = (await read) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.realError).toBeInstanceOf(PipeFailedError);
  expect(error.realError).toMatchObject({ code: 'ERR_PIPE_FAILED', name: 'PipeFailedError', cause: 'x' });
  expect(stdout!.error).toBe(error.realError);
  stdin!.close();
  stderr!.close();
  await reap();
});

/**
 * Node destroys a socket (setting `errored`) at once and emits 'error' a turn later; a write
 * in between rejects with the socket's own error, not a made-up EPIPE.
 */
it("a write right after the stdin socket failed rejects with the socket's error", async () => {
  const { child, reap } = spawnPiped('sleep', ['30']);
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const failure = Object.assign(new Error('injected'), { code: 'EINJECTED' });
  child.stdin!.destroy(failure);
  const error = (await stdin!.write('x').catch((e: unknown) => e)) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.realError).toBe(failure);
  expect(stdin!.error).toBe(failure);
  stdout!.close();
  stderr!.close();
  await reap();
});
