import { describe, expect, it } from 'vitest';
import { bytes, open, state } from './helpers/scripted-transport.js';

describe('readUntilClose', () => {
  it('resolves with every byte, buffered and later, once the peer finishes', async () => {
    const { stream, t } = open();
    t.push('already ');
    const p = stream.readUntilClose();
    t.push('buffered ', 'and ');
    expect(await state(p)).toBe('pending');
    t.push('more');
    t.pushEof();
    expect(await p).toEqual(bytes('already buffered and more'));
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBeNull();
  });

  it('resolves with what was left when the stream closes with an error (stream.error says why)', async () => {
    const { stream, t } = open();
    const p = stream.readUntilClose();
    t.push('partial');
    const boom = new Error('reset');
    t.fail(boom);
    expect(await p).toEqual(bytes('partial'));
    expect(stream.error).toBe(boom);
  });

  it('called after close, resolves with whatever was still buffered', async () => {
    const { stream, t } = open();
    t.push('left over');
    t.pushEof();
    expect(stream.closed()).toBe(true);
    expect(await stream.readUntilClose()).toEqual(bytes('left over'));
    expect(await stream.readUntilClose()).toHaveLength(0);
  });

  it('also resolves when the stream is closed locally', async () => {
    const { stream, t } = open();
    const p = stream.readUntilClose();
    t.push('abc');
    stream.close();
    expect(await p).toEqual(bytes('abc'));
  });
});
