// Every timeout option takes a positive number of milliseconds that Node's timers can hold
// (at most 2^31 - 1): a longer one would fire after 1 ms with a warning, so it is refused.
import { expect, it } from 'vitest';
import { connect, createConnection, listen, MAX_TIMER_MS } from '../src/index.js';

const handler = () => {};

it('connect and createConnection refuse a timeout Node cannot hold, and non-positive or non-number ones', () => {
  for (const make of [connect, createConnection]) {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, MAX_TIMER_MS + 1]) {
      expect(() => make({ host: '127.0.0.1', port: 9, timeout: bad })).toThrow(RangeError);
    }
    expect(() => make({ host: '127.0.0.1', port: 9, timeout: '5' as never })).toThrow(TypeError);
  }
});

it('listen refuses an idleTimeout past 2^31 - 1 ms', () => {
  expect(() => listen({ port: 0, idleTimeout: MAX_TIMER_MS + 1 }, handler)).toThrow(RangeError);
});
