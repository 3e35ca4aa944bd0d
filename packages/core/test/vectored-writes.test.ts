// write([a, b, c]) reaches a transport with writevToFd as one call carrying every chunk,
// queued chunks flush as runs of at most MAX_IOV per call, a transport without writevToFd
// gets writeToFd per chunk, and partial acceptance anywhere in a run queues the rest.
// Counted on a scripted transport: no timing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IOStream, StreamClosedError } from '../src/index.js';
import { LARGE_CHUNK, MAX_IOV } from '../src/write-queue.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection, ScriptedTransport, state } from './helpers/scripted-transport.js';
import { openVectored, VectoredTransport } from './helpers/vectored-transport.js';

const as = (chunks: Uint8Array[]) => chunks.map((c) => Buffer.from(c).toString('latin1'));

describe('vectored writes', () => {
  it('write([a, b, c]) calls writevToFd once with the three chunks, and writeToFd never', async () => {
    const { stream, t } = openVectored();
    const done = stream.write(['head', bytes('er'), 'body']);
    expect(t.writevCalls.map(as)).toEqual([['head', 'er', 'body']]);
    expect(t.writeCalls).toHaveLength(0);
    expect(await state(done)).toBe('fulfilled');
    expect(t.written().toString()).toBe('headerbody');
  });

  it('a one-element array and a plain write go through writeToFd', () => {
    // Not coalesced, so that both reach the transport in this turn (see coalesced-writes.test.ts).
    const { stream, t } = openVectored({ coalesceWrites: false });
    void stream.write(['one']);
    void stream.write('two');
    expect(t.writevCalls).toHaveLength(0);
    expect(as(t.writeCalls)).toEqual(['one', 'two']);
  });

  it('without writevToFd, core calls writeToFd once per chunk', async () => {
    const { stream, t } = open();
    const done = stream.write(['a', 'bb', 'ccc']);
    expect(as(t.writeCalls)).toEqual(['a', 'bb', 'ccc']);
    expect(await state(done)).toBe('fulfilled');
  });

  it('empty chunks are left out of the call', () => {
    const { stream, t } = openVectored();
    void stream.write(['a', '', 'b', new Uint8Array(0)]);
    expect(t.writevCalls.map(as)).toEqual([['a', 'b']]);
  });

  it('a writev taken in part (inside chunk 2) queues the rest, which the next writev sends', async () => {
    const { stream, t } = openVectored({}, { writeCapacity: 6 });
    const done = stream.write(['abcd', 'efgh', 'ijkl']);
    expect(t.written().toString()).toBe('abcdef');
    expect(stream.writableLength).toBe(6);
    expect(stream.writing()).toBe(true);
    expect(await state(done)).toBe('pending');
    t.grant(Number.POSITIVE_INFINITY);
    expect(t.writevCalls.map(as)).toEqual([
      ['abcd', 'efgh', 'ijkl'],
      ['gh', 'ijkl'],
    ]);
    expect(t.written().toString()).toBe('abcdefghijkl');
    expect(await state(done)).toBe('fulfilled');
  });

  it('a writev taken up to a chunk boundary queues the later chunks whole', async () => {
    const { stream, t } = openVectored({}, { writeCapacity: 4 });
    const done = stream.write(['abcd', 'efgh', 'ijkl']);
    expect(stream.writableLength).toBe(8);
    t.grant(Number.POSITIVE_INFINITY);
    expect(t.writevCalls.map(as)).toEqual([
      ['abcd', 'efgh', 'ijkl'],
      ['efgh', 'ijkl'],
    ]);
    expect(await state(done)).toBe('fulfilled');
  });

  it('a transport reporting more than it was offered, or less than nothing, is not believed', async () => {
    const { stream, t } = openVectored({}, { retain: true });
    t.writevToFd = () => 100;
    const over = stream.write(['ab', 'cd']);
    expect(stream.writableLength).toBe(0);
    // Four bytes were handed over, so releasing four completes the write.
    t.release(4);
    expect(await state(over)).toBe('fulfilled');
    let calls = 0;
    t.writevToFd = (chunks) => (calls++ === 0 ? -5 : chunks.reduce((n, c) => n + c.length, 0));
    const under = stream.write(['ef', 'gh']);
    // Nothing counted as taken: all four bytes wait, and go on the next writable event.
    expect(stream.writableLength).toBe(4);
    expect(await state(under)).toBe('pending');
    t.grant(Number.POSITIVE_INFINITY);
    expect(calls).toBe(2);
    t.release(4);
    expect(await state(under)).toBe('fulfilled');
    expect(stream.closed()).toBe(false);
  });

  it('queued writes, arrays and single chunks alike, flush as one writev when the transport is writable again', async () => {
    const { stream, t } = openVectored({}, { writeCapacity: 0 });
    const a = stream.write(['1', '22']);
    const b = stream.write('333');
    const c = stream.write(['4444', '55555']);
    t.grant(Number.POSITIVE_INFINITY);
    // The first call (capacity 0) took nothing; the whole queue then went over at once.
    expect(t.writevCalls.map(as)).toEqual([
      ['1', '22'],
      ['1', '22', '333', '4444', '55555'],
    ]);
    expect(t.writeCalls).toHaveLength(0);
    expect(await Promise.all([state(a), state(b), state(c)])).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  });

  it(`a long queue goes over in runs of at most ${MAX_IOV} chunks`, () => {
    const { stream, t } = openVectored({}, { writeCapacity: 0 });
    const chunks = Array.from({ length: 2 * MAX_IOV + 100 }, (_, i) => `${i % 10}`);
    void stream.write(chunks);
    t.grant(Number.POSITIVE_INFINITY);
    expect(t.writevCalls.slice(1).map((c) => c.length)).toEqual([MAX_IOV, MAX_IOV, 100]);
    expect(t.written().toString()).toBe(chunks.join(''));
  });

  it(`an array of more than MAX_IOV chunks on an idle stream goes in runs of at most MAX_IOV`, async () => {
    const { stream, t } = openVectored();
    const chunks = Array.from({ length: 2 * MAX_IOV + 100 }, (_, i) => `${i % 10}`);
    const done = stream.write(chunks);
    expect(t.writevCalls.map((c) => c.length)).toEqual([MAX_IOV, MAX_IOV, 100]);
    expect(t.written().toString()).toBe(chunks.join(''));
    expect(await state(done)).toBe('fulfilled');
  });

  it('an array of large chunks written on an idle stream still goes as one writevToFd call', () => {
    const { stream, t } = openVectored();
    const big = [Buffer.alloc(LARGE_CHUNK, 1), Buffer.alloc(4 * LARGE_CHUNK, 2)];
    void stream.write(big);
    expect(t.writevCalls.map((c) => c.length)).toEqual([2]);
    expect(t.writeCalls).toHaveLength(0);
  });

  it('queued large chunks flush one writeToFd each; a run with a smaller chunk keeps the writev', async () => {
    const { stream, t } = openVectored({}, { writeCapacity: 0 });
    const a = Buffer.alloc(LARGE_CHUNK, 1);
    const b = Buffer.alloc(2 * LARGE_CHUNK, 2);
    const c = Buffer.alloc(LARGE_CHUNK - 1, 3);
    const writes = [stream.write(a), stream.write(b)];
    t.grant(Number.POSITIVE_INFINITY);
    // The first call is write(a)'s own attempt, which took nothing; then every queued chunk
    // is large: one call each, in order, nothing vectored.
    expect(t.writeCalls.map((w) => w.length)).toEqual([a.length, a.length, b.length]);
    expect(t.writevCalls).toHaveLength(0);
    t.writeCapacity = 0;
    writes.push(stream.write(a), stream.write(c));
    t.grant(Number.POSITIVE_INFINITY);
    // One chunk under LARGE_CHUNK: the run goes as one writev.
    expect(t.writevCalls.map((w) => w.map((x) => x.length))).toEqual([[a.length, c.length]]);
    expect(t.written().equals(Buffer.concat([a, b, a, c]))).toBe(true);
    expect(await Promise.all(writes.map(state))).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('a retaining transport that releases inside writevToFd resolves the write at once', async () => {
    const { stream, t } = openVectored({}, { retain: true, releaseInWrite: true });
    let done = false;
    void stream.write(['ab', 'cd']).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(true);
    expect(t.unreleased).toBe(0);
  });

  it('a retaining transport resolves a vectored write only once all of it is released', async () => {
    const { stream, t } = openVectored({}, { retain: true });
    const done = stream.write(['ab', 'cd']);
    expect(stream.writableLength).toBe(0);
    t.release(3);
    expect(await state(done)).toBe('pending');
    t.release(1);
    expect(await state(done)).toBe('fulfilled');
  });

  it('writevToFd throwing closes the stream with that error and rejects the write', async () => {
    const { stream, t } = openVectored();
    const boom = new Error('boom');
    t.writevToFd = () => {
      throw boom;
    };
    const error = await rejection(stream.write(['a', 'b']));
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect(stream.error).toBe(boom);
  });
});

type Step = { kind: 'write'; chunks: string[] } | { kind: 'grant'; n: number } | { kind: 'release'; n: number };

const chunkArb = fc.string({ minLength: 0, maxLength: 6 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(chunkArb, { minLength: 1, maxLength: 5 }).map((chunks) => ({ kind: 'write' as const, chunks })),
  },
  { weight: 1, arbitrary: chunkArb.map((c) => ({ kind: 'write' as const, chunks: [c, '#'] })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 20 }).map((n) => ({ kind: 'grant' as const, n })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 20 }).map((n) => ({ kind: 'release' as const, n })) },
);

