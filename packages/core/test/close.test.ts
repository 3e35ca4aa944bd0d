import { describe, expect, it } from 'vitest';
import { StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection, tick } from './helpers/scripted-transport.js';

describe('close semantics', () => {
  it('EOF closes the stream; buffered data stays readable; other reads reject with realError null', async () => {
    const { stream, t } = open();
    t.push('hello\nwor');
    t.pushEof();
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBeNull();
    expect(t.closeFdCalls).toBe(1);
    expect(await stream.readUntil('\n')).toEqual(bytes('hello\n'));
    expect(await stream.readBytes(2)).toEqual(bytes('wo'));
    const error = await rejection(stream.readBytes(5));
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((error as StreamClosedError).realError).toBeNull();
    expect(await stream.readBytes(1)).toEqual(bytes('r'));
  });

  it('a pending read that the remaining bytes cannot satisfy rejects on EOF', async () => {
    const { stream, t } = open();
    const p = stream.readUntil('\n');
    t.push('no newline');
    t.pushEof();
    const error = await rejection(p);
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((error as StreamClosedError).realError).toBeNull();
    expect(await stream.readUntilClose()).toEqual(bytes('no newline'));
  });

  it('a transport error closes the stream; pending reads reject with that error as realError and cause', async () => {
    const { stream, t } = open();
    const p = stream.readBytes(10);
    t.push('abc');
    const boom = new Error('ECONNRESET');
    t.fail(boom);
    const error = await rejection(p);
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((error as StreamClosedError).realError).toBe(boom);
    expect((error as StreamClosedError).cause).toBe(boom);
    expect(stream.error).toBe(boom);
    expect(stream.closed()).toBe(true);
    expect(await stream.readBytes(3)).toEqual(bytes('abc'));
  });

  it('on EOF consults getFdError so a reset surfaces as stream.error', async () => {
    const { stream, t } = open();
    const reset = new Error('reset by peer');
    const p = stream.readBytes(1);
    t.fdError = reset;
    t.pushEof();
    expect(((await rejection(p)) as StreamClosedError).realError).toBe(reset);
    expect(stream.error).toBe(reset);
  });

  it('close(error) is idempotent: settles the read, rejects every pending write, releases the transport once', async () => {
    const { stream, t } = open({}, { writeCapacity: 2 });
    const read = stream.readUntil('\n');
    const w1 = stream.write('abcdef');
    const w2 = stream.write('ghi');
    expect(stream.writing()).toBe(true);
    const why = new Error('shutting down');
    stream.close(why);
    stream.close(new Error('second'));
    stream.close();
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(why);
    expect(t.closeFdCalls).toBe(1);
    expect(stream.writing()).toBe(false);
    expect(stream.writableLength).toBe(0);
    for (const p of [read, w1, w2]) {
      const error = await rejection(p);
      expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
      expect((error as StreamClosedError).realError).toBe(why);
    }
    expect(t.written()).toEqual(bytes('ab'));
  });

  it('close() without an error leaves stream.error null', async () => {
    const { stream } = open();
    stream.close();
    expect(stream.error).toBeNull();
    const error = await rejection(stream.write('x'));
    expect((error as StreamClosedError).realError).toBeNull();
  });

  it('ignores transport events that arrive after close', async () => {
    const { stream, t } = open();
    stream.close();
    t.push('late');
    t.grant(100);
    await tick();
    expect(stream.readableLength).toBe(0);
    expect(t.accepted).toHaveLength(0);
  });

  it('close() survives a closeFd that throws', async () => {
    const { stream, t } = open();
    t.throwing.set('closeFd', new Error('already gone'));
    const p = stream.readBytes(1);
    expect(() => stream.close()).not.toThrow();
    expect(stream.closed()).toBe(true);
    expectIOError(await rejection(p), StreamClosedError, 'ERR_STREAM_CLOSED');
  });
});
