// Frame formats are remembered by their fields, not by object identity: an object literal
// written in the call (`readFrame({ lengthBytes: 4 })`, a new object every frame) is the
// format seen before and is not checked and compiled again, which made such a loop ten
// times slower; any other fields compile to what they say, and bad ones still throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FrameFormat } from '../src/index.js';
import { compileFrameFormat } from '../src/read-frame.js';
import { open } from './helpers/scripted-transport.js';

/** What a format's fields must compile to, written out from the documented defaults. */
function expected(format: FrameFormat) {
  return {
    offset: format.lengthOffset ?? 0,
    size: format.lengthBytes === 'varint' ? 0 : format.lengthBytes,
    littleEndian: format.littleEndian ?? false,
    adjust: format.lengthAdjust ?? 0,
    includeHeader: format.includeHeader ?? false,
  };
}

const formatArb: fc.Arbitrary<FrameFormat> = fc.record(
  {
    lengthBytes: fc.constantFrom<FrameFormat['lengthBytes']>(1, 2, 4, 8, 'varint'),
    lengthOffset: fc.nat(3),
    littleEndian: fc.boolean(),
    lengthAdjust: fc.integer({ min: -4, max: 4 }),
    includeHeader: fc.boolean(),
  },
  { requiredKeys: ['lengthBytes'] },
);

describe('frame formats are remembered by their fields', () => {
  it('a new object with the same fields is the same compiled format, whatever their order or other keys', () => {
    const first = compileFrameFormat({ lengthBytes: 4, lengthOffset: 1 });
    expect(compileFrameFormat({ lengthBytes: 4, lengthOffset: 1 })).toBe(first);
    expect(compileFrameFormat({ lengthOffset: 1, lengthBytes: 4 })).toBe(first);
    expect(compileFrameFormat({ lengthBytes: 4, lengthOffset: 1, note: 'ignored' })).toBe(first);
    expect(compileFrameFormat({ lengthBytes: 4, lengthOffset: 2 })).not.toBe(first);
    // Still remembered after another format came in between.
    expect(compileFrameFormat({ lengthBytes: 4, lengthOffset: 1 })).toBe(first);
  });

  it('any sequence of formats, each a fresh object, compiles each to what its fields say', () => {
    fc.assert(
      fc.property(fc.array(formatArb, { minLength: 1, maxLength: 40 }), (formats) => {
        for (const format of formats) {
          const fresh = { ...format };
          const compiled = compileFrameFormat(fresh);
          expect({ ...compiled }).toEqual(expected(format));
          // The same object again, and a copy of it, give the same compiled format.
          expect(compileFrameFormat(fresh)).toBe(compiled);
          expect(compileFrameFormat({ ...format })).toBe(compiled);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a bad format is never taken for a good one it resembles, before or after it', () => {
    compileFrameFormat({ lengthBytes: 4 });
    expect(() => compileFrameFormat({ lengthBytes: 4, lengthOffset: -1 })).toThrow(RangeError);
    expect(() => compileFrameFormat({ lengthBytes: 4, littleEndian: 'yes' })).toThrow(TypeError);
    expect(() => compileFrameFormat({ lengthBytes: '4' })).toThrow(RangeError);
    // Thrown again, not remembered as good.
    expect(() => compileFrameFormat({ lengthBytes: 4, lengthOffset: -1 })).toThrow(RangeError);
    expect(compileFrameFormat({ lengthBytes: 4 })).toEqual(expected({ lengthBytes: 4 }));
  });

  it('readFrame with a literal per call, ten formats in rotation (more than are remembered), reads every frame right', async () => {
    const { stream, t } = open();
    const sizes = [1, 2, 4, 8] as const;
    const frames: { format: FrameFormat; payload: Buffer }[] = [];
    for (let i = 0; i < 40; i++) {
      const lengthBytes = sizes[i % 4] as 1 | 2 | 4 | 8;
      const lengthOffset = i % 10 < 4 ? 0 : 1 + (i % 3);
      const payload = Buffer.alloc(3 + (i % 5), i);
      frames.push({ format: { lengthBytes, lengthOffset, littleEndian: i % 2 === 0 }, payload });
    }
    for (const { format, payload } of frames) {
      const at = format.lengthOffset ?? 0;
      const n = format.lengthBytes as number;
      // Tag bytes, then the length field (zeros but for its low bytes).
      const header = Buffer.concat([Buffer.alloc(at, 0xee), Buffer.alloc(n)]);
      const k = Math.min(n, 6);
      if (format.littleEndian) header.writeUIntLE(payload.length, at, k);
      else header.writeUIntBE(payload.length, at + n - k, k);
      t.push(Buffer.concat([header, payload]));
    }
    for (const { format, payload } of frames) {
      const got = stream.tryReadFrame({ ...format }) ?? (await stream.readFrame({ ...format }));
      expect(got).toEqual(payload);
    }
  });
});
