import { describe, expect, it } from 'vitest';
import { emptyArray, NOT_MADE, ownArray } from '../src/empty-array.js';
import { ReadBuffer } from '../src/read-buffer.js';
import { WriteQueue } from '../src/write-queue.js';
import { open } from './helpers/scripted-transport.js';

describe('emptyArray', () => {
  it('empties short and long arrays alike, keeping the same array object', () => {
    for (const size of [0, 1, 5, 32, 33, 1000]) {
      const array = Array.from({ length: size }, (_, i) => i);
      emptyArray(array);
      expect(array).toEqual([]);
      array.push(7);
      expect(array).toEqual([7]);
    }
  });

  it('leaves no element behind a sparse prefix (consumed slots set to undefined)', () => {
    const array: (number | undefined)[] = [undefined, undefined, 3];
    emptyArray(array);
    expect(array.length).toBe(0);
    expect(0 in array).toBe(false);
  });
});

describe('NOT_MADE and ownArray', () => {
  it('ownArray gives a new array in place of the shared one, and any other array itself', () => {
    const made = ownArray<number>(NOT_MADE);
    expect(made).not.toBe(NOT_MADE);
    expect(made).toEqual([]);
    const own = [1, 2];
    expect(ownArray(own)).toBe(own);
  });

  it('queues that fill, drain, put bytes back and fail never write to the shared array', async () => {
    const rbuf = new ReadBuffer();
    rbuf.unshift(Buffer.from('put back before anything arrived'));
    rbuf.push(Buffer.from('abc'));
    rbuf.take(rbuf.length);
    new ReadBuffer().push(Buffer.from('x'));

    const queue = new WriteQueue(true);
    const done = queue.enqueue(Buffer.from('onetwo'));
    queue.flush((chunk) => chunk.length);
    queue.release(6);
    await done;
    const failing = new WriteQueue(true);
    const failed = failing.enqueue(Buffer.from('never sent')).catch((e: unknown) => e);
    failing.fail(() => new Error('closed'));
    expect(await failed).toBeInstanceOf(Error);
    const later = new WriteQueue(false);
    later.fail(() => new Error('closed'));
    later.push([Buffer.from('after a failure')]);

    const { stream } = open({ writeHighWaterMark: 1, writeLowWaterMark: 0 }, { writeCapacity: 0 });
    void stream.write('fills the queue');
    const drained = stream.drained().catch((e: unknown) => e);
    stream.close();
    expect(await drained).toBeInstanceOf(Error);
    expect(NOT_MADE).toHaveLength(0);
  });
});
