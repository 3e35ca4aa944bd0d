import { describe, expect, it } from 'vitest';
import { type IOStreamOptions, pickStreamOptions, STREAM_OPTION_KEYS, validateStreamOptions } from '../src/index.js';
import { resolveOptions } from '../src/options.js';
import { open } from './helpers/scripted-transport.js';

const bad = (v: unknown) => v as never;

describe('options', () => {
  it('defaults follow Tornado', () => {
    expect(resolveOptions()).toEqual({
      maxBufferSize: 104857600,
      readChunkSize: 65536,
      maxWriteBufferSize: Number.POSITIVE_INFINITY,
      writeHighWaterMark: 65536,
      writeLowWaterMark: 32768,
      allowHalfOpen: false,
      coalesceWrites: true,
    });
  });

  it('readChunkSize is never above maxBufferSize / 2 (and at least 1)', () => {
    expect(resolveOptions({ maxBufferSize: 1000 }).readChunkSize).toBe(500);
    expect(resolveOptions({ maxBufferSize: 1000, readChunkSize: 100 }).readChunkSize).toBe(100);
    expect(resolveOptions({ maxBufferSize: 1 }).readChunkSize).toBe(1);
    // And the stream really reads ahead no further than that.
    const { stream, t } = open({ maxBufferSize: 20 });
    for (let i = 0; i < 20; i++) t.push('x');
    expect(stream.readableLength).toBe(10);
  });

  it('validateStreamOptions is exported for transports: same errors as the constructor, no stream made', () => {
    expect(validateStreamOptions({ maxBufferSize: 4096 }).readChunkSize).toBe(2048);
    expect(() => validateStreamOptions({ maxBufferSize: -1 })).toThrow(RangeError);
    expect(() => validateStreamOptions(bad({ allowHalfOpen: 'yes' }))).toThrow(TypeError);
    expect(() => open({ maxBufferSize: -1 })).toThrow(RangeError);
  });

  it('pickStreamOptions keeps only the IOStream options that are set', () => {
    const mixed = { host: 'x', port: 1, maxBufferSize: 4096, allowHalfOpen: true };
    expect(pickStreamOptions(mixed)).toEqual({ maxBufferSize: 4096, allowHalfOpen: true });
    expect(Object.keys(resolveOptions()).sort()).toEqual([...STREAM_OPTION_KEYS].sort());
  });

  it('every option is looked at when it is the only one given (none slips past the defaults check)', () => {
    // resolveOptions tests each key by name before it falls back to the shared defaults: a key
    // added to STREAM_OPTION_KEYS and not to that check would be ignored, invalid or not.
    for (const key of STREAM_OPTION_KEYS) {
      expect(() => resolveOptions(bad({ [key]: 'not valid' })), key).toThrow(TypeError);
    }
  });

  it('accepts Infinity for maxWriteBufferSize only', () => {
    expect(resolveOptions({ maxWriteBufferSize: Number.POSITIVE_INFINITY }).maxWriteBufferSize).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(() => resolveOptions({ maxBufferSize: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });

  const invalid: [IOStreamOptions, typeof TypeError | typeof RangeError][] = [
    [{ maxBufferSize: 0 }, RangeError],
    [{ maxBufferSize: -5 }, RangeError],
    [{ maxBufferSize: 1.5 }, RangeError],
    [{ maxBufferSize: bad('big') }, TypeError],
    [{ readChunkSize: 0 }, RangeError],
    [{ maxWriteBufferSize: 0 }, RangeError],
    [{ maxWriteBufferSize: Number.NaN }, RangeError],
    [{ writeHighWaterMark: -1 }, RangeError],
    [{ writeLowWaterMark: -1 }, RangeError],
    [{ writeLowWaterMark: 10, writeHighWaterMark: 5 }, RangeError],
    [{ writeLowWaterMark: 0.5 }, RangeError],
    [{ writeLowWaterMark: bad('1') }, TypeError],
    [{ allowHalfOpen: bad('yes') }, TypeError],
    [{ coalesceWrites: bad(1) }, TypeError],
  ];
  it.each(invalid)('rejects %o', (options, kind) => {
    expect(() => resolveOptions(options)).toThrow(kind);
  });

  it('accepts a low mark equal to the high mark, and zero', () => {
    expect(resolveOptions({ writeHighWaterMark: 10, writeLowWaterMark: 10 }).writeLowWaterMark).toBe(10);
    expect(resolveOptions({ writeLowWaterMark: 0 }).writeLowWaterMark).toBe(0);
  });
});