it('property: whatever the chunking and partial acceptance, the transport gets the bytes in order and every non-empty write resolves once, in order', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(stepArb, { maxLength: 40 }),
      fc.boolean(),
      fc.boolean(),
      fc.integer({ min: 0, max: 10 }),
      async (steps, vectored, retain, capacity) => {
        const script = { writeCapacity: capacity, retain };
        const t = vectored ? new VectoredTransport(script) : new ScriptedTransport(script);
        const stream = new IOStream(t);
        let expected = '';
        const resolved: number[] = [];
        const writes: Promise<void>[] = [];
        for (const step of steps) {
          if (step.kind === 'write') {
            const i = writes.length;
            // An empty write resolves at once (DESIGN), outside the FIFO order checked here.
            if (step.chunks.join('') === '') continue;
            expected += step.chunks.join('');
            const p = stream.write(step.chunks.map((c) => Buffer.from(c, 'latin1')));
            writes.push(p);
            void p.then(() => void resolved.push(i));
          } else if (step.kind === 'grant') t.grant(step.n);
          else if (retain) t.release(Math.min(step.n, t.unreleased));
          // Let resolutions run between steps, as a program's awaits would.
          await Promise.resolve();
        }
        t.grant(Number.POSITIVE_INFINITY);
        if (retain) t.release();
        await Promise.all(writes);
        expect(t.written().toString('latin1')).toBe(expected);
        expect(resolved).toEqual(writes.map((_, i) => i));
        stream.close();
      },
    ),
    { numRuns: 300 },
  );
});
