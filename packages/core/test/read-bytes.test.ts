import { describe, expect, it } from 'vitest';
import { bytes, open, state } from './helpers/scripted-transport.js';

describe('readBytes', () => {
  it('settles once n bytes are buffered, across chunks, leaving the rest buffered', async () => {
    const { stream, t } = open();
    const p = stream.readBytes(6);
    t.push('ab', 'cd');
    expect(await state(p)).toBe('pending');
    t.push('efgh');
    expect(await p).toEqual(bytes('abcdef'));
    expect(stream.readableLength).toBe(2);
    expect(await stream.readBytes(2)).toEqual(bytes('gh'));
  });

  it('with partial, settles with whatever is buffered, at most n', async () => {
    const { stream, t } = open();
    const p = stream.readBytes(10, { partial: true });
    expect(await state(p)).toBe('pending');
    t.push('abc');
    expect(await p).toEqual(bytes('abc'));
    t.push('defghijklmnop');
    expect(await stream.readBytes(4, { partial: true })).toEqual(bytes('defg'));
    expect(stream.readableLength).toBe(9);
  });

  it('readBytes(0) settles at once with an empty Buffer and starts no read', async () => {
    const { stream } = open();
    const p = stream.readBytes(0);
    expect(stream.reading()).toBe(false);
    const out = await p;
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(out).toHaveLength(0);
    stream.close();
    expect(await stream.readBytes(0)).toHaveLength(0);
  });

  it('accepts transports that hand over plain Uint8Arrays and skips empty chunks', async () => {
    const { stream, t } = open();
    const p = stream.readBytes(3);
    t.inbound.push(Buffer.alloc(0));
    t.push(new Uint8Array([1, 2, 3]).subarray(1), new Uint8Array([9]));
    const out = await p;
    expect(Buffer.isBuffer(out)).toBe(true);
    expect([...out]).toEqual([2, 3, 9]);
  });
});
