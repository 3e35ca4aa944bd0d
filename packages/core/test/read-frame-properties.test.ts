/**
 * fast-check: for random formats, payloads and chunkings, readFrame and tryReadFrame
 * return exactly the frames a plain reference parser finds in the concatenated bytes,
 * however the bytes were cut and whichever form reads each frame.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FrameFormat } from '../src/index.js';
import { cut } from './helpers/model.js';
import { open } from './helpers/scripted-transport.js';

const RUNS = 500;
const FIELD_SIZE = { 1: 1, 2: 2, 4: 4, 8: 8 } as const;

/** The reference: decode the frames of `data` one after another, BigInt arithmetic, no cleverness. */
function referenceFrames(format: FrameFormat, data: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  const offset = format.lengthOffset ?? 0;
  let pos = 0;
  while (pos < data.length) {
    let at = pos + offset;
    let length = 0n;
    if (format.lengthBytes === 'varint') {
      for (let shift = 0n; ; shift += 7n) {
        const b = data[at++] as number;
        length |= BigInt(b & 0x7f) << shift;
        if (b < 0x80) break;
      }
    } else {
      const n = FIELD_SIZE[format.lengthBytes];
      const field = data.subarray(at, at + n);
      at += n;
      const ordered = format.littleEndian ? Buffer.from(field).reverse() : field;
      length = BigInt(`0x${ordered.toString('hex')}`);
    }
    const end = at + Number(length + BigInt(format.lengthAdjust ?? 0));
    frames.push(data.subarray(format.includeHeader ? pos : at, end));
    pos = end;
  }
  return frames;
}

/** `value` as an unsigned LEB128 varint, with `pad` redundant continuation bytes (as some encoders emit). */
function varint(value: number, pad: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    out.push(v & 0x7f);
    v = Math.floor(v / 128);
  } while (v > 0);
  for (let i = 0; i < pad && out.length < 10; i++) out.push(0);
  for (let i = 0; i < out.length - 1; i++) out[i] = (out[i] as number) | 0x80;
  return out;
}

/** One frame on the wire: `offset` tag bytes, the length field, the payload. */
function encode(format: FrameFormat, tag: Uint8Array, payload: Uint8Array, pad: number): Buffer {
  const field = payload.length - (format.lengthAdjust ?? 0);
  let header: Buffer;
  if (format.lengthBytes === 'varint') header = Buffer.from(varint(field, pad));
  else {
    const n = FIELD_SIZE[format.lengthBytes];
    header = Buffer.alloc(n);
    if (format.littleEndian) header.writeUIntLE(field, 0, Math.min(n, 6));
    else header.writeUIntBE(field, n - Math.min(n, 6), Math.min(n, 6));
  }
  return Buffer.concat([tag.subarray(0, format.lengthOffset ?? 0), header, payload]);
}

const formatArb: fc.Arbitrary<FrameFormat> = fc.record(
  {
    lengthBytes: fc.constantFrom<FrameFormat['lengthBytes']>(1, 2, 4, 8, 'varint'),
    lengthOffset: fc.integer({ min: 0, max: 3 }),
    littleEndian: fc.boolean(),
    lengthAdjust: fc.integer({ min: -9, max: 3 }),
    includeHeader: fc.boolean(),
  },
  { requiredKeys: ['lengthBytes'] },
);

/** A format and frames it can encode (the length field fits and is non-negative). */
const wireArb = formatArb.chain((format) => {
  const adjust = format.lengthAdjust ?? 0;
  // A 1-byte field holds at most 255: keep payloads below that whatever the adjustment.
  const payload = fc.uint8Array({ minLength: Math.max(0, adjust), maxLength: 200 + Math.min(0, adjust) });
  const frame = fc.record({ tag: fc.uint8Array({ minLength: 3, maxLength: 3 }), payload, pad: fc.nat(3) });
  return fc.record({
    format: fc.constant(format),
    frames: fc.array(frame, { maxLength: 12 }),
  });
});

const sizesArb = fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 });
/** How each frame is read: the awaited form, or the try form falling back to it. */
const formsArb = fc.array(fc.constantFrom('await', 'try'), { minLength: 1, maxLength: 12 });

describe('properties: readFrame against a reference parser', () => {
  it('returns the same frames for random formats, payloads, chunkings and read forms', async () => {
    await fc.assert(
      fc.asyncProperty(
        wireArb,
        sizesArb,
        formsArb,
        fc.boolean(),
        fc.integer({ min: 1, max: 256 }),
        async ({ format, frames }, sizes, forms, upfront, readChunkSize) => {
          const data = Buffer.concat(frames.map((f) => encode(format, f.tag, f.payload, f.pad)));
          const expected = referenceFrames(format, data);
          const chunks = cut(data, sizes);
          const { stream, t } = open({ readChunkSize });
          if (upfront) t.push(...chunks);
          const got: Buffer[] = [];
          for (let i = 0; i < expected.length; i++) {
            const form = forms[i % forms.length];
            const now = form === 'try' ? stream.tryReadFrame(format) : null;
            if (now !== null) {
              got.push(Buffer.from(now));
              continue;
            }
            const p = stream.readFrame(format);
            // The scripted transport delivers synchronously: the read is done once reading() is false.
            while (stream.reading() && chunks.length > 0 && !upfront) t.push(chunks.shift() as Buffer);
            // Out of bytes with the read still pending (a decoding bug): fail now rather than hang.
            if (stream.reading() && (upfront || chunks.length === 0)) t.pushEof();
            got.push(Buffer.from(await p));
          }
          if (!upfront) t.push(...chunks);
          t.pushEof();
          expect(got).toEqual(expected);
          expect((await stream.readUntilClose()).length).toBe(0);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the oversize check compares header + payload with maxBytes, for every format', async () => {
    await fc.assert(
      fc.asyncProperty(wireArb, fc.integer({ min: 0, max: 240 }), async ({ format, frames }, maxBytes) => {
        const first = frames[0];
        if (first === undefined) return;
        const wire = encode(format, first.tag, first.payload, first.pad);
        const { stream, t } = open();
        t.push(wire);
        const p = stream.readFrame(format, { maxBytes });
        const outcome = await p.then(
          () => 'read',
          () => 'failed',
        );
        expect(outcome).toBe(wire.length <= maxBytes ? 'read' : 'failed');
        expect(stream.closed()).toBe(outcome === 'failed');
      }),
      { numRuns: RUNS },
    );
  });
});
