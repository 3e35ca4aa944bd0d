import type { ChildProcess } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

/**
 * Bun's child_process hands stdio out as a plain `Writable` and `Readable`, not a
 * `net.Socket`. Here a real `cat`'s pipes are put behind such streams, so the child
 * `fromChildProcess` sees looks like one Bun spawned.
 */
function behindPlainStreams(child: ChildProcess): ChildProcess {
  const stdin = new Writable({
    write: (chunk: Buffer, _encoding, callback) => void child.stdin?.write(chunk, callback),
    final: (callback) => void child.stdin?.end(callback),
    destroy: (error, callback) => {
      child.stdin?.destroy();
      callback(error);
    },
  });
  const stdout = new PassThrough();
  child.stdout?.pipe(stdout);
  return { stdin, stdout, stderr: null } as unknown as ChildProcess;
}

it('drives stdio that are plain streams (as Bun gives them) like pipe sockets', async () => {
  const { child, closed } = spawnPiped('cat');
  const { stdin, stdout, stderr } = fromChildProcess(behindPlainStreams(child));
  expect(stderr).toBeUndefined();
  for (const line of ['first\n', 'second line\n']) {
    await stdin!.write(line);
    expect((await stdout!.readUntil('\n', { maxBytes: 64 })).toString()).toBe(line);
  }
  const big = Buffer.alloc(1 << 20, 0x61);
  const echoed = stdout!.readBytes(big.length);
  await stdin!.write(big);
  expect((await echoed).equals(big)).toBe(true);
  await stdin!.end();
  expect(await stdout!.readUntilClose()).toHaveLength(0);
  expect(await closed).toEqual({ code: 0, signal: null });
  child.stderr?.destroy();
});

it('still refuses stdio that is not a stream', () => {
  const child = { stdin: { write: () => true }, stdout: null, stderr: null } as unknown as ChildProcess;
  expect(() => fromChildProcess(child)).toThrow(TypeError);
});
