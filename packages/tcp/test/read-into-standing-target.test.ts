// A read that fills a readInto target leaves the socket's handle pointed at it ("standing"),
// because a readInto loop lends the same target again from its continuation: the handle is
// then already there, and is not re-pointed (handle.useUserBuffer) once per read. Checked:
// a loop, directly and through async helpers, re-points once for a whole transfer; a target
// that is not lent again (the caller waits, or lends another) never has a byte written into
// it afterwards; every byte arrives intact and in order, also under any mix of reads (property).
import net from 'node:net';
import type { IOStream } from '@iostream/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { connect, listen } from '../src/index.js';
import { spyOnLoans, useRawServer, waitFor } from './helpers.js';

const TARGET = 64 * 1024;
const READS = 128;
const TOTAL = READS * TARGET;

const byteAt = (i: number) => (i * 13 + (i >>> 12)) % 251;
function pattern(n: number, from = 0): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = byteAt(from + i);
  return b;
}

const server = useRawServer();

async function connected(): Promise<{ stream: IOStream; peer: net.Socket }> {
  const connecting = connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  return { stream: await connecting, peer };
}

/** `readInto` on `stream` reached through `depth` async functions, each awaiting the next. */
function throughAsync(stream: IOStream, depth: number): (t: Buffer) => Promise<number> {
  let fill = (t: Buffer) => stream.readInto(t);
  for (let i = 0; i < depth; i++) {
    const inner = fill;
    fill = async (t: Buffer) => await inner(t);
  }
  return fill;
}

/** `READS` reads into one target through `fill`, each checked against the pattern. */
async function readAll(target: Buffer, fill: (t: Buffer) => Promise<number>): Promise<void> {
  for (let r = 0; r < READS; r++) {
    expect(await fill(target)).toBe(TARGET);
    let bad = -1;
    for (let j = 0; j < TARGET && bad < 0; j++) if (target[j] !== byteAt(r * TARGET + j)) bad = j;
    expect(bad).toBe(-1);
  }
}

it('a connect() stream lending one target in a loop points the handle at it once, every byte intact', async () => {
  const { stream, peer } = await connected();
  const target = Buffer.alloc(TARGET);
  const { pointedAt, seen } = spyOnLoans(stream, target.buffer);
  peer.end(pattern(TOTAL));
  await readAll(target, throughAsync(stream, 0));
  expect(pointedAt.filter((b) => b === target)).toHaveLength(1);
  expect(pointedAt.length).toBeLessThanOrEqual(2);
  // And the reads went straight into it: most bytes reached core in the target's memory.
  expect(seen.lentBytes).toBeGreaterThan(TOTAL / 2);
  expect((await stream.readUntilClose()).length).toBe(0);
  stream.close();
});

it('a listen() stream does the same', async () => {
  const target = Buffer.alloc(TARGET);
  let pointedAt: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    void listen({ host: '127.0.0.1', port: 0, onError: reject }, async (stream) => {
      pointedAt = spyOnLoans(stream, target.buffer).pointedAt;
      await readAll(target, throughAsync(stream, 0));
      expect((await stream.readUntilClose()).length).toBe(0);
      stream.close();
      resolve();
    }).then((srv) => {
      const client = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1');
      client.on('error', reject);
      client.end(pattern(TOTAL));
      void done.finally(() => {
        client.destroy();
        void srv.close();
      });
    }, reject);
  });
  await done;
  expect(pointedAt.filter((b) => b === target)).toHaveLength(1);
});

it('through two async helpers between the loop and readInto the target still stands', async () => {
  const { stream, peer } = await connected();
  const target = Buffer.alloc(TARGET);
  const { pointedAt, seen } = spyOnLoans(stream, target.buffer);
  peer.end(pattern(TOTAL));
  await readAll(target, throughAsync(stream, 2));
  expect(pointedAt.filter((b) => b === target)).toHaveLength(1);
  expect(seen.lentBytes).toBeGreaterThan(TOTAL / 2);
  stream.close();
});

it('deeper than that, the handle is pointed away and back each read, and every byte is intact', async () => {
  const { stream, peer } = await connected();
  const target = Buffer.alloc(TARGET);
  const { pointedAt } = spyOnLoans(stream, target.buffer);
  peer.end(pattern(TOTAL));
  await readAll(target, throughAsync(stream, 3));
  // Pointed away from the target (to the reader's own memory) between reads.
  expect(pointedAt.some((x) => x.buffer !== target.buffer)).toBe(true);
  stream.close();
});

