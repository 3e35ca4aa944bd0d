// A Duplex may emit 'error' with a value that is not an Error (`destroy('x')`, a
// third-party stream emitting a string or a plain object), and a transport may pass
// such a value on. The stream must still close, with an Error whose `cause` is the
// value, and nothing may throw out of the event handler (an uncaught exception that
// left the stream open and the pending read unsettled).
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fromDuplex, StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection } from './helpers/scripted-transport.js';
import { eventually } from './helpers/socket-pair.js';

/** A duplex that never produces data and takes every write. */
function quietDuplex(): Duplex {
  return new Duplex({
    read() {},
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

const values: [string, unknown][] = [
  ['a string', 'socket hung up'],
  ['a plain object', { message: 'not an Error', code: 'EWEIRD' }],
  ['a number', 42],
];

describe('non-Error failure values become an Error with that value as cause', () => {
  for (const [name, value] of values) {
    it(`fromDuplex: 'error' emitted with ${name}`, async () => {
      const duplex = quietDuplex();
      const stream = fromDuplex(duplex);
      let closeCallbackRan = false;
      stream.setCloseCallback(() => {
        closeCallbackRan = true;
      });
      const read = stream.readBytes(1);
      const write = stream.write('queued?');
      duplex.destroy(value as Error); // Node emits 'error' with the value as given
      const reason = await rejection(read);
      expectIOError(reason, StreamClosedError, 'ERR_STREAM_CLOSED');
      const real = (reason as StreamClosedError).realError;
      expect(real).toBeInstanceOf(Error);
      expect(real?.cause).toBe(value);
      expect(stream.error).toBe(real);
      expect(stream.closed()).toBe(true);
      await write.catch(() => {});
      await eventually(() => closeCallbackRan);
    });
  }

  it("fromDuplex over a duplex already destroyed with a string: the stream's error wraps it", async () => {
    const duplex = quietDuplex();
    duplex.on('error', () => {});
    duplex.destroy('gone' as never);
    await new Promise((resolve) => setImmediate(resolve));
    const stream = fromDuplex(duplex);
    const reason = await rejection(stream.readBytes(1));
    expect((reason as StreamClosedError).realError?.cause).toBe('gone');
  });

  it("a transport's error event with a string closes the stream instead of throwing", async () => {
    const { stream, t } = open();
    const read = stream.readBytes(1);
    expect(() => t.fail('junk' as never)).not.toThrow();
    expect(stream.closed()).toBe(true);
    const reason = await rejection(read);
    expect((reason as StreamClosedError).realError?.cause).toBe('junk');
  });

  it('a transport method throwing a non-Error closes the stream with it as cause', async () => {
    const { stream, t } = open();
    const thrown = { reason: 'odd' };
    t.throwing.set('writeToFd', thrown);
    const reason = await rejection(stream.write('x'));
    expect((reason as StreamClosedError).realError?.cause).toBe(thrown);
    expect(stream.error?.cause).toBe(thrown);
  });

  it('close() with a non-Error (e.g. from `catch (e) { stream.close(e) }`) closes with it as cause', async () => {
    const { stream } = open();
    const read = stream.readBytes(1);
    expect(() => stream.close('thrown string' as never)).not.toThrow();
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBeInstanceOf(Error);
    expect(stream.error?.cause).toBe('thrown string');
    expect(((await rejection(read)) as StreamClosedError).realError).toBe(stream.error);
  });
});
