// write([head, body]) to a child's stdin reaches libuv as one writev (counted on the pipe
// socket's handle: no strace in tests), and many vectored writes to a child that lags behind
// arrive intact, in order, with every write resolved in order.
import { createHash } from 'node:crypto';
import { countHandleWrites } from '@iostream/testkit';
import { expect, it, onTestFinished } from 'vitest';
import { fromChildProcess } from '../src/index.js';
import { spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

it('one writev per write([head, body]) to cat, which echoes every byte', async () => {
  const { child, closed, reap } = spawnPiped('cat');
  onTestFinished(reap);
  const counts = countHandleWrites(child.stdin);
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const head = Buffer.alloc(200, 0x68);
  const body = Buffer.alloc(1024, 0x62);
  for (let i = 0; i < 20; i++) {
    await stdin!.write([head, body]);
    // Read each echo back, so the pipe never fills and every write goes straight to the kernel.
    expect((await stdout!.readBytes(1224)).equals(Buffer.concat([head, body]))).toBe(true);
  }
  expect(Object.fromEntries(counts)).toEqual({ writev: 20 });
  await stdin!.end();
  expect((await stdout!.readUntilClose()).length).toBe(0);
  expect(await closed).toEqual({ code: 0, signal: null });
  stderr!.close();
});

it('many vectored writes to a lagging cat arrive intact and resolve in order', async () => {
  const { child, closed, reap } = spawnPiped('cat');
  onTestFinished(reap);
  const counts = countHandleWrites(child.stdin);
  const { stdin, stdout, stderr } = fromChildProcess(child);
  const sent = createHash('sha256');
  const order: number[] = [];
  const writes: Promise<void>[] = [];
  let total = 0;
  for (let i = 0; i < 300; i++) {
    const chunks = [
      Buffer.alloc(1 + (i % 300), i % 251),
      Buffer.alloc(9000 + i, (i * 7) % 251),
      Buffer.from([i & 0xff]),
    ];
    for (const c of chunks) {
      sent.update(c);
      total += c.length;
    }
    writes.push(stdin!.write(chunks).then(() => void order.push(i)));
  }
  const ended = stdin!.end();
  // Only now start reading: until here cat could write back only what its stdout pipe holds.
  const echoed = await stdout!.readUntilClose();
  await Promise.all(writes);
  await ended;
  expect(order).toEqual(writes.map((_, i) => i));
  expect(echoed.length).toBe(total);
  expect(createHash('sha256').update(echoed).digest('hex')).toBe(sent.digest('hex'));
  // Queued chunks go over in runs: far fewer handle writes than write() calls.
  let calls = 0;
  for (const n of counts.values()) calls += n;
  expect(calls).toBeLessThan(writes.length / 4);
  expect(await closed).toEqual({ code: 0, signal: null });
  stderr!.close();
});
