import { describe, expect, it } from 'vitest';
import { type CallbackWritable, RetainedWrites } from '../src/index.js';

/** A writable that keeps each write's callback for the test to call, and answers `full` from write(). */
function fakeSocket() {
  const callbacks: ((error?: Error | null) => void)[] = [];
  const socket: CallbackWritable & { full: boolean; throwNext: boolean } = {
    full: false,
    throwNext: false,
    write(_data: Uint8Array, callback: (error?: Error | null) => void): boolean {
      if (socket.throwNext) throw new Error('write threw');
      callbacks.push(callback);
      return !socket.full;
    },
  };
  return { socket, callbacks };
}

describe('RetainedWrites', () => {
  it('hands chunks over whole and reports each length from its callback, in order', () => {
    const { socket, callbacks } = fakeSocket();
    const released: number[] = [];
    const writes = new RetainedWrites(socket, (n) => released.push(n));
    expect(writes.write(new Uint8Array(3))).toBe(3);
    expect(writes.write(new Uint8Array(5))).toBe(5);
    expect(released).toEqual([]);
    for (const cb of callbacks.splice(0)) cb();
    expect(released).toEqual([3, 5]);
  });

  it('takes nothing after write() returned false, until drained()', () => {
    const { socket, callbacks } = fakeSocket();
    const writes = new RetainedWrites(socket, () => {});
    socket.full = true;
    expect(writes.write(new Uint8Array(4))).toBe(4);
    expect(writes.blocked).toBe(true);
    expect(writes.write(new Uint8Array(4))).toBe(0);
    expect(callbacks).toHaveLength(1);
    socket.full = false;
    writes.drained();
    expect(writes.blocked).toBe(false);
    expect(writes.write(new Uint8Array(2))).toBe(2);
  });

  it('reports nothing for a failed write, and keeps later lengths matched', () => {
    const { socket, callbacks } = fakeSocket();
    const released: number[] = [];
    const writes = new RetainedWrites(socket, (n) => released.push(n));
    writes.write(new Uint8Array(1));
    writes.write(new Uint8Array(2));
    callbacks[0]?.(new Error('EPIPE'));
    callbacks[1]?.();
    expect(released).toEqual([2]);
  });

  it('a write that throws is forgotten: the next callback reports the next write', () => {
    const { socket, callbacks } = fakeSocket();
    const released: number[] = [];
    const writes = new RetainedWrites(socket, (n) => released.push(n));
    socket.throwNext = true;
    expect(() => writes.write(new Uint8Array(7))).toThrow('write threw');
    socket.throwNext = false;
    writes.write(new Uint8Array(9));
    callbacks[0]?.();
    expect(released).toEqual([9]);
  });
});
