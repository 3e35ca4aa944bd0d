import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';
import { tempFile } from './helpers/temp-file.js';

expectNoLeaks();

/**
 * A child's output read slowly, in small pieces, while the child finishes and
 * exits (Node then resumes the child's stdout on its own): every byte arrives,
 * in order, and the stream's buffer stays within a few chunks.
 */
it('slow small reads across the child exit get every byte in order', async () => {
  const data = Buffer.alloc(2 * 1024 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 12)) % 256;
  const input = tempFile(data);
  try {
    const { child, closed } = spawnPiped('cat', [input.path]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const { stdin, stdout, stderr } = fromChildProcess(child, { readChunkSize: 4096 });
    stdin!.close();
    const hash = createHash('sha256');
    let got = 0;
    let maxBuffered = 0;
    let sawExit = false;
    void exited.then(() => {
      sawExit = true;
    });
    let readsAfterExit = 0;
    while (got < data.length) {
      // Once the stream holds every byte still to read, cat has written them all and is
      // exiting: wait for its exit, so at least one read comes after it however the
      // machine schedules cat and its exit event (under load the event could come last).
      if (!sawExit && stdout!.readableLength >= data.length - got) await exited;
      const part = await stdout!.readBytes(Math.min(3000, data.length - got));
      hash.update(part);
      got += part.length;
      maxBuffered = Math.max(maxBuffered, stdout!.readableLength);
      if (sawExit) readsAfterExit++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(await stdout!.readUntilClose()).toHaveLength(0);
    expect(readsAfterExit).toBeGreaterThan(0);
    // readChunkSize of read-ahead plus what one pipe read (at most 64 KiB) and one concatenation can add.
    expect(maxBuffered).toBeLessThanOrEqual(4096 + 3 * 65536);
    expect(await closed).toEqual({ code: 0, signal: null });
    stderr!.close();
  } finally {
    input.remove();
  }
});
