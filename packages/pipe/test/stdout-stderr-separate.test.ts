import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

/** stdout and stderr are separate streams: each carries only its own output. */
it('reads stdout and stderr of one child separately', async () => {
  const { child, closed } = spawnPiped('sh', ['-c', 'echo out; echo err >&2; echo out2; echo err2 >&2']);
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const [out, err] = await Promise.all([stdout!.readUntilClose(), stderr!.readUntilClose()]);
  expect(out.toString()).toBe('out\nout2\n');
  expect(err.toString()).toBe('err\nerr2\n');
  expect(await closed).toEqual({ code: 0, signal: null });
  stdin!.close();
});
