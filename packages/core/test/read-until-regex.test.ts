import { describe, expect, it, vi } from 'vitest';
import { bytes, open, state } from './helpers/scripted-transport.js';

describe('readUntilRegex', () => {
  it('resolves with everything up to the end of the first match', async () => {
    const { stream, t } = open();
    t.push('abc 123 def 456 ');
    expect(await stream.readUntilRegex(/\d+ /)).toEqual(bytes('abc 123 '));
    expect(await stream.readUntilRegex(/\d+ /)).toEqual(bytes('def 456 '));
  });

  it('waits for a match completed by a later chunk', async () => {
    const { stream, t } = open();
    const p = stream.readUntilRegex(/\r?\n\r?\n/);
    t.push('Header: x\r\n');
    expect(await state(p)).toBe('pending');
    t.push('\r\nbody');
    expect(await p).toEqual(bytes('Header: x\r\n\r\n'));
    expect(stream.readableLength).toBe(4);
  });

  it('matches bytes as latin1, so offsets are byte offsets', async () => {
    const { stream, t } = open();
    // 'é' is two bytes in UTF-8; 0xff is one byte that is not valid UTF-8.
    t.push(Buffer.concat([Buffer.from('é', 'utf8'), Buffer.from([0xff, 0x00, 0x41, 0x42])]));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching raw bytes, NUL included, is the point here.
    const out = await stream.readUntilRegex(/\xff\x00A/);
    expect([...out]).toEqual([0xc3, 0xa9, 0xff, 0x00, 0x41]);
    expect(stream.readableLength).toBe(1);
  });

  it('ignores the global flag and lastIndex: every read matches from the first buffered byte', async () => {
    const { stream, t } = open();
    const re = /;/g;
    re.lastIndex = 5;
    t.push('a;b;c;');
    expect(await stream.readUntilRegex(re)).toEqual(bytes('a;'));
    expect(await stream.readUntilRegex(re)).toEqual(bytes('b;'));
    expect(await stream.readUntilRegex(re)).toEqual(bytes('c;'));
  });
  it('a loop over lines already buffered decodes each byte once, not everything buffered per read', async () => {
    const { stream, t } = open();
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, '0')}\r\n`);
    t.push(lines.join(''));
    await stream.readBytes(0);
    // Count the bytes decoded as latin1 for the matching, all of it through Buffer#toString.
    let decoded = 0;
    const decode = Buffer.prototype.toString;
    const spy = vi.spyOn(Buffer.prototype, 'toString').mockImplementation(function (this: Buffer, ...args: unknown[]) {
      const [encoding, start, end] = args as [BufferEncoding | undefined, number | undefined, number | undefined];
      if (encoding === 'latin1') decoded += (end ?? this.length) - (start ?? 0);
      return decode.call(this, encoding, start, end);
    });
    try {
      for (const line of lines) expect((await stream.readUntilRegex(/\r\n/)).toString('latin1')).toBe(line);
    } finally {
      spy.mockRestore();
    }
    const total = lines.join('').length;
    // Each result's own toString above counts too: about twice the bytes, where decoding
    // everything buffered for every read would be about 500 times.
    expect(decoded).toBeGreaterThanOrEqual(total);
    expect(decoded).toBeLessThanOrEqual(3 * total);
  });
});
