import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

/** 16 MB pushed through `cat` comes back byte for byte, while writing and reading overlap. */
it('16 MB through cat keeps its sha256', async () => {
  const { child, closed } = spawnPiped('cat');
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const size = 16 * 1024 * 1024;
  const block = createHash('sha256').update('seed').digest();
  const sent = createHash('sha256');
  const writing = (async () => {
    for (let off = 0; off < size; off += 64 * 1024) {
      const chunk = Buffer.alloc(64 * 1024);
      for (let i = 0; i < chunk.length; i += block.length)
        block.copy(chunk, i, 0, Math.min(block.length, chunk.length - i));
      chunk.writeUInt32BE(off, 0); // position-dependent, so lost or reordered chunks show
      sent.update(chunk);
      await stdin!.write(chunk);
    }
    await stdin!.end();
  })();
  const received = createHash('sha256');
  let total = 0;
  await stdout!.readUntilClose({
    onChunk: (chunk) => {
      received.update(chunk);
      total += chunk.length;
    },
  });
  await writing;
  expect(total).toBe(size);
  expect(received.digest('hex')).toBe(sent.digest('hex'));
  expect(await closed).toEqual({ code: 0, signal: null });
  expect(stdin!.closed()).toBe(true);
  expect(stdout!.error).toBeNull();
  stderr!.close();
});
