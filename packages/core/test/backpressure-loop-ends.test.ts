// The documented backpressure loop, `void s.write(x); if (s.needsDrain) await s.drained();`,
// must end with StreamClosedError once the stream closes: `needsDrain` is true on a
// stream that takes no more writes (closed, or end() called), so the loop awaits
// drained(), which rejects. Before, needsDrain was false once closed and the loop spun
// without ever awaiting.
import { describe, expect, it } from 'vitest';
import { fromDuplex, StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection, tick } from './helpers/scripted-transport.js';
import { socketPair } from './helpers/socket-pair.js';

describe('the backpressure loop ends when the stream closes', () => {
  it('over a real socket whose peer closes mid-stream: StreamClosedError, no spinning', async () => {
    const pair = await socketPair();
    try {
      const stream = fromDuplex(pair.client);
      let received = 0;
      pair.server.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= 256 * 1024) pair.server.end(); // a clean FIN: the client stream closes on EOF
      });
      const frame = Buffer.alloc(4096, 'f');
      // Frames come from an async source (one event-loop turn each), as from a file or a producer.
      async function* frames(): AsyncGenerator<Buffer> {
        for (let i = 0; i < 2000; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          yield frame;
        }
      }
      let afterClose = 0;
      let caught: unknown = null;
      try {
        for await (const f of frames()) {
          if (stream.closed()) afterClose++;
          void stream.write(f);
          if (stream.needsDrain) await stream.drained();
        }
      } catch (error) {
        caught = error;
      }
      expectIOError(caught, StreamClosedError, 'ERR_STREAM_CLOSED');
      expect(afterClose).toBeLessThanOrEqual(1);
      expect(stream.closed()).toBe(true);
    } finally {
      await pair.dispose();
    }
  });

  it('needsDrain is true on a closed stream, and drained() rejects with why it closed', async () => {
    const { stream, t } = open();
    expect(stream.needsDrain).toBe(false);
    const reset = new Error('reset');
    t.fail(reset);
    expect(stream.needsDrain).toBe(true);
    const reason = await rejection(stream.drained());
    expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((reason as StreamClosedError).realError).toBe(reset);
  });

  it('needsDrain is true once end() was called (writes are refused), and drained() rejects', async () => {
    const { stream } = open({}, { shutdown: 'deferred' });
    void stream.end(); // half-close under way: the stream is still open
    await tick();
    expect(stream.closed()).toBe(false);
    expect(stream.needsDrain).toBe(true);
    expectIOError(await rejection(stream.drained()), StreamClosedError, 'ERR_STREAM_CLOSED');
    let iterations = 0;
    let caught: unknown = null;
    try {
      for (; iterations < 1000; iterations++) {
        void stream.write('x');
        if (stream.needsDrain) await stream.drained();
      }
    } catch (error) {
      caught = error;
    }
    expectIOError(caught, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect(iterations).toBe(0);
  });

  it('while writes are accepted, needsDrain still follows the two marks', async () => {
    const { stream, t } = open({ writeHighWaterMark: 8, writeLowWaterMark: 4 }, { writeCapacity: 0 });
    void stream.write('123456789');
    expect(stream.needsDrain).toBe(true);
    const drained = stream.drained();
    t.grant(5);
    expect(stream.needsDrain).toBe(false);
    await drained;
  });
});
