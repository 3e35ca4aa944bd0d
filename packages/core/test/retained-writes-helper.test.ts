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

  describe('direct writes', () => {
    /**
     * RetainedWrites over a writable with Node's bookkeeping: `writableLength` counts what it
     * holds. `mode` says what the next write does: the kernel takes it whole at once, Node
     * holds it below or at the high-water mark, or it fails at once (as an EPIPE does).
     * `released` collects what RetainedWrites reports.
     */
    function overNodeLikeSocket(direct = true) {
      const callbacks: ((error?: Error | null) => void)[] = [];
      /** Lengths of the writes made without a callback, and of those made with one. */
      const plain: number[] = [];
      const withCallback: number[] = [];
      const socket = {
        mode: 'kernel' as 'kernel' | 'held' | 'full' | 'fail',
        writableLength: 0,
        errored: null as Error | null,
        write(data: Uint8Array, callback?: (error?: Error | null) => void): boolean {
          if (callback) {
            callbacks.push(callback);
            withCallback.push(data.length);
          } else plain.push(data.length);
          if (socket.mode === 'fail') {
            socket.errored = new Error('EPIPE');
            return false;
          }
          if (socket.mode === 'kernel') return true;
          socket.writableLength += data.length;
          return socket.mode === 'held';
        },
        /** Node finished everything it held: call back each write, oldest first. */
        finish(): void {
          socket.writableLength = 0;
          for (const cb of callbacks.splice(0)) cb();
        },
      };
      const released: number[] = [];
      const writes = new RetainedWrites(socket, (n) => released.push(n), { direct });
      return { socket, plain, withCallback, released, writes };
    }

    it('a write the kernel takes at once is released from inside write(), with no callback', () => {
      const { plain, withCallback, released, writes } = overNodeLikeSocket();
      expect(writes.write(new Uint8Array(16))).toBe(16);
      expect(released).toEqual([16]);
      expect(writes.write(new Uint8Array(4))).toBe(4);
      expect(released).toEqual([16, 4]);
      expect(plain).toEqual([16, 4]);
      expect(withCallback).toEqual([]);
    });

    it('a write Node holds below the high-water mark is released from the callback of an empty write behind it', () => {
      const { socket, plain, withCallback, released, writes } = overNodeLikeSocket();
      socket.mode = 'held';
      expect(writes.write(new Uint8Array(10))).toBe(10);
      expect(writes.blocked).toBe(false);
      expect(released).toEqual([]);
      expect(plain).toEqual([10]);
      expect(withCallback).toEqual([0]);
      // While Node holds bytes, writes go with callbacks, reported in order.
      expect(writes.write(new Uint8Array(3))).toBe(3);
      expect(withCallback).toEqual([0, 3]);
      socket.mode = 'kernel';
      socket.finish();
      expect(released).toEqual([10, 3]);
      // Idle again: direct.
      writes.write(new Uint8Array(7));
      expect(released).toEqual([10, 3, 7]);
      expect(plain).toEqual([10, 7]);
    });

    it("a write Node holds past the high-water mark blocks and is released on 'drain'", () => {
      const { socket, plain, withCallback, released, writes } = overNodeLikeSocket();
      socket.mode = 'full';
      expect(writes.write(new Uint8Array(65536))).toBe(65536);
      expect(writes.blocked).toBe(true);
      expect(writes.write(new Uint8Array(1))).toBe(0);
      expect(released).toEqual([]);
      expect(withCallback).toEqual([]);
      socket.mode = 'kernel';
      socket.finish();
      writes.drained();
      expect(writes.blocked).toBe(false);
      expect(released).toEqual([65536]);
      writes.write(new Uint8Array(2));
      expect(released).toEqual([65536, 2]);
      expect(plain).toEqual([65536, 2]);
    });

    it('a write that fails at once is not released', () => {
      const { socket, released, writes } = overNodeLikeSocket();
      socket.mode = 'fail';
      writes.write(new Uint8Array(5));
      writes.drained();
      expect(released).toEqual([]);
    });

    it('a write to a destroyed socket is not released', () => {
      const { socket, released, writes } = overNodeLikeSocket();
      Object.assign(socket, { destroyed: true });
      writes.write(new Uint8Array(5));
      expect(released).toEqual([]);
    });

    it('a write that throws is not released and leaves nothing tracked', () => {
      const { socket, released, writes } = overNodeLikeSocket();
      socket.write = () => {
        throw new Error('write threw');
      };
      expect(() => writes.write(new Uint8Array(5))).toThrow('write threw');
      expect(released).toEqual([]);
      expect(writes.blocked).toBe(false);
    });

    it('without direct (TLS), every write goes with a callback even when Node holds nothing', () => {
      const { socket, plain, withCallback, released, writes } = overNodeLikeSocket(false);
      writes.write(new Uint8Array(6));
      expect(released).toEqual([]);
      expect(plain).toEqual([]);
      expect(withCallback).toEqual([6]);
      socket.finish();
      expect(released).toEqual([6]);
    });
  });
});
