/**
 * Property: `readUntil` and `tryReadUntil` agree with the reference model (the bytes
 * as one Buffer, `Buffer#indexOf`) for self-similar delimiters (`---X`, `-X-X`,
 * `--X--X-`), whose partial matches overlap and straddle chunk boundaries, over data
 * made of long near-matching runs, for any chunking and any `maxBytes`. The model
 * (helpers/model.ts) also checks that each read settles as soon as the delivered bytes
 * decide it, so a match or an overrun of `maxBytes` is never noticed late.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { cut, drive, type Op } from './helpers/model.js';

const A = 0x2d; // '-'
const B = 0x58; // 'X'
const ab = fc.constantFrom(A, B);

/** A unit repeated, sometimes with a different last byte: '---X', '-X-X', '--X--X-'. */
const selfSimilarArb = (maxLength: number) =>
  fc.oneof(
    fc.array(ab, { minLength: 1, maxLength: 8 }),
    fc
      .record({
        unit: fc.array(ab, { minLength: 1, maxLength: 3 }),
        times: fc.integer({ min: 1, max: Math.max(1, Math.floor(maxLength / 3)) }),
        last: fc.option(ab, { nil: undefined }),
      })
      .map(({ unit, times, last }) => {
        const out = Array.from({ length: unit.length * times }, (_, i) => unit[i % unit.length] as number);
        if (last !== undefined) out.push(last);
        return out;
      }),
  );

/** Runs of a short unit ('-', '-X', '--X', now and then a newline), up to `maxLength` bytes. */
const dataArb = (maxLength: number) =>
  fc
    .array(
      fc.record({
        unit: fc.array(fc.oneof({ weight: 9, arbitrary: ab }, { weight: 1, arbitrary: fc.constant(0x0a) }), {
          minLength: 1,
          maxLength: 4,
        }),
        times: fc.integer({ min: 1, max: Math.max(1, Math.floor(maxLength / 8)) }),
      }),
      { maxLength: 8 },
    )
    .map((runs) =>
      Buffer.from(
        runs
          .flatMap(({ unit, times }) =>
            Array.from({ length: unit.length * times }, (_, i) => unit[i % unit.length] as number),
          )
          .slice(0, maxLength),
      ),
    );

const untilOpArb = (maxDelimiter: number, maxBytes: number): fc.Arbitrary<Op> =>
  fc
    .record({
      delim: selfSimilarArb(maxDelimiter).map((a) => Buffer.from(a)),
      maxBytes: fc.option(fc.integer({ min: 0, max: maxBytes }), { nil: undefined }),
      kind: fc.constantFrom('until' as const, 'tryUntil' as const),
      asString: fc.boolean(),
    })
    .map(({ kind, delim, maxBytes, asString }) =>
      kind === 'until' ? { kind, delim, maxBytes, asString } : { kind, delim, maxBytes },
    );

const driveArb = fc.record({
  readChunkSize: fc.integer({ min: 1, max: 4096 }),
  mode: fc.constantFrom('upfront' as const, 'trickle' as const),
});

describe('properties: readUntil and tryReadUntil with self-similar delimiters', () => {
  it('agree with Buffer#indexOf over the whole, with small chunks (one segment, or accumulated)', async () => {
    await fc.assert(
      fc.asyncProperty(
        dataArb(400),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        fc.array(untilOpArb(24, 120), { minLength: 1, maxLength: 8 }),
        driveArb,
        async (data, sizes, ops, o) => {
          await drive(data, cut(data, sizes), ops, o);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agree with Buffer#indexOf over the whole, with chunks kept as separate segments', async () => {
    await fc.assert(
      fc.asyncProperty(
        dataArb(8000),
        // 1,024 bytes and more are kept as their own segments, smaller ones copied behind them.
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
        fc.array(untilOpArb(200, 5000), { minLength: 1, maxLength: 6 }),
        driveArb,
        async (data, sizes, ops, o) => {
          await drive(data, cut(data, sizes), ops, o);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a match ending exactly at maxBytes is found, one a byte past it fails, however the bytes arrive', async () => {
    await fc.assert(
      fc.asyncProperty(
        dataArb(3000),
        fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ delim: selfSimilarArb(60), slack: fc.constantFrom(-1, 0, 0, 1) }), {
          minLength: 1,
          maxLength: 6,
        }),
        driveArb,
        async (data, sizes, specs, o) => {
          // Where each read's match ends decides its maxBytes: the model's answer, then -1, 0 or +1.
          const ops: Op[] = [];
          let pos = 0;
          for (const { delim, slack } of specs) {
            const d = Buffer.from(delim);
            const at = data.indexOf(d, pos);
            const end = at < 0 ? data.length - pos : at + d.length - pos;
            ops.push({ kind: 'until', delim: d, asString: false, maxBytes: Math.max(0, end + slack) });
            if (at < 0 || slack < 0) break;
            pos += end;
          }
          await drive(data, cut(data, sizes), ops, o);
        },
      ),
      { numRuns: 300 },
    );
  });
});
