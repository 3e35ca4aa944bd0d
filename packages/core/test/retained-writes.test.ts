import { describe, expect, it } from 'vitest';
import { StreamClosedError, StreamNotIdleError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection, state } from './helpers/scripted-transport.js';

/** A transport with `retainsWrites` keeps the caller's memory until it reports `released(n)`. */
describe('writes over a retaining transport (zero-copy)', () => {
  it('a write accepted whole stays pending until its bytes are released', async () => {
    const { stream, t } = open({}, { retain: true });
    const p = stream.write('hello');
    expect(t.written()).toEqual(bytes('hello'));
    expect(await state(p)).toBe('pending');
    expect(stream.writing()).toBe(false);
    expect(stream.writableLength).toBe(0);
    t.release(4);
    expect(await state(p)).toBe('pending');
    t.release(1);
    expect(await state(p)).toBe('fulfilled');
  });

  it('writes complete in FIFO order as releases accumulate across them', async () => {
    const { stream, t } = open({}, { retain: true, writeCapacity: 3 });
    const done: number[] = [];
    const writes = ['aaaa', 'bb', 'cccccc'].map((s, i) => stream.write(s).then(() => done.push(i)));
    t.grant(Number.POSITIVE_INFINITY);
    expect(t.written()).toEqual(bytes('aaaabbcccccc'));
    await state(writes[2] as Promise<unknown>);
    expect(done).toEqual([]);
    t.release(5);
    await state(writes[2] as Promise<unknown>);
    expect(done).toEqual([0]);
    t.release(6);
    await state(writes[2] as Promise<unknown>);
    expect(done).toEqual([0, 1]);
    t.release(1);
    await Promise.all(writes);
    expect(done).toEqual([0, 1, 2]);
  });

  it('an empty write still resolves at once', async () => {
    const { stream, t } = open({}, { retain: true });
    void stream.write('x');
    expect(await state(stream.write(''))).toBe('fulfilled');
    t.release();
  });

  it('close() rejects writes whose bytes are unreleased, and later releases change nothing', async () => {
    const { stream, t } = open({}, { retain: true });
    const first = stream.write('abc');
    const second = stream.write('def');
    t.release(3);
    await first;
    const err = new Error('boom');
    stream.close(err);
    const reason = await rejection(second);
    expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((reason as StreamClosedError).realError).toBe(err);
    expect(() => t.release(3)).not.toThrow();
  });

  it('a release larger than what was handed over cannot resolve unsent writes', async () => {
    const { stream, t } = open({}, { retain: true, writeCapacity: 2 });
    const p = stream.write('abcd');
    t.release(100);
    expect(await state(p)).toBe('pending');
    t.grant(Number.POSITIVE_INFINITY);
    expect(await state(p)).toBe('pending');
    t.release(2);
    expect(await state(p)).toBe('fulfilled');
  });

  it('needsDrain and drained() count only queued bytes, not retained ones', async () => {
    const { stream, t } = open({ writeHighWaterMark: 8, writeLowWaterMark: 4 }, { retain: true, writeCapacity: 10 });
    const w1 = stream.write(Buffer.alloc(10));
    expect(stream.needsDrain).toBe(false);
    const w2 = stream.write(Buffer.alloc(10));
    expect(stream.writableLength).toBe(10);
    expect(stream.needsDrain).toBe(true);
    const drained = stream.drained();
    t.grant(6);
    expect(stream.writableLength).toBe(4);
    expect(await state(drained)).toBe('fulfilled');
    expect(stream.needsDrain).toBe(false);
    // 16 bytes are retained, 4 still queued: the writes wait for the releases.
    expect(await state(w1)).toBe('pending');
    t.grant(Number.POSITIVE_INFINITY);
    t.release(10);
    expect(await state(w1)).toBe('fulfilled');
    expect(await state(w2)).toBe('pending');
    t.release(10);
    expect(await state(w2)).toBe('fulfilled');
  });

  it('end() half-closes only after every write is released, then resolves', async () => {
    const { stream, t } = open({}, { retain: true });
    const w = stream.write('bye');
    const ended = stream.end();
    expect(await state(ended)).toBe('pending');
    expect(t.log).not.toContain('shutdown');
    t.release(3);
    await w;
    await ended;
    expect(t.log).toEqual(['write', 'shutdown']);
    expect(stream.closed()).toBe(false);
  });

  it('end() without shutdownWrite closes the transport only after every write is released', async () => {
    const { stream, t } = open({}, { retain: true, shutdown: 'none' });
    const w = stream.write('bye');
    const ended = stream.end();
    expect(await state(ended)).toBe('pending');
    expect(t.closeFdCalls).toBe(0);
    t.release(3);
    await w;
    await ended;
    expect(t.closeFdCalls).toBe(1);
  });

  it('detach() refuses while a write is retained', async () => {
    const { stream, t } = open({}, { retain: true });
    const w = stream.write('abc');
    expect(() => stream.detach()).toThrow(StreamNotIdleError);
    t.release(3);
    await w;
    expect(() => stream.detach()).not.toThrow();
  });

  it('a transport without retainsWrites resolves on hand-over and its released() reports are ignored', async () => {
    const { stream, t } = open();
    const p = stream.write('abc');
    expect(await state(p)).toBe('fulfilled');
    t.events?.released?.(3);
    expect(await state(stream.write('def'))).toBe('fulfilled');
  });

  describe('released from inside writeToFd (the kernel took the bytes at once)', () => {
    it('a write released as it is handed over is already resolved when write() returns', async () => {
      const { stream, t } = open({}, { retain: true, releaseInWrite: true });
      const p = stream.write('hello');
      expect(await state(p)).toBe('fulfilled');
      expect(t.unreleased).toBe(0);
      expect(t.written()).toEqual(bytes('hello'));
    });

    it('queued writes released as a later flush hands them over resolve then, in order', async () => {
      const { stream, t } = open({}, { retain: true, releaseInWrite: true, writeCapacity: 0 });
      const done: number[] = [];
      const writes = ['ab', 'cde', 'f'].map((s, i) => stream.write(s).then(() => done.push(i)));
      await state(writes[2] as Promise<unknown>);
      expect(done).toEqual([]);
      t.grant(Number.POSITIVE_INFINITY);
      await Promise.all(writes);
      expect(done).toEqual([0, 1, 2]);
      expect(t.written()).toEqual(bytes('abcdef'));
    });

    it('an early release covers only the bytes taken: the rest of the write still waits', async () => {
      const { stream, t } = open({}, { retain: true, releaseInWrite: true, writeCapacity: 3 });
      const p = stream.write('abcdef');
      expect(await state(p)).toBe('pending');
      expect(t.unreleased).toBe(0);
      t.grant(Number.POSITIVE_INFINITY);
      expect(await state(p)).toBe('fulfilled');
      expect(t.written()).toEqual(bytes('abcdef'));
    });

    it('writes of an array resolve at once when every chunk is released as it is handed over', async () => {
      const { stream, t } = open({}, { retain: true, releaseInWrite: true });
      expect(await state(stream.write(['ab', 'cd', 'ef']))).toBe('fulfilled');
      expect(t.writeCalls).toHaveLength(3);
    });

    it('mixes with releases reported later: each write resolves once all its bytes are released', async () => {
      const { stream, t } = open({}, { retain: true });
      const late = stream.write('abc');
      t.releaseInWrite = true;
      const early = stream.write('de');
      // FIFO: the second write's bytes are free, but the first write's are not yet.
      expect(await state(early)).toBe('pending');
      t.release(3);
      expect(await state(late)).toBe('fulfilled');
      expect(await state(early)).toBe('fulfilled');
    });

    it('end() after such writes half-closes without waiting for anything more', async () => {
      const { stream, t } = open({}, { retain: true, releaseInWrite: true });
      await stream.write('bye');
      await stream.end();
      expect(t.log).toEqual(['write', 'shutdown']);
    });

    it('a transport that releases and then throws from writeToFd closes the stream and rejects the write', async () => {
      const { stream, t } = open({}, { retain: true });
      const boom = new Error('write failed after taking the bytes');
      t.writeToFd = (data: Uint8Array) => {
        t.events?.released?.(data.length);
        throw boom;
      };
      const reason = await rejection(stream.write('abc'));
      expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
      expect((reason as StreamClosedError).realError).toBe(boom);
      expect(stream.closed()).toBe(true);
      expect(await state(stream.write('more'))).toBe('rejected');
    });
  });
});
