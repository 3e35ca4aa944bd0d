import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AlreadyReadingError,
  IOStream,
  IOStreamError,
  type IOStreamErrorCode,
  StreamBufferFullError,
  StreamClosedError,
  StreamNotIdleError,
  UnsatisfiableReadError,
} from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection, ScriptedTransport } from './helpers/scripted-transport.js';

describe('error classes', () => {
  const cases: [abstract new (...args: never[]) => IOStreamError, IOStreamError, IOStreamErrorCode][] = [
    [StreamClosedError, new StreamClosedError(), 'ERR_STREAM_CLOSED'],
    [UnsatisfiableReadError, new UnsatisfiableReadError('x'), 'ERR_UNSATISFIABLE_READ'],
    [StreamBufferFullError, new StreamBufferFullError('x'), 'ERR_STREAM_BUFFER_FULL'],
    [AlreadyReadingError, new AlreadyReadingError(), 'ERR_ALREADY_READING'],
    [StreamNotIdleError, new StreamNotIdleError(), 'ERR_STREAM_NOT_IDLE'],
    [AbortError, new AbortError(), 'ABORT_ERR'],
  ];

  it.each(cases)('%o extends IOStreamError with a stable code and name', (klass, error, code) => {
    expectIOError(error, klass, code);
    expect(error.name).not.toBe('Error');
    // Narrowing by class follows the code: no error is an instance of a sibling class.
    for (const [other, , otherCode] of cases) {
      if (otherCode !== code) expect(error).not.toBeInstanceOf(other);
    }
  });

  it('AbortError is named AbortError', () => {
    expect(new AbortError().name).toBe('AbortError');
  });

  it('StreamClosedError carries realError and the standard cause', () => {
    const why = new Error('reset');
    const e = new StreamClosedError(why);
    expect(e.realError).toBe(why);
    expect(e.cause).toBe(why);
    const clean = new StreamClosedError();
    expect(clean.realError).toBeNull();
    expect(clean.cause).toBeUndefined();
  });

  it('instanceof works across duplicate installs through the Symbol.for brand', () => {
    // What an error from another copy of this package looks like: a different prototype chain, same brand.
    const foreign = Object.assign(new Error('from another copy'), { code: 'ERR_STREAM_CLOSED' });
    Object.defineProperty(foreign, Symbol.for('@iostream/core.IOStreamError'), { value: true });
    expect(foreign).toBeInstanceOf(IOStreamError);
    expect(foreign).toBeInstanceOf(StreamClosedError);
    expect(foreign).not.toBeInstanceOf(UnsatisfiableReadError);
  });

  it('unbranded values are not IOStreamErrors', () => {
    const plain = Object.assign(new Error('look-alike'), { code: 'ERR_STREAM_CLOSED' });
    expect(plain).not.toBeInstanceOf(IOStreamError);
    expect(plain).not.toBeInstanceOf(StreamClosedError);
    expect((null as unknown) instanceof IOStreamError).toBe(false);
    expect((42 as unknown) instanceof IOStreamError).toBe(false);
    expect(('ERR_STREAM_CLOSED' as unknown) instanceof StreamClosedError).toBe(false);
  });
});

describe('state errors are rejections, never synchronous throws', () => {
  it('reads, writes, end and drained on a closed stream return rejected promises', async () => {
    const { stream } = open();
    stream.close();
    const calls: (() => Promise<unknown>)[] = [
      () => stream.readBytes(1),
      () => stream.readUntil('x'),
      () => stream.readUntilRegex(/x/),
      () => stream.readInto(new Uint8Array(1)),
      () => stream.write('x'),
      () => stream.write(['x']),
      () => stream.end(),
      () => stream.drained(),
    ];
    for (const call of calls) {
      let p: Promise<unknown> | undefined;
      expect(() => {
        p = call();
      }).not.toThrow();
      expectIOError(await rejection(p as Promise<unknown>), StreamClosedError, 'ERR_STREAM_CLOSED');
    }
  });
});

describe('stream.error is set whenever the stream closed for a reason', () => {
  const boom = new Error('boom');

  it('transport error event', () => {
    const { stream, t } = open();
    t.fail(boom);
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(boom);
  });

  it('readFromFd throws (also during construction)', async () => {
    const { stream, t } = open();
    const p = stream.readBytes(1);
    t.throwing.set('readFromFd', boom);
    t.notify();
    expect(((await rejection(p)) as StreamClosedError).realError).toBe(boom);
    expect(stream.error).toBe(boom);

    const t2 = new ScriptedTransport();
    t2.throwing.set('readFromFd', boom);
    const s2 = new IOStream(t2);
    expect(s2.closed()).toBe(true);
    expect(s2.error).toBe(boom);
  });

  it('readFromFd throws a non-Error value', () => {
    const { stream, t } = open();
    t.throwing.set('readFromFd', 'just a string');
    t.notify();
    expect(stream.error).toBeInstanceOf(Error);
  });

  it('setReadInterest throws', async () => {
    const { stream, t } = open({ readChunkSize: 2 });
    t.throwing.set('setReadInterest', boom);
    t.push('abcd');
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(boom);
  });

  it('getFdError throws on EOF', () => {
    const { stream, t } = open();
    t.throwing.set('getFdError', boom);
    expect(() => t.pushEof()).not.toThrow();
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(boom);
  });

  it('a throwing onChunk fails its read with that error and closes the stream', async () => {
    const { stream, t } = open();
    const p = stream.readBytes(10, {
      onChunk: () => {
        throw boom;
      },
    });
    t.push('abc');
    expect(await rejection(p)).toBe(boom);
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(boom);

    const other = open();
    other.t.push('buffered');
    const q = other.stream.readUntilClose({
      onChunk: () => {
        throw boom;
      },
    });
    expect(await rejection(q)).toBe(boom);
    expect(other.stream.error).toBe(boom);
  });

  it('maxBytes and maxBufferSize failures set it too (see max-bytes and max-buffer-size tests)', async () => {
    const { stream, t } = open({ maxBufferSize: 4 });
    t.push('abcdefgh');
    const error = await rejection(stream.readUntil('z'));
    expect(stream.error).toBe(error);
  });
});
