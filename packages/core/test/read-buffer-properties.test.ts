/**
 * Property: ReadBuffer (core's inbound queue, with its coalescing accumulators,
 * views and segment-straddling search) behaves exactly like one plain Buffer,
 * and bytes it has handed out are never overwritten by later pushes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReadBuffer } from '../src/read-buffer.js';
import { byteArb } from './helpers/model.js';

type BufOp =
  | { kind: 'push'; bytes: number[] }
  | { kind: 'take' | 'takeHead' | 'copyOut' | 'unshift' | 'latin1'; permille: number }
  | { kind: 'indexOf'; needle: number[]; fromPermille: number };

const permille = fc.integer({ min: 0, max: 1000 });
const small = fc.constantFrom(0x61, 0x62, 0x0d, 0x0a);
const bufOp: fc.Arbitrary<BufOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      bytes: fc.oneof(
        fc.array(byteArb, { maxLength: 40 }),
        // Large chunks (kept as their own segments): a repeating pattern is cheap to generate and shrink.
        fc
          .record({ n: fc.integer({ min: 1000, max: 2500 }), pattern: fc.array(small, { minLength: 1, maxLength: 7 }) })
          .map(({ n, pattern }) => Array.from({ length: n }, (_, i) => pattern[i % pattern.length] as number)),
      ),
    }),
  },
  fc.record({ kind: fc.constantFrom('take', 'takeHead', 'copyOut', 'unshift', 'latin1'), permille }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('indexOf' as const),
      needle: fc.array(small, { minLength: 1, maxLength: 5 }),
      fromPermille: permille,
    }),
  },
);

/** Byte equality; vitest's deep toEqual walks big Buffers element by element, far too slowly here. */
function same(actual: Uint8Array, expected: Uint8Array): void {
  if (!Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(expected))
    expect(actual).toEqual(expected);
}

describe('properties: ReadBuffer against a plain Buffer', () => {
  it('every operation agrees with the model; handed-out views stay intact', () => {
    fc.assert(
      fc.property(fc.array(bufOp, { maxLength: 60, size: 'max' }), (ops) => {
        const rb = new ReadBuffer();
        let model = Buffer.alloc(0);
        let consumed = 0;
        const handedOut: [Buffer, Buffer][] = [];
        for (const op of ops) {
          const len = model.length;
          const n = 'permille' in op ? Math.floor((len * op.permille) / 1000) : 0;
          switch (op.kind) {
            case 'push': {
              const chunk = Buffer.from(op.bytes);
              rb.push(chunk);
              model = Buffer.concat([model, chunk]);
              break;
            }
            case 'take': {
              const out = rb.take(n);
              same(out, model.subarray(0, n));
              handedOut.push([out, Buffer.from(out)]);
              model = model.subarray(n);
              consumed += n;
              break;
            }
            case 'takeHead': {
              if (len === 0) break;
              const out = rb.takeHead(Math.max(1, n));
              expect(out.length).toBeGreaterThan(0);
              expect(out.length).toBeLessThanOrEqual(Math.max(1, n));
              same(out, model.subarray(0, out.length));
              handedOut.push([out, Buffer.from(out)]);
              model = model.subarray(out.length);
              consumed += out.length;
              break;
            }
            case 'copyOut': {
              const target = Buffer.alloc(n + 2, 0xee);
              rb.copyOut(target, 1, n);
              same(target.subarray(1, n + 1), model.subarray(0, n));
              expect(target[0]).toBe(0xee);
              expect(target[n + 1]).toBe(0xee);
              model = model.subarray(n);
              consumed += n;
              break;
            }
            case 'unshift': {
              // What a cancelled readInto does: take bytes out by copy, then give them back.
              const copy = Buffer.alloc(n);
              rb.copyOut(copy, 0, n);
              rb.unshift(copy);
              break;
            }
            case 'latin1':
              expect(rb.latin1(n)).toBe(model.toString('latin1', 0, n));
              break;
            case 'indexOf': {
              const needle = Buffer.from(op.needle);
              const from = Math.floor((len * op.fromPermille) / 1000);
              const at = model.indexOf(needle, from);
              expect(rb.indexOf(needle, consumed + from)).toBe(at < 0 ? -1 : consumed + at);
              break;
            }
          }
          expect(rb.length).toBe(model.length);
          expect(rb.offset).toBe(consumed);
        }
        same(rb.take(rb.length), model);
        for (const [view, copy] of handedOut) same(view, copy);
      }),
      { numRuns: 1000 },
    );
    // Generous: 1,000 runs take 4-6 s alone, and CI runs four suites at once on two cores.
  }, 90_000);
});
