// 1,000 connect / exchange / close cycles over loopback against a `listen` server leave
// nothing behind: the heap after full garbage collection is back to where it was (a kept
// socket and stream pair per cycle would add several MiB; 4 MiB is allowed), every stream
// sampled on either side has been collected, the server tracks no connection, and no
// socket or timer handle is left.
import type { IOStream } from '@iostream/core';
import { activeResources, heapUsedAfterGc, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect, listen } from '../src/index.js';

const CYCLES = 1000;

it(`${CYCLES} connect/read/close cycles over loopback: no heap growth, nothing retained`, async () => {
  const handles = activeResources();
  const sample: WeakRef<IOStream>[] = [];
  let served = 0;
  const server = await listen({ host: '127.0.0.1', port: 0 }, async (stream) => {
    const line = await stream.readUntil('\n', { maxBytes: 64 });
    await stream.write(line);
    served++;
    if (served % 50 === 0) sample.push(new WeakRef(stream));
    // Wait for the client to go (EOF closes the stream); a reject here ends the handler quietly.
    await stream.readUntilClose();
  });
  const port = server.address().port;
  let closes = 0;
  const cycle = async (i: number) => {
    const stream = await connect({ host: '127.0.0.1', port });
    stream.setCloseCallback(() => closes++);
    await stream.write(`cycle ${i}\n`);
    const reply = await stream.readUntil('\n', { maxBytes: 64 });
    if (reply.toString() !== `cycle ${i}\n`) throw new Error(`cycle ${i}: got ${JSON.stringify(reply.toString())}`);
    // Alternate a graceful end with an abortive close.
    if (i % 2 === 0) await stream.end();
    stream.close();
    if (i % 50 === 0) sample.push(new WeakRef(stream));
  };
  for (let i = 0; i < 100; i++) await cycle(i);
  const before = await heapUsedAfterGc();
  for (let i = 0; i < CYCLES; i++) await cycle(i);
  // Let the server side see every EOF before measuring.
  for (let i = 0; i < 20_000 && server.connections > 0; i++) await new Promise((r) => setImmediate(r));
  const after = await heapUsedAfterGc();
  const growth = after - before;
  console.log(
    `loopback: ${CYCLES} cycles, heap ${(before / 1048576).toFixed(2)} -> ${(after / 1048576).toFixed(2)} MiB after GC (${growth >= 0 ? '+' : ''}${growth} bytes)`,
  );
  expect(served).toBe(CYCLES + 100);
  expect(closes).toBe(CYCLES + 100);
  expect(server.connections).toBe(0);
  expect(sample.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  expect(growth).toBeLessThan(4 * 1024 * 1024);
  await server.close({ closeStreams: true });
  expect(await waitForNoNewResources(handles)).toEqual([]);
}, 60_000);
