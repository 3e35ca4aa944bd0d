// Small writes made in one turn to a child's stdin: the first goes at once, the rest as one
// writev when the turn ends (counted on the pipe socket's handle: no strace, no timing).
import { countHandleWrites } from '@iostream/testkit';
import { expect, it, onTestFinished } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

it('30 writes in one turn to cat are one write and one writev, and cat echoes every byte in order', async () => {
  const { child, closed, reap } = spawnPiped('cat');
  onTestFinished(reap);
  const counts = countHandleWrites(child.stdin);
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const lines = Array.from({ length: 30 }, (_, i) => Buffer.from(`line ${i}\n`));
  const writes = lines.map((line) => stdin!.write(line));
  expect(Object.fromEntries(counts)).toEqual({ writeBuffer: 1 });
  await Promise.all(writes);
  expect(Object.fromEntries(counts)).toEqual({ writeBuffer: 1, writev: 1 });
  await stdin!.end();
  expect((await stdout!.readUntilClose()).equals(Buffer.concat(lines))).toBe(true);
  expect(await closed).toEqual({ code: 0, signal: null });
  stderr!.close();
});
