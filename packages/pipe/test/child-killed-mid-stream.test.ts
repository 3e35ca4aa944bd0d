import { StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';
import { rejection, waitFor } from './helpers/wait.js';

expectNoLeaks();

/**
 * Killing a child mid-stream: its stdout closes (the pending read rejects, bytes
 * already received stay readable) and its stdin rejects writes with EPIPE.
 */
it('a child killed mid-stream closes its streams without hanging', async () => {
  const { child, closed } = spawnPiped('cat');
  const { stdin, stdout, stderr } = fromChildProcess(child);
  await stdin!.write('first line\npartial');
  expect((await stdout!.readUntil('\n')).toString()).toBe('first line\n');
  await waitFor(() => stdout!.readableLength === 'partial'.length, 'cat echoed "partial"');
  const pending = stdout!.readUntil('\n');
  child.kill('SIGKILL');
  const error = await rejection(pending);
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((await stdout!.readBytes(7)).toString()).toBe('partial');
  expect(await closed).toEqual({ code: null, signal: 'SIGKILL' });
  const writeError = await rejection(stdin!.write(Buffer.alloc(1024 * 1024)));
  expect(writeError).toBeInstanceOf(StreamClosedError);
  expect((writeError as StreamClosedError).realError).toMatchObject({ code: 'EPIPE' });
  expect(stdin!.closed()).toBe(true);
  stderr!.close();
});
