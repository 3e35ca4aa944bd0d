/**
 * W4's two hand-written parsers agree with the format and with each other however the
 * bytes are cut: every single cut, and every uniform chunk size from 1 byte up. Frames
 * of 0 to 9 bytes make headers and bodies fall on every side of a cut.
 */
import { describe, expect, it } from 'vitest';
import { FrameParser, FramePuller } from '../src/frame-parser.js';

const bodies = Array.from({ length: 10 }, (_, i) => Buffer.alloc(i, i + 1));
const wire = Buffer.concat(
  bodies.map((b) => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(b.length);
    return Buffer.concat([header, b]);
  }),
);

function chunkings(): Buffer[][] {
  const out: Buffer[][] = [];
  for (let cut = 0; cut <= wire.length; cut++) out.push([wire.subarray(0, cut), wire.subarray(cut)]);
  for (let size = 1; size <= wire.length; size++) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < wire.length; at += size) chunks.push(wire.subarray(at, at + size));
    out.push(chunks);
  }
  return out;
}

describe('W4 frame parsers', () => {
  it('FrameParser hands over every frame, whatever the chunking', () => {
    for (const chunks of chunkings()) {
      const got: Buffer[] = [];
      const parser = new FrameParser((body) => got.push(Buffer.from(body)));
      for (const c of chunks) parser.push(c);
      expect(got).toEqual(bodies);
      expect(parser.leftover).toBe(0);
    }
  });

  it('FramePuller returns the same frames, pulled as bytes arrive, whatever the chunking', () => {
    for (const chunks of chunkings()) {
      const got: Buffer[] = [];
      const puller = new FramePuller();
      for (const c of chunks) {
        puller.push(c);
        for (let f = puller.next(); f !== null; f = puller.next()) got.push(Buffer.from(f));
      }
      expect(got).toEqual(bodies);
      expect(puller.leftover).toBe(0);
    }
  });

  it('FramePuller holds a cut frame until its last byte and counts it as left over', () => {
    const puller = new FramePuller();
    // Frames of 0, 1 and 2 bytes (4, 5 and 6 with their headers), and 3 bytes of the next.
    puller.push(wire.subarray(0, 4 + 5 + 6 + 3));
    expect(puller.next()).toEqual(bodies[0]);
    expect(puller.next()).toEqual(bodies[1]);
    expect(puller.next()).toEqual(bodies[2]);
    expect(puller.next()).toBeNull();
    expect(puller.leftover).toBe(3);
  });
});
