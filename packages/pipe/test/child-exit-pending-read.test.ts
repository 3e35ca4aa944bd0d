import { StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';
import { rejection, waitFor } from './helpers/wait.js';

expectNoLeaks();

/**
 * A child that exits while a read is pending closes the stream: the unsatisfied
 * read rejects with StreamClosedError (a clean EOF, so realError is null) and the
 * output it did print stays readable.
 */
it('child exit rejects the pending read and keeps its buffered output', async () => {
  // Prints "abc", then waits for a line on stdin before exiting: the read is pending before the exit.
  const { child, closed } = spawnPiped('sh', ['-c', 'printf abc; read go; exit 3']);
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const pending = stdout!.readBytes(10);
  await waitFor(() => stdout!.readableLength === 3, 'the child printed abc');
  expect(stdout!.reading()).toBe(true);
  await stdin!.write('go\n');
  const error = await rejection(pending);
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).code).toBe('ERR_STREAM_CLOSED');
  expect((error as StreamClosedError).realError).toBeNull();
  expect(stdout!.closed()).toBe(true);
  expect((await stdout!.readBytes(3)).toString()).toBe('abc');
  expect(await rejection(stdout!.readBytes(1))).toBeInstanceOf(StreamClosedError);
  expect(await closed).toEqual({ code: 3, signal: null });
  stderr!.close();
});
