import { describe, expect, it } from 'vitest';
import { StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection, state } from './helpers/scripted-transport.js';

describe('onChunk streaming', () => {
  it('readBytes(n, { onChunk }) hands over exactly n bytes piece by piece and resolves with an empty Buffer', async () => {
    const { stream, t } = open();
    t.push('ab');
    const pieces: string[] = [];
    const p = stream.readBytes(7, { onChunk: (c) => pieces.push(c.toString('latin1')) });
    expect(pieces.join('')).toBe('ab');
    t.push('cde');
    expect(await state(p)).toBe('pending');
    expect(pieces.join('')).toBe('abcde');
    t.push('fgHIJ');
    const out = await p;
    expect(out).toHaveLength(0);
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(pieces.join('')).toBe('abcdefg');
    expect(pieces.length).toBeGreaterThan(1);
    expect(await stream.readBytes(3)).toEqual(bytes('HIJ'));
  });

  it('readBytes with onChunk may exceed maxBufferSize, since nothing accumulates', async () => {
    const { stream, t } = open({ maxBufferSize: 16 });
    let total = 0;
    const p = stream.readBytes(100, { onChunk: (c) => (total += c.length) });
    for (let i = 0; i < 10; i++) t.push(Buffer.alloc(10, i));
    expect(await p).toHaveLength(0);
    expect(total).toBe(100);
    expect(stream.closed()).toBe(false);
  });

  it('readBytes with onChunk rejects with StreamClosedError when the stream ends short', async () => {
    const { stream, t } = open();
    const seen: Buffer[] = [];
    const p = stream.readBytes(10, { onChunk: (c) => seen.push(c) });
    t.push('abc');
    t.pushEof();
    expectIOError(await rejection(p), StreamClosedError, 'ERR_STREAM_CLOSED');
    expect(Buffer.concat(seen)).toEqual(bytes('abc'));
  });

  it('bytes the transport reports from inside onChunk are picked up too', async () => {
    const { stream, t } = open();
    const seen: string[] = [];
    let fed = false;
    const p = stream.readBytes(6, {
      onChunk: (c) => {
        seen.push(c.toString('latin1'));
        if (!fed) {
          fed = true;
          t.push('def'); // re-enters core's readable handler while it is pumping
        }
      },
    });
    t.push('abc');
    expect(await p).toHaveLength(0);
    expect(seen.join('')).toBe('abcdef');
  });

  it('readUntilClose({ onChunk }) streams buffered data first, then the rest, and resolves empty', async () => {
    const { stream, t } = open();
    t.push('first|');
    const seen: string[] = [];
    const p = stream.readUntilClose({ onChunk: (c) => seen.push(c.toString('latin1')) });
    expect(seen).toEqual(['first|']);
    t.push('second|', 'third');
    t.pushEof();
    expect(await p).toHaveLength(0);
    expect(seen.join('')).toBe('first|second|third');
  });
});
