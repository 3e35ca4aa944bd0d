import { describe, expect, it } from 'vitest';
import { open, tick } from './helpers/scripted-transport.js';

describe('setCloseCallback', () => {
  it('runs once, on a later turn, after handlers attached to the pending read', async () => {
    const { stream, t } = open();
    const order: string[] = [];
    stream.setCloseCallback(() => order.push('close callback'));
    const read = stream.readBytes(10);
    // A handler several promise hops away from the read still runs first.
    const observed = (async () => {
      try {
        await read;
      } catch {
        await null;
        await null;
        order.push('read handler');
      }
    })();
    // Close from a macrotask, as a real transport would.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        t.pushEof();
        resolve();
      }),
    );
    expect(order).toEqual([]);
    await observed;
    await tick();
    await tick();
    expect(order).toEqual(['read handler', 'close callback']);
    stream.close();
    await tick();
    expect(order).toEqual(['read handler', 'close callback']);
  });

  it('runs once even when close is reached by several paths', async () => {
    const { stream, t } = open();
    let calls = 0;
    stream.setCloseCallback(() => calls++);
    t.fail(new Error('x'));
    stream.close();
    t.pushEof();
    await tick();
    await tick();
    expect(calls).toBe(1);
  });

  it('the last callback set before the turn ends is the one that runs; null removes it', async () => {
    const { stream } = open();
    const calls: string[] = [];
    stream.setCloseCallback(() => calls.push('a'));
    stream.close();
    stream.setCloseCallback(() => calls.push('b'));
    await tick();
    expect(calls).toEqual(['b']);

    const other = open().stream;
    other.setCloseCallback(() => calls.push('c'));
    other.setCloseCallback(null);
    other.close();
    await tick();
    expect(calls).toEqual(['b']);
  });

  it('a callback set after the close has been reported still runs, once', async () => {
    const { stream } = open();
    stream.close();
    await tick();
    let calls = 0;
    stream.setCloseCallback(() => calls++);
    await tick();
    expect(calls).toBe(1);
    await tick();
    expect(calls).toBe(1);
  });

  it('is not called while the stream stays open', async () => {
    const { stream, t } = open();
    let calls = 0;
    stream.setCloseCallback(() => calls++);
    t.push('abc');
    await stream.readBytes(3);
    await tick();
    expect(calls).toBe(0);
  });
});
