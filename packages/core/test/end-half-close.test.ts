import { describe, expect, it } from 'vitest';
import { StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection, state } from './helpers/scripted-transport.js';

describe('end(): graceful close', () => {
  it('flushes what was written, then half-closes, then resolves; reading goes on', async () => {
    const { stream, t } = open({}, { writeCapacity: 2 });
    const w = stream.write('abcdef');
    const ended = stream.end();
    expect(await state(ended)).toBe('pending');
    expect(t.log).not.toContain('shutdown');
    expect(t.closeFdCalls).toBe(0);
    t.grant(2);
    t.grant(Number.POSITIVE_INFINITY);
    await w;
    await ended;
    expect(t.written()).toEqual(bytes('abcdef'));
    expect(t.log.indexOf('shutdown')).toBeGreaterThan(t.log.lastIndexOf('write'));
    expect(t.closeFdCalls).toBe(0);
    expect(stream.closed()).toBe(false);
    t.push('reply');
    expect(await stream.readBytes(5)).toEqual(bytes('reply'));
    t.pushEof();
    expect(stream.closed()).toBe(true);
  });

  it('later writes reject; end() is idempotent; end() on a closed stream rejects', async () => {
    const { stream } = open();
    const first = stream.end();
    expect(stream.end()).toBe(first);
    await first;
    expectIOError(await rejection(stream.write('late')), StreamClosedError, 'ERR_STREAM_CLOSED');
    stream.close();
    const other = open().stream;
    other.close();
    expectIOError(await rejection(other.end()), StreamClosedError, 'ERR_STREAM_CLOSED');
  });

  it('without shutdownWrite, closes the transport only after every byte was handed over', async () => {
    const { stream, t } = open({}, { shutdown: 'none', writeCapacity: 0 });
    void stream.write('pending data');
    const ended = stream.end();
    expect(t.closeFdCalls).toBe(0);
    expect(await state(ended)).toBe('pending');
    t.grant(Number.POSITIVE_INFINITY);
    await ended;
    expect(t.written()).toEqual(bytes('pending data'));
    expect(t.log).toEqual(['write', 'closeFd']);
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBeNull();
  });

  it('waits for an asynchronous shutdownWrite', async () => {
    const { stream, t } = open({}, { shutdown: 'deferred' });
    const ended = stream.end();
    expect(t.log).toEqual(['shutdown']);
    expect(await state(ended)).toBe('pending');
    t.shutdownSettle?.resolve();
    await ended;
    expect(stream.closed()).toBe(false);
  });

  it('a close() after the flush while shutdownWrite is in flight still resolves end()', async () => {
    const { stream } = open({}, { shutdown: 'deferred' });
    const ended = stream.end();
    stream.close();
    expect(await state(ended)).toBe('fulfilled');
  });

  it('a close() before the flush finished rejects end(): unsent data was dropped', async () => {
    const { stream } = open({}, { writeCapacity: 0 });
    void stream.write('unsent').catch(() => {});
    const ended = stream.end();
    stream.close();
    expectIOError(await rejection(ended), StreamClosedError, 'ERR_STREAM_CLOSED');
  });

  it('a shutdownWrite that rejects or throws closes the stream with that error and rejects end()', async () => {
    const boom = new Error('shutdown failed');
    const a = open({}, { shutdown: 'deferred' });
    const endedA = a.stream.end();
    a.t.shutdownSettle?.reject(boom);
    expect(((await rejection(endedA)) as StreamClosedError).realError).toBe(boom);
    expect(a.stream.error).toBe(boom);

    const b = open();
    b.t.throwing.set('shutdownWrite', boom);
    const endedB = b.stream.end();
    expectIOError(await rejection(endedB), StreamClosedError, 'ERR_STREAM_CLOSED');
    expect(b.stream.closed()).toBe(true);
    expect(b.stream.error).toBe(boom);
  });

  it('after end(), EOF from the peer closes the stream', async () => {
    const { stream, t } = open({ allowHalfOpen: true });
    await stream.end();
    expect(stream.closed()).toBe(false);
    t.pushEof();
    expect(stream.closed()).toBe(true);
  });
});

describe('allowHalfOpen', () => {
  it('EOF from the peer ends reads but leaves writing open until end()', async () => {
    const { stream, t } = open({ allowHalfOpen: true });
    const pending = stream.readUntil('\n');
    t.push('last words');
    t.pushEof();
    const error = await rejection(pending);
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect(stream.closed()).toBe(false);
    expect(await stream.readUntilClose()).toEqual(bytes('last words'));
    expectIOError(await rejection(stream.readBytes(1)), StreamClosedError, 'ERR_STREAM_CLOSED');
    await stream.write('still writing');
    expect(t.written()).toEqual(bytes('still writing'));
    expect(t.readInterest).toBe(false);
    await stream.end();
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBeNull();
  });

  it('without allowHalfOpen, EOF closes the stream and writes reject', async () => {
    const { stream, t } = open();
    t.pushEof();
    expect(stream.closed()).toBe(true);
    expectIOError(await rejection(stream.write('x')), StreamClosedError, 'ERR_STREAM_CLOSED');
  });
});
