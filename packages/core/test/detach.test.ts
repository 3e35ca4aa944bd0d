import { describe, expect, it } from 'vitest';
import { type IOStream, StreamClosedError, StreamNotIdleError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection, tick } from './helpers/scripted-transport.js';

/** detach() is core's half of startTls: handing an idle stream's transport to a new owner. */
describe('detach', () => {
  it('hands over the transport, options and close callback of an idle stream, without releasing it', async () => {
    const { stream, t } = open({ maxBufferSize: 1000, allowHalfOpen: true });
    let calls = 0;
    const cb = () => calls++;
    stream.setCloseCallback(cb);
    const handed = stream.detach();
    expect(handed.transport).toBe(t);
    expect(handed.closeCallback).toBe(cb);
    expect(handed.options).toMatchObject({ maxBufferSize: 1000, allowHalfOpen: true });
    expect(stream.closed()).toBe(true);
    expect(t.closeFdCalls).toBe(0);
    expect(t.readInterest).toBe(false);
    expect(t.watchCalls).toBe(2);
    // The old stream ignores the transport from now on, and its close callback never runs.
    t.push('for the new owner');
    expect(stream.readableLength).toBe(0);
    expectIOError(await rejection(stream.readBytes(1)), StreamClosedError, 'ERR_STREAM_CLOSED');
    expectIOError(await rejection(stream.write('x')), StreamClosedError, 'ERR_STREAM_CLOSED');
    await tick();
    expect(calls).toBe(0);
  });

  it('setCloseCallback on the detached stream stores nothing and never runs: the connection lives on', async () => {
    const { stream, t } = open();
    const handed = stream.detach();
    let calls = 0;
    stream.setCloseCallback(() => calls++);
    await tick();
    await tick();
    expect(calls).toBe(0);
    expect(handed.closeCallback).toBe(null);
    // Still an argument error for a non-function, as on any stream.
    expect(() => stream.setCloseCallback(1 as never)).toThrow(TypeError);
    // close() on the detached stream changes nothing either (the transport is the new owner's).
    stream.close();
    await tick();
    expect(calls).toBe(0);
    expect(t.closeFdCalls).toBe(0);
  });

  const notIdle: [string, (s: IOStream, t: ReturnType<typeof open>['t']) => void][] = [
    ['closed', (s) => s.close()],
    ['a pending read', (s) => void s.readBytes(1).catch(() => {})],
    [
      'unsent writes',
      (s, t) => {
        t.writeCapacity = 0;
        void s.write('x').catch(() => {});
      },
    ],
    ['buffered bytes', (_s, t) => t.push('x')],
    ['end() under way', (s) => void s.end().catch(() => {})],
    ['EOF reached (half-open)', (_s, t) => t.pushEof()],
  ];
  it.each(notIdle)('throws StreamNotIdleError with %s, changing nothing', (_name, setup) => {
    const { stream, t } = open({ allowHalfOpen: true }, { shutdown: 'deferred' });
    setup(stream, t);
    const wasClosed = stream.closed();
    let thrown: unknown;
    try {
      stream.detach();
    } catch (error) {
      thrown = error;
    }
    expectIOError(thrown, StreamNotIdleError, 'ERR_STREAM_NOT_IDLE');
    expect(stream.closed()).toBe(wasClosed);
    expect(t.watchCalls).toBe(1);
  });
});
