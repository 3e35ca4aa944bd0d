import { describe, expect, it } from 'vitest';
import { bytes, open, state } from './helpers/scripted-transport.js';

describe('readUntil', () => {
  it('resolves with everything up to and including the first delimiter', async () => {
    const { stream, t } = open();
    t.push('one\ntwo\n');
    expect(await stream.readUntil('\n')).toEqual(bytes('one\n'));
    expect(await stream.readUntil(new Uint8Array([0x0a]))).toEqual(bytes('two\n'));
  });

  it('waits for a delimiter that arrives later, and keeps the bytes after it', async () => {
    const { stream, t } = open();
    const p = stream.readUntil('\r\n');
    t.push('GET / HTTP/1.1\r');
    expect(await state(p)).toBe('pending');
    t.push('\nHost');
    expect(await p).toEqual(bytes('GET / HTTP/1.1\r\n'));
    expect(stream.readableLength).toBe(4);
  });

  it('finds a multi-byte delimiter split across large chunks (separate segments)', async () => {
    const { stream, t } = open();
    const a = Buffer.alloc(2000, 0x61);
    const b = Buffer.alloc(3000, 0x62);
    const delim = bytes('<END>');
    for (let cut = 1; cut < delim.length; cut++) {
      const p = stream.readUntil(delim);
      t.push(Buffer.concat([a, delim.subarray(0, cut)]));
      t.push(Buffer.concat([delim.subarray(cut), b.subarray(0, 1500)]));
      t.push(Buffer.concat([b.subarray(0, 1200), delim]));
      expect(await p).toEqual(Buffer.concat([a, delim]));
      const rest = await stream.readUntil(delim);
      expect(rest).toEqual(Buffer.concat([b.subarray(0, 1500), b.subarray(0, 1200), delim]));
    }
  });

  it('does not match a delimiter prefix at the end of one chunk followed by a mismatch', async () => {
    const { stream, t } = open();
    const p = stream.readUntil('abc');
    t.push(Buffer.concat([Buffer.alloc(1500, 0x78), bytes('ab')]));
    t.push(Buffer.concat([bytes('x'), Buffer.alloc(1500, 0x79)]));
    t.push(bytes('aabc'));
    expect(await p).toHaveLength(1500 + 2 + 1 + 1500 + 4);
  });

  it('encodes string delimiters as UTF-8', async () => {
    const { stream, t } = open();
    t.push(Buffer.from('prix: 5€ fin', 'utf8'));
    expect((await stream.readUntil('€')).toString('utf8')).toBe('prix: 5€');
  });
});
