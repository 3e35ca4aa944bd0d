import { describe, expect, it } from 'vitest';
import { WriteQueue } from '../src/write-queue.js';

/** The queue's byte totals, private: what must stay small integers on a long stream. */
function totals(q: WriteQueue): number[] {
  const t = q as unknown as { queuedTotal: number; sentTotal: number; doneTotal: number };
  return [t.queuedTotal, t.sentTotal, t.doneTotal];
}

const GiB = 2 ** 30;

describe('WriteQueue byte totals', () => {
  it('count from zero again whenever every write is done, so they never pass 2^30 on a long stream', () => {
    for (const retains of [false, true]) {
      const q = new WriteQueue(retains);
      // 4 GiB of direct writes the transport took (and, retaining, released) at once.
      for (let i = 0; i < 64; i++) q.sentDirect(GiB / 16, retains ? GiB / 16 : 0);
      expect(totals(q)).toEqual([0, 0, 0]);
      expect(q.settled).toBe(true);
      expect(q.completion()).toBeNull();
    }
  });

  it('keep counting while a write waits, and settle it at the right byte', async () => {
    const q = new WriteQueue(true);
    q.sentDirect(GiB, 0);
    const first = q.completion();
    q.sentDirect(GiB, 0);
    const second = q.completion();
    let settled = 0;
    void first?.then(() => settled++);
    void second?.then(() => settled++);
    q.release(GiB);
    await Promise.resolve();
    expect(settled).toBe(1);
    // The first write is done, the second is not: nothing is rebased under it.
    expect(totals(q)).toEqual([2 * GiB, 2 * GiB, GiB]);
    q.release(GiB);
    await Promise.resolve();
    expect(settled).toBe(2);
    expect(totals(q)).toEqual([0, 0, 0]);
  });

  it('a write queued after a rebase resolves once its own bytes are released', async () => {
    const q = new WriteQueue(true);
    q.sentDirect(1000, 1000);
    const done = q.enqueue(Buffer.alloc(10));
    let resolved = false;
    void done.then(() => {
      resolved = true;
    });
    q.flush(
      (chunk) => chunk.length,
      () => 0,
    );
    q.release(9);
    await Promise.resolve();
    expect(resolved).toBe(false);
    q.release(1);
    await done;
    expect(resolved).toBe(true);
  });
});
