import { transportCompliance } from '@iostream/testkit/compliance';
import { type Fifo, fifoPair, makeFifo } from './helpers/fifo.js';
import { expectNoLeaks } from './helpers/leaks.js';

/** The transport compliance suite over a real FIFO: openPipe on its write end feeds openPipe on its read end. */
let fifo: Fifo | null = null;

expectNoLeaks();

transportCompliance('pipe (FIFO)', {
  async setup(options) {
    fifo ??= makeFifo();
    return fifoPair(fifo.path, options);
  },
  async teardown() {
    fifo?.remove();
    fifo = null;
  },
  duplex: false,
  halfClose: false,
});
