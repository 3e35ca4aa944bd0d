import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

/** `sort` prints nothing until its input ends: stdin.end() must deliver EOF to the child. */
it('sort fed lines, then stdin.end(), prints them sorted and exits', async () => {
  const { child, closed } = spawnPiped('sort', []);
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const words = ['pear', 'apple', 'fig', 'banana', 'cherry'];
  for (const w of words) await stdin!.write(`${w}\n`);
  const output = stdout!.readUntilClose();
  await stdin!.end();
  const lines = (await output).toString().split('\n').filter(Boolean);
  expect(lines).toEqual([...words].sort());
  expect(await stderr!.readUntilClose()).toHaveLength(0);
  expect(await closed).toEqual({ code: 0, signal: null });
});
