import { describe, expect, it } from 'vitest';
import { AlreadyReadingError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection } from './helpers/scripted-transport.js';

describe('one read at a time', () => {
  it('rejects a second read with ERR_ALREADY_READING and leaves the first untouched', async () => {
    const { stream, t } = open();
    const first = stream.readBytes(4);
    expect(stream.reading()).toBe(true);
    const attempts = [
      stream.readBytes(1),
      stream.readBytes(0),
      stream.readBytes(2, { partial: true }),
      stream.readBytes(2, { onChunk: () => {} }),
      stream.readUntil('\n'),
      stream.readUntilRegex(/x/),
      stream.readUntilClose(),
      stream.readInto(new Uint8Array(2)),
    ];
    for (const p of attempts) expectIOError(await rejection(p), AlreadyReadingError, 'ERR_ALREADY_READING');
    expect(stream.reading()).toBe(true);
    t.push('ab', 'cdef');
    expect(await first).toEqual(bytes('abcd'));
    expect(stream.reading()).toBe(false);
    expect(await stream.readBytes(2)).toEqual(bytes('ef'));
    expect(stream.closed()).toBe(false);
  });

  it('the synchronous tryRead* forms throw ERR_ALREADY_READING while a read is pending', async () => {
    const { stream, t } = open();
    t.push('abc');
    const pending = stream.readUntil('\n');
    for (const f of [
      () => stream.tryReadBytes(1),
      () => stream.tryReadUntil('a'),
      () => stream.tryReadInto(new Uint8Array(1)),
    ]) {
      let thrown: unknown;
      try {
        f();
      } catch (error) {
        thrown = error;
      }
      expectIOError(thrown, AlreadyReadingError, 'ERR_ALREADY_READING');
    }
    t.push('\n');
    expect(await pending).toEqual(bytes('abc\n'));
  });
});
