/**
 * Property-based tests: random byte strings, random chunkings and random
 * sequences of read operations against a plain-Buffer reference model
 * (helpers/model.ts). Every read mode must agree with the model, and no
 * outcome of an exact read may depend on where the chunk boundaries fell.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cut, type DriveOptions, dataArb, drive, EXACT, longDataArb, opArb, opArbOf } from './helpers/model.js';

const RUNS = 1000;
const sizesArb = (max: number) => fc.array(fc.integer({ min: 1, max }), { minLength: 1, maxLength: 8 });
const driveArb = fc.record({
  readChunkSize: fc.integer({ min: 1, max: 128 }),
  mode: fc.constantFrom<DriveOptions['mode']>('upfront', 'trickle'),
});

describe('properties: read modes against a reference model', () => {
  it('every read mode returns what the model says, with small chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        dataArb(300),
        sizesArb(40),
        fc.array(opArb, { maxLength: 30, size: 'max' }),
        driveArb,
        async (data, sizes, ops, o) => {
          await drive(data, cut(data, sizes), ops, o);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('every read mode returns what the model says, with chunks that cross buffer-segment sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        longDataArb(5000),
        sizesArb(2600),
        fc.array(opArbOf(1500), { maxLength: 30, size: 'max' }),
        driveArb,
        async (data, sizes, ops, o) => {
          await drive(data, cut(data, sizes), ops, { ...o, readChunkSize: o.readChunkSize * 64 });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('no exact read depends on chunk boundaries, delivery mode or read-ahead size', async () => {
    const exactOp = opArb.filter((op) => EXACT.has(op.kind));
    await fc.assert(
      fc.asyncProperty(
        dataArb(600),
        sizesArb(1500),
        sizesArb(7),
        fc.array(exactOp, { maxLength: 20, size: 'max' }),
        driveArb,
        driveArb,
        async (data, sizesA, sizesB, ops, oA, oB) => {
          const a = await drive(data, cut(data, sizesA), ops, oA);
          const b = await drive(data, cut(data, sizesB), ops, oB);
          expect(b).toEqual(a);
          // And one byte at a time, the finest chunking there is.
          const c = await drive(data, cut(data, [1]), ops, { readChunkSize: 1, mode: 'trickle' });
          expect(c).toEqual(a);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
