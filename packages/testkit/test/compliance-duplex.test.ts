// The compliance suite over core's fromDuplex, on a socket-like pair of Node Duplexes:
// the ten-line proof that docs/writing-a-transport.md promises.
import { fromDuplex } from '@iostream/core';
import { transportCompliance } from '../src/compliance/index.js';
import { duplexPair } from './helpers/duplex-pair.js';

transportCompliance('fromDuplex over a duplex pair', {
  async setup(options) {
    const [x, y] = duplexPair();
    return { a: fromDuplex(x, options), b: fromDuplex(y, options) };
  },
});