it('a filled target that is not lent again gets no byte written into it while later bytes are read', async () => {
  const { stream, peer } = await connected();
  const target = Buffer.alloc(TARGET);
  const { pointedAt } = spyOnLoans(stream, target.buffer);
  peer.end(pattern(TOTAL));
  expect(await stream.readInto(target)).toBe(TARGET);
  const kept = Buffer.from(target);
  // The caller does something else; Node reads on meanwhile (core buffers up to a chunk).
  await waitFor(() => stream.readableLength > 0, 'bytes read after the target was filled');
  expect(target.equals(kept)).toBe(true);
  expect(pointedAt.at(-1)?.buffer).not.toBe(target.buffer);
  const rest = await stream.readBytes(TOTAL - TARGET);
  expect(rest.equals(pattern(TOTAL - TARGET, TARGET))).toBe(true);
  expect(target.equals(kept)).toBe(true);
  stream.close();
});

it('alternating two targets: each is filled intact and the one not lent is never written', async () => {
  const { stream, peer } = await connected();
  peer.end(pattern(TOTAL));
  const targets = [Buffer.alloc(TARGET), Buffer.alloc(TARGET)] as const;
  let other = Buffer.alloc(0);
  for (let r = 0; r < READS; r++) {
    const t = targets[r % 2] as Buffer;
    expect(await stream.readInto(t)).toBe(TARGET);
    expect(t.equals(pattern(TARGET, r * TARGET))).toBe(true);
    // The other target still holds what its own read put there.
    if (r > 0) expect((targets[(r + 1) % 2] as Buffer).equals(other)).toBe(true);
    other = Buffer.from(t);
  }
  stream.close();
});

it('a loop of readBytes after a readInto loop never reads into the last target', async () => {
  const { stream, peer } = await connected();
  peer.end(pattern(TOTAL));
  const target = Buffer.alloc(TARGET);
  for (let r = 0; r < 4; r++) expect(await stream.readInto(target)).toBe(TARGET);
  const kept = Buffer.from(target);
  let at = 4 * TARGET;
  while (at < TOTAL) {
    const got = await stream.readBytes(Math.min(10_000, TOTAL - at));
    expect(got.equals(pattern(got.length, at))).toBe(true);
    at += got.length;
  }
  expect(target.equals(kept)).toBe(true);
  stream.close();
});

type Op = { kind: 'same' | 'fresh' | 'bytes'; size: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant<'same'>('same'), size: fc.constant(TARGET) }),
  fc.record({ kind: fc.constantFrom<'fresh' | 'bytes'>('fresh', 'bytes'), size: fc.integer({ min: 1, max: 100_000 }) }),
);

it('property: any mix of readInto into one reused target, into fresh targets, and readBytes keeps every byte in order and every held result intact', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(opArb, { minLength: 1, maxLength: 16 }),
      fc.array(fc.integer({ min: 1, max: 90_000 }), { minLength: 1, maxLength: 8 }),
      async (ops, writeSizes) => {
        const { stream, peer } = await connected();
        const total = ops.reduce((n, op) => n + op.size, 0);
        const data = pattern(total);
        for (let at = 0, i = 0; at < total; i++) {
          const n = Math.min(writeSizes[i % writeSizes.length] as number, total - at);
          peer.write(data.subarray(at, at + n));
          at += n;
        }
        peer.end();
        const shared = Buffer.alloc(TARGET);
        const held: { at: number; bytes: Buffer }[] = [];
        let at = 0;
        for (const op of ops) {
          if (op.kind === 'bytes') {
            held.push({ at, bytes: await stream.readBytes(op.size) });
          } else {
            const target = op.kind === 'same' ? shared : Buffer.alloc(op.size);
            expect(await stream.readInto(target)).toBe(op.size);
            // The reused target is checked now (the next read may refill it); the others at the end.
            if (op.kind === 'same') expect(target.equals(data.subarray(at, at + op.size))).toBe(true);
            else held.push({ at, bytes: target });
          }
          at += op.size;
        }
        expect((await stream.readUntilClose()).length).toBe(0);
        for (const h of held) expect(h.bytes.equals(data.subarray(h.at, h.at + h.bytes.length))).toBe(true);
        stream.close();
      },
    ),
    { numRuns: 25 },
  );
}, 60_000);
