// Write promises are marked handled because a write's failure is never reported only
// there: whichever way writing fails, the stream closes with that error as
// stream.error, the pending read rejects with it as realError, and the close callback
// runs. One case per way writing can fail.
import { describe, expect, it } from 'vitest';
import { type IOStream, StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection, type ScriptedTransport, type ScriptOptions, tick } from './helpers/scripted-transport.js';

type Case = [name: string, script: ScriptOptions, run: (s: IOStream, t: ScriptedTransport, e: Error) => void];

const cases: Case[] = [
  [
    'writeToFd throws on a direct write',
    {},
    (s, t, e) => {
      t.throwing.set('writeToFd', e);
      void s.write('data');
    },
  ],
  [
    'writeToFd throws while flushing queued writes',
    { writeCapacity: 0 },
    (s, t, e) => {
      void s.write('data');
      t.throwing.set('writeToFd', e);
      t.grant(Number.POSITIVE_INFINITY);
    },
  ],
  [
    'the transport reports an error with writes queued',
    { writeCapacity: 0 },
    (s, t, e) => {
      void s.write('data');
      t.fail(e);
    },
  ],
  [
    'the transport reports an error with writes retained',
    { retain: true },
    (s, t, e) => {
      void s.write('data');
      t.fail(e);
    },
  ],
  [
    'shutdownWrite (end) fails',
    { shutdown: 'deferred' },
    (s, t, e) => {
      void s.end();
      t.shutdownSettle?.reject(e);
    },
  ],
];

describe('a write failure reaches stream.error, the pending read and the close callback', () => {
  it.each(cases)('%s', async (_name, script, run) => {
    const { stream, t } = open({}, script);
    let closeCallbackRan = false;
    stream.setCloseCallback(() => {
      closeCallbackRan = true;
    });
    const readFailure = rejection(stream.readBytes(1)); // observed now: reads are not marked handled
    const boom = new Error('boom');
    run(stream, t, boom);
    await tick();
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(boom);
    const reason = await readFailure;
    expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((reason as StreamClosedError).realError).toBe(boom);
    await tick();
    expect(closeCallbackRan).toBe(true);
  });
});
