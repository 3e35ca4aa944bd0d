/**
 * The line rows' hand-tuned splitter (`splitter`, `splitter-await`) finds every
 * `\r\n`-terminated line however the bytes are cut: lines of any bytes (lone `\r` and `\n`
 * included, a `\r` ending a line's content too), cut into chunks at any points, come out
 * the same, in order, without their terminators, with nothing left over; bytes after the
 * last terminator are held, not handed on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/line-splitter.js';

/** Line contents biased towards the bytes the splitter looks at. */
const content = fc.array(fc.constantFrom(0x0d, 0x0a, 0x41, 0x42), { maxLength: 12 }).filter((bytes) => {
  // A content holding `\r\n` would be two lines, not one.
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) return false;
  return true;
});

/** `wire` cut at `cuts` (fractions of its length), in order. */
function cut(wire: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((f) => Math.floor(f * wire.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const to of [...at, wire.length]) {
    chunks.push(wire.subarray(from, to));
    from = to;
  }
  return chunks;
}

function split(chunks: Buffer[]): { lines: number[][]; leftover: number } {
  const lines: number[][] = [];
  const splitter = new LineSplitter((line) => lines.push([...line]));
  for (const chunk of chunks) splitter.push(chunk);
  return { lines, leftover: splitter.leftover };
}

describe('LineSplitter', () => {
  it('hands on every line, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(content, { minLength: 1, maxLength: 9 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        (contents, cuts) => {
          const wire = Buffer.from(contents.flatMap((c) => [...c, 0x0d, 0x0a]));
          const got = split(cut(wire, cuts));
          expect(got.lines).toEqual(contents);
          expect(got.leftover).toBe(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('holds the bytes after the last terminator, and never hands them on', () => {
    fc.assert(
      fc.property(
        content,
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true })),
        (line, tail, cuts) => {
          const wire = Buffer.concat([Buffer.from([...line, 0x0d, 0x0a]), Buffer.alloc(tail, 0x41)]);
          const got = split(cut(wire, cuts));
          expect(got.lines).toEqual([line]);
          expect(got.leftover).toBe(tail);
        },
      ),
    );
  });

  it('hands on a line inside a chunk as a view of it, with no copy', () => {
    const chunk = Buffer.from('ab\r\ncd\r\n');
    const views: Buffer[] = [];
    new LineSplitter((line) => views.push(line)).push(chunk);
    expect(views.map((v) => v.toString())).toEqual(['ab', 'cd']);
    for (const v of views) expect(v.buffer).toBe(chunk.buffer);
  });
});
