import { describe, expect, it } from 'vitest';
import { StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection, state } from './helpers/scripted-transport.js';

describe('write backpressure (two water marks)', () => {
  it('needsDrain turns on above the high mark and off at the low mark, when drained() resolves', async () => {
    const { stream, t } = open({ writeHighWaterMark: 10, writeLowWaterMark: 4 }, { writeCapacity: 0 });
    expect(stream.needsDrain).toBe(false);
    expect(await state(stream.drained())).toBe('fulfilled');
    void stream.write(Buffer.alloc(10));
    expect(stream.needsDrain).toBe(false); // exactly at the high mark
    void stream.write(Buffer.alloc(2));
    expect(stream.needsDrain).toBe(true);
    const drained = stream.drained();
    t.grant(7); // 5 left: above the low mark
    expect(stream.needsDrain).toBe(true);
    expect(await state(drained)).toBe('pending');
    t.grant(1); // 4 left: at the low mark
    expect(stream.needsDrain).toBe(false);
    expect(await state(drained)).toBe('fulfilled');
    expect(stream.writableLength).toBe(4);
  });

  it('defaults: high mark 65536, low mark half of it', async () => {
    const { stream, t } = open({}, { writeCapacity: 0 });
    void stream.write(Buffer.alloc(65536));
    expect(stream.needsDrain).toBe(false);
    void stream.write(Buffer.alloc(1));
    expect(stream.needsDrain).toBe(true);
    t.grant(65537 - 32769);
    expect(stream.needsDrain).toBe(true);
    t.grant(1);
    expect(stream.needsDrain).toBe(false);
  });

  it('a low mark given alone applies with the default high mark', () => {
    const { stream, t } = open({ writeLowWaterMark: 0 }, { writeCapacity: 0 });
    void stream.write(Buffer.alloc(70000));
    expect(stream.needsDrain).toBe(true);
    t.grant(69999);
    expect(stream.needsDrain).toBe(true);
    t.grant(1);
    expect(stream.needsDrain).toBe(false);
  });

  it('drained() rejects with StreamClosedError if the stream closes first, and on a closed stream', async () => {
    const { stream } = open({ writeHighWaterMark: 1, writeLowWaterMark: 0 }, { writeCapacity: 0 });
    void stream.write('abc').catch(() => {});
    const drained = stream.drained();
    stream.close();
    expectIOError(await rejection(drained), StreamClosedError, 'ERR_STREAM_CLOSED');
    // True on a closed stream, so the backpressure loop awaits drained() and ends there.
    expect(stream.needsDrain).toBe(true);
    expectIOError(await rejection(stream.drained()), StreamClosedError, 'ERR_STREAM_CLOSED');
  });
});
