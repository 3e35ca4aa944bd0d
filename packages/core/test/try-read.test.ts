import { describe, expect, it } from 'vitest';
import { bytes, open } from './helpers/scripted-transport.js';

describe('tryReadBytes / tryReadUntil / tryReadInto', () => {
  it('return the result at once when the buffer satisfies the read', () => {
    const { stream, t } = open();
    t.push('key=value\nrest!');
    expect(stream.tryReadBytes(4)).toEqual(bytes('key='));
    expect(stream.tryReadUntil('\n')).toEqual(bytes('value\n'));
    const into = new Uint8Array(4);
    expect(stream.tryReadInto(into)).toBe(4);
    expect(Buffer.from(into)).toEqual(bytes('rest'));
    expect(stream.tryReadBytes(0)).toEqual(Buffer.alloc(0));
    expect(stream.readableLength).toBe(1);
  });

  it('return null otherwise: nothing consumed, no read started, no error', async () => {
    const { stream, t } = open({ readChunkSize: 4 });
    t.push('abcdef');
    const reads = t.readCalls;
    expect(stream.tryReadBytes(7)).toBeNull();
    expect(stream.tryReadUntil('\n')).toBeNull();
    expect(stream.tryReadUntil(new Uint8Array([0x66]), { maxBytes: 3 })).toBeNull();
    expect(stream.tryReadInto(new Uint8Array(7))).toBeNull();
    expect(stream.readableLength).toBe(6);
    expect(stream.reading()).toBe(false);
    expect(stream.closed()).toBe(false);
    expect(stream.error).toBeNull();
    expect(t.readCalls).toBe(reads);
    // The awaited form then reports the real outcome.
    expect(await stream.readBytes(6)).toEqual(bytes('abcdef'));
  });

  it('supports the idiom tryReadUntil(...) ?? await readUntil(...)', async () => {
    const { stream, t } = open();
    t.push('a\nb');
    const lines: string[] = [];
    const reader = (async () => {
      for (let i = 0; i < 3; i++) {
        const line = stream.tryReadUntil('\n') ?? (await stream.readUntil('\n'));
        lines.push(line.toString('latin1'));
      }
    })();
    t.push('\nc', '\n');
    await reader;
    expect(lines).toEqual(['a\n', 'b\n', 'c\n']);
  });

  it('still serve buffered bytes after the stream closed', () => {
    const { stream, t } = open();
    t.push('x;y');
    t.pushEof();
    expect(stream.closed()).toBe(true);
    expect(stream.tryReadUntil(';')).toEqual(bytes('x;'));
    expect(stream.tryReadBytes(2)).toBeNull();
    expect(stream.tryReadBytes(1)).toEqual(bytes('y'));
  });

  it('refill the buffer from the transport once it drops below a chunk', () => {
    const { stream, t } = open({ readChunkSize: 4 });
    t.push('0123456789');
    t.push('abcdefghij');
    expect(t.queuedBytes()).toBe(10);
    expect(stream.tryReadBytes(8)).toEqual(bytes('01234567'));
    expect(t.queuedBytes()).toBe(0);
    expect(stream.tryReadBytes(12)).toEqual(bytes('89abcdefghij'));
  });
});
