import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

/**
 * Writes to a child's stdin while the child cannot keep up (its stdout is not read for a
 * while, so `cat` blocks and the stdin pipe fills): small writes that the kernel takes at
 * once are done inside write(), the ones Node has to hold are tracked until the pipe drains.
 * Every write resolves, in order, and `cat` echoes every byte back.
 */
it('writes of mixed sizes to a lagging child resolve in order and all arrive', async () => {
  const { child, closed } = spawnPiped('cat');
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const sizes = [1, 700, 9000, 15000, 40, 70000, 3, 16384];
  const sent = createHash('sha256');
  const order: number[] = [];
  const writes: Promise<void>[] = [];
  let total = 0;
  for (let i = 0; i < 160; i++) {
    const chunk = Buffer.alloc(sizes[i % sizes.length] as number, i % 251);
    sent.update(chunk);
    total += chunk.length;
    writes.push(stdin!.write(chunk).then(() => void order.push(i)));
  }
  const ended = stdin!.end();
  // Only now start reading: until here cat could write back only what its stdout pipe holds.
  const echoed = await stdout!.readUntilClose();
  await Promise.all(writes);
  await ended;
  expect(order).toEqual(writes.map((_, i) => i));
  expect(echoed.length).toBe(total);
  expect(createHash('sha256').update(echoed).digest('hex')).toBe(sent.digest('hex'));
  expect(await closed).toEqual({ code: 0, signal: null });
  stderr!.close();
});
