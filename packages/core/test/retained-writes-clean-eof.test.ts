// A retaining transport (TLS, a zero-copy socket) reports `released(n)` a turn or more
// after it took the bytes; a clean EOF from the peer can close the stream in between.
// Bytes the transport took were handed over, exactly as a copying transport's are when
// its write resolves: the clean EOF resolves those writes. Bytes core still queued were
// never handed over and reject, and a close with an error (a reset) or the caller's own
// abortive close() still rejects every unreleased write.
import { describe, expect, it } from 'vitest';
import { StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection, state } from './helpers/scripted-transport.js';

describe('a clean EOF over a retaining transport', () => {
  it('resolves writes whose bytes the transport took, and rejects what was never handed over', async () => {
    const { stream, t } = open({}, { retain: true, writeCapacity: 7 });
    const taken = stream.write('abc'); // taken whole, not released yet
    const split = stream.write('defgh'); // 4 bytes taken, 1 queued
    const queued = stream.write('ijk'); // nothing taken
    expect(await state(taken)).toBe('pending');
    t.pushEof();
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(null);
    expect(await state(taken)).toBe('fulfilled');
    for (const p of [split, queued]) {
      const reason = await rejection(p);
      expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
      expect((reason as StreamClosedError).realError).toBe(null);
    }
  });

  it('resolves an array write handed over whole, and end() waiting on its release', async () => {
    const { stream, t } = open({}, { retain: true });
    const w = stream.write(['Terminate', '\0']);
    const ended = stream.end();
    expect(await state(ended)).toBe('pending');
    t.pushEof();
    expect(await state(w)).toBe('fulfilled');
    expect(await state(ended)).toBe('fulfilled');
    expect(t.log).not.toContain('shutdown');
  });

  it('an EOF that came with an error (a reset) still rejects unreleased writes', async () => {
    const { stream, t } = open({}, { retain: true });
    const w = stream.write('abc');
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    t.fdError = reset;
    t.pushEof();
    const reason = await rejection(w);
    expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((reason as StreamClosedError).realError).toBe(reset);
  });

  it("the caller's close() still rejects unreleased writes (abortive: the transport may drop them)", async () => {
    const { stream } = open({}, { retain: true });
    const w = stream.write('abc');
    stream.close();
    expectIOError(await rejection(w), StreamClosedError, 'ERR_STREAM_CLOSED');
  });

  it('with allowHalfOpen, EOF does not close the stream: writes wait for their release as usual', async () => {
    const { stream, t } = open({ allowHalfOpen: true }, { retain: true });
    const w = stream.write('abc');
    t.pushEof();
    expect(stream.closed()).toBe(false);
    expect(await state(w)).toBe('pending');
    t.release(3);
    expect(await state(w)).toBe('fulfilled');
  });
});
