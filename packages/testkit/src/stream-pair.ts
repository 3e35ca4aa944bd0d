import { IOStream, type IOStreamOptions } from '@iostream/core';
import { createTransportPair, type FakeTransport, type PairOptions } from './fake-transport.js';

/** A connected pair of streams over in-memory transports, with the transports for inspection. */
export interface StreamPair {
  a: IOStream;
  b: IOStream;
  ta: FakeTransport;
  tb: FakeTransport;
}

/**
 * Two `IOStream`s connected in memory. `options` sets the transport knobs
 * (chunking, delivery, write capacity, faults); `streamOptions` the IOStream
 * options of both ends.
 *
 * @example
 * ```ts
 * const { a, b } = createStreamPair({ chunking: 1, delivery: 'microtask' });
 * await a.write('hello\n');
 * expect((await b.readUntil('\n')).toString()).toBe('hello\n');
 * ```
 */
export function createStreamPair(
  options: PairOptions = {},
  streamOptions: IOStreamOptions | { a?: IOStreamOptions; b?: IOStreamOptions } = {},
): StreamPair {
  const [ta, tb] = createTransportPair(options);
  const perEnd = streamOptions as { a?: IOStreamOptions; b?: IOStreamOptions };
  const split = 'a' in streamOptions || 'b' in streamOptions;
  const a = new IOStream(ta, split ? perEnd.a : (streamOptions as IOStreamOptions));
  const b = new IOStream(tb, split ? perEnd.b : (streamOptions as IOStreamOptions));
  return { a, b, ta, tb };
}
