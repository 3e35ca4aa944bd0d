import { describe, expect, it } from 'vitest';
import { ReadBuffer } from '../src/read-buffer.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('ReadBuffer', () => {
  it('take(n) from one large chunk is a view of that chunk (no copy)', () => {
    const rb = new ReadBuffer();
    const chunk = Buffer.alloc(4096, 0x61);
    rb.push(chunk);
    const out = rb.take(100);
    expect(out.buffer).toBe(chunk.buffer);
    expect(out.byteOffset).toBe(chunk.byteOffset);
    expect(rb.length).toBe(3996);
    expect(rb.offset).toBe(100);
  });

  it('take(n) across chunks is one fresh copy with the bytes in order', () => {
    const rb = new ReadBuffer();
    const x = Buffer.alloc(2000, 0x78);
    const y = Buffer.alloc(2000, 0x79);
    rb.push(x);
    rb.push(y);
    const out = rb.take(3000);
    expect(out.buffer).not.toBe(x.buffer);
    expect(out.buffer).not.toBe(y.buffer);
    expect(out).toEqual(Buffer.concat([x, y.subarray(0, 1000)]));
  });

  it('a chunk that continues the last one in the same memory joins its segment: take(n) across both is a view', () => {
    const rb = new ReadBuffer();
    const slab = Buffer.alloc(8192);
    for (let i = 0; i < slab.length; i++) slab[i] = i % 251;
    rb.push(slab.subarray(0, 3000));
    rb.take(1000);
    rb.push(slab.subarray(3000, 6000));
    const out = rb.take(4000);
    expect(out.buffer).toBe(slab.buffer);
    expect(out).toEqual(slab.subarray(1000, 5000));
    // Not adjacent (a gap): a separate segment, so a read across is a copy again.
    rb.push(slab.subarray(6500, 8192));
    const rest = rb.take(2000);
    expect(rest.buffer).not.toBe(slab.buffer);
    expect(rest).toEqual(Buffer.concat([slab.subarray(5000, 6000), slab.subarray(6500, 7500)]));
    expect(rb.length).toBe(692);
  });

  it('hands a chunk back to recycle once copied out whole, never one a view was taken of', () => {
    const recycled: Buffer[] = [];
    const rb = new ReadBuffer({ recycle: (chunk) => recycled.push(chunk as Buffer) });
    const x = Buffer.alloc(2000, 0x78);
    const y = Buffer.alloc(2000, 0x79);
    const small = Buffer.from('tiny');
    rb.push(x);
    rb.push(y);
    rb.push(small);
    // Copied into the accumulator at once: the transport's memory is free already.
    expect(recycled).toEqual([small]);
    const into = Buffer.alloc(2500);
    rb.copyOut(into, 0, 2500);
    expect(recycled).toHaveLength(2);
    expect(recycled[1]?.buffer).toBe(x.buffer);
    const view = rb.take(100);
    expect(view.buffer).toBe(y.buffer);
    rb.copyOut(Buffer.alloc(1400), 0, 1400);
    // y was consumed, but a view of it is out: not recycled.
    expect(recycled).toHaveLength(2);
    expect(rb.length).toBe(4);
  });

  it('a small chunk into an empty buffer is kept as it is; one behind another is copied, one continuing it in memory is not', () => {
    const recycled: Buffer[] = [];
    const rb = new ReadBuffer({ recycle: (chunk) => recycled.push(chunk as Buffer) });
    const first = b('ping\n');
    rb.push(first);
    // Nothing copied, nothing recycled: the read is a view of the transport's chunk.
    expect(recycled).toEqual([]);
    const out = rb.take(5);
    expect(out.buffer).toBe(first.buffer);
    expect(out.byteOffset).toBe(first.byteOffset);
    // Emptied again: the next small chunk goes in as it is too.
    const slab = Buffer.alloc(64, 0x2e);
    slab.write('abcdef', 0, 'latin1');
    rb.push(slab.subarray(0, 2));
    // Continues the last chunk in the same memory: the segment grows, still no copy.
    rb.push(slab.subarray(2, 4));
    expect(recycled).toEqual([]);
    // Behind it but elsewhere in memory: copied into an accumulator, the chunk recycled.
    const apart = b('XY');
    rb.push(apart);
    expect(recycled).toEqual([apart]);
    const joined = rb.take(4);
    expect(joined.buffer).toBe(slab.buffer);
    expect(joined.toString('latin1')).toBe('abcd');
    expect(rb.take(2).toString('latin1')).toBe('XY');
    expect(rb.length).toBe(0);
  });

  it('small chunks are coalesced, and later pushes never overwrite bytes already handed out', () => {
    const rb = new ReadBuffer();
    const handed: [Buffer, string][] = [];
    let expected = '';
    for (let i = 0; i < 3000; i++) {
      const s = String.fromCharCode(97 + (i % 26)).repeat(1 + (i % 7));
      rb.push(b(s));
      expected += s;
      if (i % 5 === 4) {
        const n = Math.min(rb.length, 11);
        handed.push([rb.take(n), expected.slice(0, n)]);
        expected = expected.slice(n);
      }
      if (i % 97 === 0) {
        const all = rb.length;
        handed.push([rb.take(all), expected]);
        expected = '';
      }
    }
    for (const [buf, s] of handed) expect(buf.toString('latin1')).toBe(s);
  });

  it('indexOf finds needles straddling segment boundaries and resumes from a position', () => {
    const rb = new ReadBuffer();
    rb.push(Buffer.concat([Buffer.alloc(1500, 0x2e), b('AB')]));
    rb.push(Buffer.concat([b('C'), Buffer.alloc(1500, 0x2e)]));
    rb.push(b('xABCx'));
    expect(rb.indexOf(b('ABC'), 0)).toBe(1500);
    expect(rb.indexOf(b('ABC'), 1501)).toBe(3004);
    expect(rb.indexOf(b('ABCD'), 0)).toBe(-1);
    expect(rb.indexOf(b('.'), 1502)).toBe(1503);
    rb.take(1501);
    expect(rb.indexOf(b('ABC'), 0)).toBe(3004);
    expect(rb.indexOf(b('BC'), 0)).toBe(1501);
  });

  it('unshift puts bytes back at the front', () => {
    const rb = new ReadBuffer();
    rb.push(b('hello world'));
    const first = Buffer.from(rb.take(6));
    rb.unshift(first);
    rb.unshift(Buffer.alloc(0));
    expect(rb.length).toBe(11);
    expect(rb.offset).toBe(0);
    expect(rb.take(11).toString('latin1')).toBe('hello world');
  });

  it('latin1 decodes only what arrived since it last looked, and forgets what unshift put back over', () => {
    const rb = new ReadBuffer();
    rb.push(b('hello '));
    rb.push(b('world'));
    expect(rb.latin1(11)).toBe('hello world');
    rb.take(6);
    // Other bytes than were there before (a readInto that a transport filled directly,
    // cancelled, gives them back) at the offsets just decoded: that text must not be reused.
    rb.unshift(b('XYZ123'));
    expect(rb.latin1(11)).toBe('XYZ123world');
    rb.take(6);
    expect(rb.latin1(5)).toBe('world');
    rb.push(b('!!'));
    expect(rb.latin1(7)).toBe('world!!');
    expect(rb.latin1(3)).toBe('wor');
    rb.take(7);
    rb.push(b('next'));
    expect(rb.latin1(4)).toBe('next');
  });

  it('copyOut, takeHead and latin1', () => {
    const rb = new ReadBuffer();
    rb.push(Buffer.alloc(1200, 0x41));
    rb.push(b('\xff\x00z'));
    expect(rb.latin1(1202)).toBe(`${'A'.repeat(1200)}\xff\x00`);
    expect(rb.takeHead(5000)).toHaveLength(1200);
    const target = new Uint8Array(3);
    rb.copyOut(target, 0, 3);
    expect([...target]).toEqual([0xff, 0x00, 0x7a]);
    expect(rb.length).toBe(0);
    expect(rb.take(0)).toHaveLength(0);
  });

  it('stays consistent across many segments (compaction)', () => {
    const rb = new ReadBuffer();
    const all: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const chunk = Buffer.alloc(1024 + (i % 3), i & 0xff);
      all.push(chunk);
      rb.push(chunk);
    }
    const expected = Buffer.concat(all);
    let at = 0;
    while (rb.length > 0) {
      const n = Math.min(rb.length, 700);
      expect(rb.take(n)).toEqual(expected.subarray(at, at + n));
      at += n;
      if (at % 7000 < 700) rb.push(Buffer.alloc(0));
    }
    expect(at).toBe(expected.length);
  });
});
