/** The compliance suite over the in-memory fake transport, in several knob combinations. */
import { transportCompliance } from '../src/compliance/index.js';
import { createStreamPair, type PairOptions } from '../src/index.js';

const configurations: [string, PairOptions][] = [
  ['fake: whole chunks, macrotask delivery', { chunking: 'whole', delivery: 'macrotask' }],
  ['fake: one byte at a time, microtask delivery', { chunking: 1, delivery: 'microtask' }],
  ['fake: seeded random chunks, sync delivery', { chunking: { seed: 42, min: 1, max: 3000 }, delivery: 'sync' }],
  [
    'fake: small write capacity, random chunks, macrotask delivery',
    { chunking: { seed: 7, min: 1, max: 600 }, writeCapacity: 1000, delivery: 'macrotask' },
  ],
  ['fake: chunks of 7, timer delivery', { chunking: 7, writeCapacity: 16 * 1024, delivery: { delayMs: 0 } }],
];

for (const [name, knobs] of configurations) {
  transportCompliance(name, {
    async setup(options) {
      const { a, b } = createStreamPair(knobs, options);
      return { a, b };
    },
  });
}
