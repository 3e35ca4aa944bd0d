import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createStreamPair, type MixedRead, runMixedReads } from '../src/index.js';

const readArb: fc.Arbitrary<MixedRead> = fc.record({
  kind: fc.constantFrom<MixedRead['kind']>('into', 'bytes', 'partial'),
  size: fc.integer({ min: 1, max: 3000 }),
});

it('runMixedReads reads back every byte written, each result where it belongs', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(readArb, { minLength: 1, maxLength: 20 }),
      fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1, max: 700 }),
      async (reads, writeSizes, chunking) => {
        const { a, b } = createStreamPair({ chunking });
        try {
          const { data, kept, read } = await runMixedReads(a, b, reads, writeSizes);
          expect(data.length).toBe(reads.reduce((n, r) => n + r.size, 0));
          expect(read).toBe(data.length);
          let at = 0;
          for (const k of kept) {
            expect(k.at).toBe(at);
            expect(k.bytes.equals(data.subarray(at, at + k.bytes.length))).toBe(true);
            at += k.bytes.length;
          }
          expect(at).toBe(data.length);
        } finally {
          a.close();
          b.close();
        }
      },
    ),
    { numRuns: 50 },
  );
});
