import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';
import { tempFile } from './helpers/temp-file.js';

expectNoLeaks();

/**
 * Node itself resumes a child's stdout after the child exits, behind the
 * transport's back. Resuming the socket from outside while the stream holds
 * data it has not read must lose, duplicate or reorder nothing.
 */
it('resuming the wrapped socket from outside keeps every byte in order', async () => {
  const data = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = (i * 13 + (i >> 10)) % 256;
  const input = tempFile(data);
  try {
    const { child, closed } = spawnPiped('cat', [input.path]);
    const socket = child.stdout!;
    const { stdin, stdout, stderr } = fromChildProcess(child, { readChunkSize: 4096 });
    stdin!.close();
    const hash = createHash('sha256');
    let got = 0;
    while (got < data.length) {
      socket.resume(); // what Node's child_process does once the child has exited
      const part = await stdout!.readBytes(Math.min(5000, data.length - got));
      hash.update(part);
      got += part.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(await stdout!.readUntilClose()).toHaveLength(0);
    expect(await closed).toEqual({ code: 0, signal: null });
    stderr!.close();
  } finally {
    input.remove();
  }
});
