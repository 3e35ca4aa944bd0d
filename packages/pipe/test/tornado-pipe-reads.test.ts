import { describe, expect, it } from 'vitest';
import { fifoPair, makeFifo } from './helpers/fifo.js';
import { expectNoLeaks } from './helpers/leaks.js';

/** Tornado's TestPipeIOStream cases, over a real FIFO opened with openPipe. */
describe('Tornado pipe cases', () => {
  expectNoLeaks();

  it('"hel" + "lo world": readUntil(" "), readBytes(3), then readUntilClose after the writer closes', async () => {
    const fifo = makeFifo();
    try {
      const { a, b } = fifoPair(fifo.path);
      await a.write('hel');
      await a.write('lo world');
      expect((await b.readUntil(' ')).toString()).toBe('hello ');
      expect((await b.readBytes(3)).toString()).toBe('wor');
      a.close();
      expect((await b.readUntilClose()).toString()).toBe('ld');
      expect(b.closed()).toBe(true);
      expect(b.error).toBeNull();
    } finally {
      fifo.remove();
    }
  });

  it('a 1 MB write is read back whole', async () => {
    const fifo = makeFifo();
    try {
      const { a, b } = fifoPair(fifo.path);
      const data = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 256;
      const written = a.write(data);
      const got = await b.readBytes(data.length);
      await written;
      expect(got.equals(data)).toBe(true);
      a.close();
      b.close();
    } finally {
      fifo.remove();
    }
  });
});
