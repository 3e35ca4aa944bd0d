// RetainedWrites against a model of Node's Writable over a socket: whatever the kernel does
// (take a write at once, hold it below or past the high-water mark, finish held writes
// later) and however Node's callback ticks and 'drain' interleave with new writes, every
// accepted write is released exactly once, in the order accepted, never before Node is done
// with it, and none is accepted while blocked.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { RetainedWrites } from '../src/index.js';

const HIGH_WATER_MARK = 16;

type Op =
  | { kind: 'write'; size: number }
  /** The kernel stops or starts taking bytes at once. */
  | { kind: 'kernel'; takes: boolean }
  /** Node finishes every write it holds (the kernel took them): callbacks queue as ticks, 'drain' fires. */
  | { kind: 'finish' }
  /** process.nextTick callbacks run. */
  | { kind: 'tick' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 40 }).map((size) => ({ kind: 'write' as const, size })) },
  { weight: 2, arbitrary: fc.boolean().map((takes) => ({ kind: 'kernel' as const, takes })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'finish' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
);

/** Node's Writable as RetainedWrites sees it: held bytes, callbacks deferred to ticks, 'drain' once emptied after a full write. */
class ModelSocket {
  takes = true;
  writableLength = 0;
  readonly errored = null;
  readonly destroyed = false;
  /** Writes Node holds, oldest first, with the id of the data they carry (-1: an empty write). */
  private readonly held: { size: number; id: number; callback?: (error?: Error | null) => void }[] = [];
  private readonly ticks: (() => void)[] = [];
  private needDrain = false;
  onDrain: () => void = () => {};
  /** Ids of the writes Node holds or has not yet called back for. */
  readonly inFlight = new Set<number>();
  /** The id of the data passed to the next write (set by the test before each write). */
  nextId = -1;

  write(data: Uint8Array, callback?: (error?: Error | null) => void): boolean {
    const id = data.length === 0 ? -1 : this.nextId;
    if (this.takes && this.held.length === 0) {
      // Written through at once: Node holds nothing, a callback still waits for a tick.
      if (callback) this.ticks.push(() => callback());
    } else {
      if (id >= 0) this.inFlight.add(id);
      this.held.push(callback ? { size: data.length, id, callback } : { size: data.length, id });
      this.writableLength += data.length;
    }
    const ok = this.writableLength < HIGH_WATER_MARK;
    if (!ok) this.needDrain = true;
    return ok;
  }

  finish(): void {
    const done = this.held.splice(0);
    this.writableLength = 0;
    for (const w of done) this.inFlight.delete(w.id);
    if (this.needDrain) {
      this.needDrain = false;
      this.onDrain();
    }
    for (const w of done) if (w.callback) this.ticks.push(() => w.callback?.());
  }

  tick(): void {
    for (const run of this.ticks.splice(0)) run();
  }
}

it('every accepted write is released once, in order, and only after Node is done with it', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 60 }), fc.boolean(), (ops, direct) => {
      const socket = new ModelSocket();
      const accepted: { id: number; size: number }[] = [];
      const released: number[] = [];
      let nextReleased = 0;
      const writes = new RetainedWrites(
        socket,
        (n) => {
          // Releases arrive in the order accepted, one write at a time, and never for bytes Node still holds.
          const w = accepted[nextReleased++];
          expect(w?.size).toBe(n);
          expect(socket.inFlight.has(w?.id as number)).toBe(false);
          released.push(n);
        },
        { direct },
      );
      socket.onDrain = () => writes.drained();
      let id = 0;
      for (const op of ops) {
        if (op.kind === 'kernel') socket.takes = op.takes;
        else if (op.kind === 'finish') socket.finish();
        else if (op.kind === 'tick') socket.tick();
        else {
          const wasBlocked = writes.blocked;
          socket.nextId = id;
          // Recorded before the call: a direct write may be released from inside it.
          accepted.push({ id, size: op.size });
          const n = writes.write(new Uint8Array(op.size));
          if (n === 0) accepted.pop();
          else id++;
          expect(n).toBe(wasBlocked ? 0 : op.size);
        }
      }
      // Everything finishes and every tick runs: each accepted write has been released.
      socket.takes = true;
      socket.finish();
      socket.tick();
      expect(released).toEqual(accepted.map((w) => w.size));
      expect(writes.blocked).toBe(false);
    }),
    { numRuns: 500 },
  );
});
