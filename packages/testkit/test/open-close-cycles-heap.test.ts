// 10,000 open / exchange / close cycles on the fake transport leave nothing behind: the
// heap after full garbage collection is back to where it was (the growth allowed, 2 MiB,
// is a fifth of what keeping even one stream per cycle would cost), every stream sampled
// along the way has been collected, every close callback ran once, and no handle is left.
import { IOStream } from '@iostream/core';
import { expect, it } from 'vitest';
import { activeResources, createTransportPair, heapUsedAfterGc, waitForNoNewResources } from '../src/index.js';

const CYCLES = 10_000;

async function cycle(i: number, sample: WeakRef<object>[], closed: { count: number }): Promise<void> {
  const [ta, tb] = createTransportPair({ delivery: i % 2 === 0 ? 'microtask' : 'macrotask', chunking: (i % 7) + 1 });
  const a = new IOStream(ta);
  const b = new IOStream(tb);
  a.setCloseCallback(() => closed.count++);
  b.setCloseCallback(() => closed.count++);
  await a.write(`request ${i}\n`);
  const line = await b.readUntil('\n', { maxBytes: 64 });
  await b.write(line);
  await a.readBytes(line.length);
  // Half the cycles close with a read still pending, the other half cleanly after the exchange.
  const pending = i % 2 === 0 ? a.readUntil('\n').catch(() => {}) : null;
  a.close();
  b.close();
  await pending;
  if (i % 100 === 0) sample.push(new WeakRef(a), new WeakRef(tb));
}

it(`${CYCLES} open/read/close cycles on the fake transport: no heap growth, nothing retained`, async () => {
  const handles = activeResources();
  const sample: WeakRef<object>[] = [];
  const closed = { count: 0 };
  for (let i = 0; i < 500; i++) await cycle(i, [], closed);
  const before = await heapUsedAfterGc();
  for (let i = 0; i < CYCLES; i++) await cycle(i, sample, closed);
  const after = await heapUsedAfterGc();
  const growth = after - before;
  console.log(
    `fake transport: ${CYCLES} cycles, heap ${(before / 1048576).toFixed(2)} -> ${(after / 1048576).toFixed(2)} MiB after GC (${growth >= 0 ? '+' : ''}${growth} bytes)`,
  );
  expect(closed.count).toBe(2 * (CYCLES + 500));
  expect(sample.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  expect(growth).toBeLessThan(2 * 1024 * 1024);
  expect(await waitForNoNewResources(handles)).toEqual([]);
}, 60_000);
