// RetainedWrites' takenOnDispatch (TLS): a write that Node passes straight to its handle is
// released inside write(), though the socket calls back only later; a write Node queues behind
// another (or holds while corked) is released only from its callback. The socket here models
// Node's Writable: a write goes to the handle when nothing is pending and it is not corked,
// the handle copies it then, and every callback comes on a later turn.
import { describe, expect, it } from 'vitest';
import { type CallbackWritable, RetainedWrites } from '../src/index.js';

class HandleLikeWritable implements CallbackWritable {
  writableLength = 0;
  writableCorked = 0;
  errored: Error | null = null;
  destroyed = false;
  /** What the handle copied, in order; a queued write's bytes are copied when it is dispatched. */
  readonly taken: Buffer[] = [];
  private readonly queued: { data: Uint8Array; cb: ((error?: Error | null) => void) | undefined }[] = [];
  private pending = false;

  write(data: Uint8Array, cb?: (error?: Error | null) => void): boolean {
    this.writableLength += data.length;
    if (this.pending || this.writableCorked > 0) this.queued.push({ data, cb });
    else this.dispatch(data, cb);
    return this.writableLength < 16 * 1024;
  }

  cork(): void {
    this.writableCorked++;
  }

  /** Like Node's `_writev`: everything written while corked goes to the handle as one batch. */
  uncork(): void {
    if (--this.writableCorked > 0 || this.pending || this.queued.length === 0) return;
    const batch = this.queued.splice(0);
    this.dispatch(Buffer.concat(batch.map((q) => q.data)), () => {
      for (const q of batch) q.cb?.();
    });
  }

  private dispatch(data: Uint8Array, cb?: (error?: Error | null) => void): void {
    this.pending = true;
    this.taken.push(Buffer.from(data));
    setImmediate(() => {
      this.pending = false;
      this.writableLength -= data.length;
      cb?.();
      this.next();
    });
  }

  private next(): void {
    const q = this.queued.shift();
    if (q) this.dispatch(q.data, q.cb);
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('RetainedWrites with takenOnDispatch', () => {
  it('releases a write the handle took at once, and one queued behind it only from its callback', async () => {
    const socket = new HandleLikeWritable();
    const released: number[] = [];
    const writes = new RetainedWrites(socket, (n) => released.push(n), { takenOnDispatch: true });
    expect(writes.write(Buffer.alloc(10, 1))).toBe(10);
    expect(released).toEqual([10]);
    // Node still holds the first write (no callback yet): the second waits in Node's queue.
    expect(writes.write(Buffer.alloc(20, 2))).toBe(20);
    expect(released).toEqual([10]);
    for (let i = 0; i < 5 && released.length < 2; i++) await turn();
    expect(released).toEqual([10, 20]);
    expect(socket.taken.map((b) => b.length)).toEqual([10, 20]);
    // Idle again: the next write is taken at once.
    await turn();
    writes.write(Buffer.alloc(5, 3));
    expect(released).toEqual([10, 20, 5]);
  });

  it('does not release at once while the socket is corked, nor for a socket that is failing', async () => {
    const socket = new HandleLikeWritable();
    const released: number[] = [];
    const writes = new RetainedWrites(socket, (n) => released.push(n), { takenOnDispatch: true });
    socket.cork();
    writes.write(Buffer.alloc(7));
    expect(released).toEqual([]);
    socket.uncork();
    for (let i = 0; i < 5 && released.length < 1; i++) await turn();
    expect(released).toEqual([7]);
    await turn();
    socket.destroyed = true;
    writes.write(Buffer.alloc(3));
    expect(released).toEqual([7]);
  });

  it('writev: a batch the handle takes in one go is released whole at once', () => {
    const socket = new HandleLikeWritable();
    const released: number[] = [];
    const writes = new RetainedWrites(socket, (n) => released.push(n), { takenOnDispatch: true });
    expect(writes.writev([Buffer.alloc(200), Buffer.alloc(1024)])).toBe(1224);
    expect(released).toEqual([1224]);
  });
});
