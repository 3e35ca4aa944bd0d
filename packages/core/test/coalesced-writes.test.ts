// coalesceWrites: the first write of a turn goes to the transport at once; small writes made
// after it in the same turn are held until the turn's microtasks run, then go as one
// writevToFd. Counted on scripted transports: no timing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IOStream, StreamClosedError } from '../src/index.js';
import { LARGE_CHUNK } from '../src/write-queue.js';
import { expectIOError } from './helpers/assert.js';
import { open, rejection, state, tick } from './helpers/scripted-transport.js';
import { openVectored, VectoredTransport } from './helpers/vectored-transport.js';

const as = (chunks: Uint8Array[]) => chunks.map((c) => Buffer.from(c).toString('latin1'));

describe('coalesced writes', () => {
  it('small writes in one turn: the first goes at once, the rest in one writevToFd when the turn ends', async () => {
    const { stream, t } = openVectored();
    const writes = [stream.write('a'), stream.write('bb'), stream.write('ccc')];
    expect(as(t.writeCalls)).toEqual(['a']);
    expect(t.writevCalls).toHaveLength(0);
    expect(stream.writableLength).toBe(5);
    // Handed over once this turn's microtasks ran: before any I/O or timer could run.
    const states = await Promise.all(writes.map(state));
    expect(states).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(t.writevCalls.map(as)).toEqual([['bb', 'ccc']]);
    expect(t.written().toString()).toBe('abbccc');
    expect(stream.writableLength).toBe(0);
  });

  it('writes separated by an await are not held: each goes at once', async () => {
    const { stream, t } = openVectored();
    for (const w of ['one', 'two', 'three']) {
      await stream.write(w);
      expect(as(t.writeCalls).at(-1)).toBe(w);
    }
    expect(as(t.writeCalls)).toEqual(['one', 'two', 'three']);
    expect(t.writevCalls).toHaveLength(0);
  });

  it('a held write goes before a write made after the turn, and before a macrotask of the same turn', async () => {
    const { stream, t } = openVectored();
    const order: string[] = [];
    setImmediate(() => order.push(`immediate saw ${t.written().toString()}`));
    void stream.write('a');
    void stream.write('b');
    await Promise.resolve();
    void stream.write('c');
    await tick();
    expect(t.written().toString()).toBe('abc');
    expect(order).toEqual(['immediate saw abc']);
  });

  it('array writes are held like single ones, and an array first in its turn goes at once', async () => {
    const { stream, t } = openVectored();
    void stream.write(['x', 'y']);
    void stream.write(['p', 'q']);
    void stream.write('r');
    expect(t.writevCalls.map(as)).toEqual([['x', 'y']]);
    await tick();
    expect(t.writevCalls.map(as)).toEqual([
      ['x', 'y'],
      ['p', 'q', 'r'],
    ]);
    expect(t.writeCalls).toHaveLength(0);
  });

  it('never holds more than 16 KiB: a write past that sends what is held first; a large write is never held', async () => {
    const { stream, t } = openVectored();
    const piece = Buffer.alloc(1000, 0x61);
    const large = Buffer.alloc(LARGE_CHUNK + 1, 0x62);
    for (let i = 0; i < 40; i++) void stream.write(piece);
    void stream.write(large);
    expect(Math.max(...t.writevCalls.map((c) => c.reduce((n, x) => n + x.length, 0)))).toBeLessThanOrEqual(LARGE_CHUNK);
    // 1 at once, then runs of 16 held writes sent as the next would pass the limit, then the large one.
    expect(t.writeCalls.map((c) => c.length)).toEqual([1000, LARGE_CHUNK + 1]);
    expect(t.writevCalls.map((c) => c.length)).toEqual([16, 16, 7]);
    await tick();
    expect(t.written()).toEqual(Buffer.concat([...Array(40).fill(piece), large]));
  });

  it('holding never sets needsDrain nor refuses a write that would have been handed over', async () => {
    const { stream, t } = openVectored({ writeHighWaterMark: 100, maxWriteBufferSize: 100 });
    const writes = ['x', 'y', 'z', 'w'].map((c) => {
      const p = stream.write(c.repeat(60));
      expect(stream.needsDrain).toBe(false);
      return p;
    });
    expect(await Promise.all(writes.map(state))).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(t.written().toString()).toBe('x'.repeat(60) + 'y'.repeat(60) + 'z'.repeat(60) + 'w'.repeat(60));
  });

  it('close() sends held writes before it releases the transport', async () => {
    const { stream, t } = openVectored();
    const writes = [stream.write('a'), stream.write('b'), stream.write('c')];
    stream.close();
    expect(t.log).toEqual(['write', 'writev', 'closeFd']);
    expect(await Promise.all(writes.map(state))).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('close(error) does not send them: they reject with StreamClosedError naming that error', async () => {
    const { stream, t } = openVectored();
    const cause = new Error('giving up');
    void stream.write('a');
    const held = stream.write('b');
    stream.close(cause);
    const error = await rejection(held);
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((error as StreamClosedError).realError).toBe(cause);
    expect(stream.error).toBe(cause);
    expect(t.written().toString()).toBe('a');
  });

  it('held writes nobody awaits, rejected by a close with an error, are no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { stream, t } = openVectored();
      for (const w of ['a', 'b', 'c']) void stream.write(w);
      t.fail(new Error('the peer is gone'));
      await tick();
      await tick();
      expect(stream.error?.message).toBe('the peer is gone');
      expect(t.written().toString()).toBe('a');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('end() half-closes after the held writes went, at the end of the turn', async () => {
    const { stream, t } = openVectored();
    void stream.write('a');
    void stream.write('b');
    void stream.write('c');
    const ended = stream.end();
    expect(t.log).toEqual(['write']);
    await ended;
    expect(t.log).toEqual(['write', 'writev', 'shutdown']);
    expect(t.written().toString()).toBe('abc');
  });

  it('detach() sends held writes first, so a stream idle but for them can be handed on', () => {
    const { stream, t } = openVectored();
    void stream.write('a');
    void stream.write('b');
    const handed = stream.detach();
    expect(handed.transport).toBe(t);
    expect(t.written().toString()).toBe('ab');
  });

  it('held writes the transport cannot take at once wait for writable(), in order', async () => {
    const { stream, t } = openVectored({}, { writeCapacity: 2 });
    const writes = [stream.write('ab'), stream.write('cd'), stream.write('ef')];
    await tick();
    expect(t.written().toString()).toBe('ab');
    expect(stream.writableLength).toBe(4);
    t.grant(Number.POSITIVE_INFINITY);
    expect(await Promise.all(writes.map(state))).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(t.written().toString()).toBe('abcdef');
  });

  it('a retaining transport: held writes resolve once released, like any other', async () => {
    const { stream, t } = openVectored({}, { retain: true });
    const first = stream.write('a');
    const held = stream.write('b');
    await tick();
    expect(t.written().toString()).toBe('ab');
    expect(await state(held)).toBe('pending');
    t.release();
    expect(await state(first)).toBe('fulfilled');
    expect(await state(held)).toBe('fulfilled');
  });

  it('coalesceWrites: false hands every write over at once', () => {
    const { stream, t } = openVectored({ coalesceWrites: false });
    for (const w of ['a', 'b', 'c']) void stream.write(w);
    expect(as(t.writeCalls)).toEqual(['a', 'b', 'c']);
    expect(t.writevCalls).toHaveLength(0);
  });

  it('a transport without writevToFd is never held for (nothing to gain)', () => {
    const { stream, t } = open();
    for (const w of ['a', 'b', 'c']) void stream.write(w);
    expect(as(t.writeCalls)).toEqual(['a', 'b', 'c']);
  });

  it('rejects a coalesceWrites that is not a boolean', () => {
    expect(() => new IOStream(new VectoredTransport(), { coalesceWrites: 'yes' as never })).toThrow(TypeError);
  });
});

type Step = { kind: 'write'; chunks: string[] } | { kind: 'turn' } | { kind: 'grant'; n: number };
const chunkArb = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 9000 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.array(chunkArb, { minLength: 1, maxLength: 3 }).map((chunks) => ({ kind: 'write' as const, chunks })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'turn' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 20000 }).map((n) => ({ kind: 'grant' as const, n })) },
);

it('property: however writes fall into turns, the transport gets every byte once, in order, and every write resolves in order', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(stepArb, { maxLength: 30 }),
      fc.boolean(),
      fc.boolean(),
      async (steps, retain, coalesce) => {
        const t = new VectoredTransport({ retain, releaseInWrite: retain });
        const stream = new IOStream(t, { coalesceWrites: coalesce });
        let expected = '';
        const resolved: number[] = [];
        const writes: Promise<void>[] = [];
        for (const step of steps) {
          if (step.kind === 'write') {
            if (step.chunks.join('') === '') continue;
            expected += step.chunks.join('');
            const i = writes.length;
            const p = step.chunks.length === 1 ? stream.write(step.chunks[0] as string) : stream.write(step.chunks);
            writes.push(p);
            void p.then(() => void resolved.push(i));
          } else if (step.kind === 'turn') await Promise.resolve();
          else t.grant(step.n);
        }
        t.grant(Number.POSITIVE_INFINITY);
        await tick();
        expect(t.written().toString('latin1')).toBe(expected);
        expect(await Promise.all(writes.map(state))).toEqual(writes.map(() => 'fulfilled'));
        expect(resolved).toEqual(writes.map((_, i) => i));
      },
    ),
    { numRuns: 200 },
  );
});
