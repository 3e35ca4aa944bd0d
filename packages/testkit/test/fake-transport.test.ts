/** The fake transport's knobs, tested at the FdTransport level (and through IOStream where that is the point). */
import { EOF, StreamClosedError } from '@iostream/core';
import { describe, expect, it, vi } from 'vitest';
import { chunkSizer, createStreamPair, createTransportPair, type FakeTransport, seededRandom } from '../src/index.js';

interface Recorded {
  readable: number;
  writable: number;
  errors: Error[];
}

function record(t: FakeTransport): Recorded {
  const r: Recorded = { readable: 0, writable: 0, errors: [] };
  t.watch({
    readable: () => r.readable++,
    writable: () => r.writable++,
    error: (e) => r.errors.push(e),
  });
  return r;
}

/** Every chunk `t` has ready now, until it would block or reports EOF. */
function drain(t: FakeTransport): { chunks: Buffer[]; eof: boolean } {
  const chunks: Buffer[] = [];
  for (;;) {
    const c = t.readFromFd();
    if (c === null) return { chunks, eof: false };
    if (c === EOF) return { chunks, eof: true };
    chunks.push(Buffer.from(c));
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const microtask = () => Promise.resolve();

describe('chunking', () => {
  it("'whole' returns each write as one chunk", () => {
    const [a, b] = createTransportPair({ delivery: 'sync' });
    a.writeToFd(Buffer.from('hello'));
    a.writeToFd(Buffer.from('world!'));
    expect(drain(b).chunks.map(String)).toEqual(['hello', 'world!']);
  });

  it('a number cuts chunks of exactly that size, the last of a write shorter', () => {
    const [a, b] = createTransportPair({ delivery: 'sync', chunking: 4 });
    a.writeToFd(Buffer.from('abcdefghij'));
    a.writeToFd(Buffer.from('klm'));
    expect(drain(b).chunks.map(String)).toEqual(['abcd', 'efgh', 'ij', 'klm']);
  });

  it('1 delivers one byte at a time', () => {
    const [a, b] = createTransportPair({ delivery: 'sync', chunking: 1 });
    a.writeToFd(Buffer.from('xyz'));
    expect(drain(b).chunks.map(String)).toEqual(['x', 'y', 'z']);
  });

  it('random chunking is reproducible from its seed and stays within min..max', () => {
    const sizes = (seed: number) => {
      const [a, b] = createTransportPair({ delivery: 'sync', chunking: { seed, min: 3, max: 9 } });
      a.writeToFd(Buffer.alloc(500, 1));
      const chunks = drain(b).chunks;
      expect(Buffer.concat(chunks).length).toBe(500);
      return chunks.map((c) => c.length);
    };
    const first = sizes(11);
    expect(sizes(11)).toEqual(first);
    expect(sizes(12)).not.toEqual(first);
    // All but the last chunk are within bounds (the last is what was left).
    for (const n of first.slice(0, -1)) {
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(9);
    }
    expect(new Set(first.slice(0, -1)).size).toBeGreaterThan(1);
  });

  it('chunkSizer rejects sizes that make no sense', () => {
    expect(() => chunkSizer(0)).toThrow(RangeError);
    expect(() => chunkSizer(1.5)).toThrow(RangeError);
    expect(() => chunkSizer({ seed: 1, min: 5, max: 4 })).toThrow(RangeError);
    expect(() => chunkSizer({ seed: 1, min: 0 })).toThrow(RangeError);
    expect(chunkSizer('whole')(123)).toBe(123);
    expect(chunkSizer(10)(3)).toBe(3);
  });

  it('seededRandom is deterministic and within [0, 1)', () => {
    const r1 = seededRandom(5);
    const r2 = seededRandom(5);
    const xs = Array.from({ length: 100 }, () => r1());
    expect(Array.from({ length: 100 }, () => r2())).toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe('delivery', () => {
  it("'sync': readable inside the writer's writeToFd", () => {
    const [a, b] = createTransportPair({ delivery: 'sync' });
    const events = record(b);
    a.writeToFd(Buffer.from('now'));
    expect(events.readable).toBe(1);
    expect(b.readFromFd()?.toString()).toBe('now');
  });

  it("'microtask': not readable synchronously, readable after a microtask", async () => {
    const [a, b] = createTransportPair({ delivery: 'microtask' });
    const events = record(b);
    a.writeToFd(Buffer.from('soon'));
    expect(b.readFromFd()).toBeNull();
    expect(events.readable).toBe(0);
    await microtask();
    expect(events.readable).toBe(1);
    expect(b.readFromFd()?.toString()).toBe('soon');
  });

  it("'macrotask': not readable after microtasks, readable after setImmediate", async () => {
    const [a, b] = createTransportPair({ delivery: 'macrotask' });
    const events = record(b);
    a.writeToFd(Buffer.from('later'));
    for (let i = 0; i < 10; i++) await microtask();
    expect(b.readFromFd()).toBeNull();
    expect(events.readable).toBe(0);
    await turn();
    expect(events.readable).toBe(1);
    expect(b.readFromFd()?.toString()).toBe('later');
  });

  it('several writes before a deferred delivery arrive together, in order, with one event', async () => {
    const [a, b] = createTransportPair({ delivery: 'macrotask' });
    const events = record(b);
    a.writeToFd(Buffer.from('1'));
    a.writeToFd(Buffer.from('2'));
    a.writeToFd(Buffer.from('3'));
    await turn();
    expect(events.readable).toBe(1);
    expect(drain(b).chunks.map(String)).toEqual(['1', '2', '3']);
  });

  it('{ delayMs }: delivered by a timer, not before it fires', () => {
    // Fake timers: with real ones a loaded machine can let 5 ms pass before the first check.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const [a, b] = createTransportPair({ delivery: { delayMs: 5 } });
      const events = record(b);
      a.writeToFd(Buffer.from('timed'));
      vi.advanceTimersByTime(4);
      expect(events.readable).toBe(0);
      expect(b.readFromFd()).toBeNull();
      vi.advanceTimersByTime(1);
      expect(events.readable).toBe(1);
      expect(b.readFromFd()?.toString()).toBe('timed');
    } finally {
      vi.useRealTimers();
    }
  });

  it("'manual': nothing arrives until the test calls deliver()", async () => {
    const [a, b] = createTransportPair({ delivery: 'manual' });
    const events = record(b);
    a.writeToFd(Buffer.from('step 1'));
    await turn();
    expect(b.readFromFd()).toBeNull();
    expect(events.readable).toBe(0);
    expect(b.unread).toBe(6);
    b.deliver();
    expect(events.readable).toBe(1);
    a.writeToFd(Buffer.from('step 2'));
    expect(b.readFromFd()?.toString()).toBe('step 1');
    expect(b.readFromFd()).toBeNull();
    // An end is held back too.
    a.shutdownWrite();
    await turn();
    expect(b.readFromFd()).toBeNull();
    b.deliver();
    expect(b.readFromFd()?.toString()).toBe('step 2');
    expect(b.readFromFd()).toBe(EOF);
  });

  it("'manual' steps an IOStream read one delivery at a time", async () => {
    const { a, b, tb } = createStreamPair({ delivery: 'manual' });
    const line = b.readUntil('\n');
    await a.write('hel');
    await a.write('lo\n');
    await turn();
    expect(b.readableLength).toBe(0);
    tb.deliver();
    expect((await line).toString()).toBe('hello\n');
    a.close();
    b.close();
  });

  it('written bytes are copied: reusing the source buffer does not change what arrives', () => {
    const [a, b] = createTransportPair({ delivery: 'manual' });
    const source = Buffer.from('original');
    a.writeToFd(source);
    source.fill(0);
    b.deliver();
    expect(b.readFromFd()?.toString()).toBe('original');
  });

  it('knobs apply per end: a pair can mix modes', async () => {
    const [a, b] = createTransportPair({ delivery: 'macrotask', b: { delivery: 'sync', chunking: 2 } });
    a.writeToFd(Buffer.from('abcd'));
    expect(drain(b).chunks.map(String)).toEqual(['ab', 'cd']);
    b.writeToFd(Buffer.from('efgh'));
    expect(a.readFromFd()).toBeNull();
    await turn();
    expect(a.readFromFd()?.toString()).toBe('efgh');
  });
});

describe('writeCapacity', () => {
  it('accepts up to the capacity, then would block until the peer reads', async () => {
    const [a, b] = createTransportPair({ delivery: 'sync', writeCapacity: 10 });
    const events = record(a);
    record(b);
    expect(a.writeToFd(Buffer.alloc(6, 1))).toBe(6);
    expect(a.writeToFd(Buffer.alloc(6, 2))).toBe(4);
    expect(a.writeToFd(Buffer.alloc(6, 3))).toBe(0);
    expect(b.unread).toBe(10);
    const first = b.readFromFd();
    expect(first).not.toBeNull();
    // writable() comes later, never from inside the peer's readFromFd.
    expect(events.writable).toBe(0);
    await turn();
    expect(events.writable).toBe(1);
    expect(a.writeToFd(Buffer.alloc(10, 4))).toBe(6);
  });

  it('a partial write also earns a writable() event', async () => {
    const [a, b] = createTransportPair({ delivery: 'sync', writeCapacity: 4 });
    const events = record(a);
    expect(a.writeToFd(Buffer.from('abcdef'))).toBe(4);
    drain(b);
    await turn();
    expect(events.writable).toBe(1);
  });

  it('an IOStream write larger than the capacity completes as the peer reads', async () => {
    const { a, b, ta } = createStreamPair({ writeCapacity: 100 }, { readChunkSize: 50 });
    const data = Buffer.alloc(10_000, 7);
    let done = false;
    const write = a.write(data).then(() => (done = true));
    await turn();
    expect(done).toBe(false);
    expect(a.writableLength).toBeGreaterThan(0);
    expect((await b.readBytes(10_000)).equals(data)).toBe(true);
    await write;
    expect(ta.bytesWritten).toBe(10_000);
    a.close();
    b.close();
  });

  it('rejects a capacity below 1', () => {
    expect(() => createTransportPair({ writeCapacity: 0 })).toThrow(RangeError);
  });
});

describe('faults', () => {
  it('readFault eof: EOF after exactly N bytes, even though more were written', () => {
    const [a, b] = createTransportPair({ delivery: 'sync', b: { readFault: { after: 5, kind: 'eof' } } });
    a.writeToFd(Buffer.from('abcdefgh'));
    const { chunks, eof } = drain(b);
    expect(Buffer.concat(chunks).toString()).toBe('abcde');
    expect(eof).toBe(true);
    expect(b.readFromFd()).toBe(EOF);
  });

  it('readFault error: reads stop after N bytes and the transport reports ECONNRESET', async () => {
    const [a, b] = createTransportPair({ delivery: 'sync', b: { readFault: { after: 3, kind: 'error' } } });
    const events = record(b);
    a.writeToFd(Buffer.from('abcdef'));
    const { chunks, eof } = drain(b);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
    expect(eof).toBe(false);
    expect(b.getFdError()).toMatchObject({ code: 'ECONNRESET' });
    expect(events.errors).toHaveLength(0);
    await turn();
    expect(events.errors).toHaveLength(1);
    expect(events.errors[0]).toMatchObject({ code: 'ECONNRESET', name: 'FakeTransportError' });
  });

  it('readFault error through IOStream: the pending read rejects with the reset as realError', async () => {
    const { a, b } = createStreamPair({ b: { readFault: { after: 4, kind: 'error' } } });
    await a.write('abcdefgh');
    expect((await b.readBytes(4)).toString()).toBe('abcd');
    const error = await b.readBytes(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).realError).toMatchObject({ code: 'ECONNRESET' });
    expect(b.closed()).toBe(true);
    expect(b.error).toMatchObject({ code: 'ECONNRESET' });
    a.close();
  });

  it('writeFault error: accepts N bytes, then writeToFd throws EPIPE', () => {
    const [a, b] = createTransportPair({ delivery: 'sync', a: { writeFault: { after: 5, kind: 'error' } } });
    expect(a.writeToFd(Buffer.from('abc'))).toBe(3);
    expect(a.writeToFd(Buffer.from('defg'))).toBe(2);
    expect(() => a.writeToFd(Buffer.from('x'))).toThrow(expect.objectContaining({ code: 'EPIPE' }));
    expect(Buffer.concat(drain(b).chunks).toString()).toBe('abcde');
  });

  it('writeFault eof: the peer sees N bytes then EOF; the writer gets EPIPE', () => {
    const [a, b] = createTransportPair({ delivery: 'sync', a: { writeFault: { after: 2, kind: 'eof' } } });
    expect(a.writeToFd(Buffer.from('abcd'))).toBe(2);
    expect(() => a.writeToFd(Buffer.from('cd'))).toThrow(expect.objectContaining({ code: 'EPIPE' }));
    const { chunks, eof } = drain(b);
    expect(Buffer.concat(chunks).toString()).toBe('ab');
    expect(eof).toBe(true);
  });

  it('writeFault error through IOStream: the write rejects and the stream closes with EPIPE', async () => {
    const { a, b } = createStreamPair({ a: { writeFault: { after: 3, kind: 'error' } } });
    await a.write('abc');
    const error = await a.write('d').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamClosedError);
    expect(a.closed()).toBe(true);
    expect(a.error).toMatchObject({ code: 'EPIPE' });
    expect((await b.readUntilClose()).toString()).toBe('abc');
  });

  it('injectError reports the error asynchronously and through getFdError', async () => {
    const { b, tb } = createStreamPair();
    const pending = b.readBytes(1).catch((e: unknown) => e);
    tb.injectError();
    expect(b.closed()).toBe(false);
    const error = await pending;
    expect(error).toBeInstanceOf(StreamClosedError);
    expect(tb.getFdError()).toMatchObject({ code: 'ECONNRESET' });
    expect(b.error).toBe(tb.getFdError());
  });
});

describe('closeFd and shutdownWrite', () => {
  it('closeFd: idempotent; the peer reads what was sent, then EOF', async () => {
    const [a, b] = createTransportPair({ delivery: 'macrotask' });
    const events = record(b);
    a.writeToFd(Buffer.from('bye'));
    a.closeFd();
    a.closeFd();
    expect(a.isClosed).toBe(true);
    await turn();
    expect(events.readable).toBeGreaterThan(0);
    const { chunks, eof } = drain(b);
    expect(Buffer.concat(chunks).toString()).toBe('bye');
    expect(eof).toBe(true);
    expect(b.readFromFd()).toBe(EOF);
  });

  it('closeFd: the peer can no longer write, and a blocked peer writer is woken to find out', async () => {
    const [a, b] = createTransportPair({ delivery: 'sync', writeCapacity: 4 });
    const bEvents = record(b);
    expect(b.writeToFd(Buffer.from('abcdef'))).toBe(4);
    a.closeFd();
    await turn();
    expect(bEvents.writable).toBe(1);
    expect(() => b.writeToFd(Buffer.from('x'))).toThrow(expect.objectContaining({ code: 'EPIPE' }));
  });

  it('closeFd: no events are delivered afterwards', async () => {
    const [a, b] = createTransportPair({ delivery: 'macrotask' });
    const events = record(a);
    b.writeToFd(Buffer.from('unread'));
    a.closeFd();
    a.injectError();
    await turn();
    await turn();
    expect(events).toEqual({ readable: 0, writable: 0, errors: [] });
  });

  it('shutdownWrite: the peer sees EOF after the data, this end still reads, later writes fail', async () => {
    const [a, b] = createTransportPair({ delivery: 'macrotask' });
    a.writeToFd(Buffer.from('last'));
    a.shutdownWrite();
    a.shutdownWrite();
    expect(a.writeShut).toBe(true);
    expect(() => a.writeToFd(Buffer.from('x'))).toThrow(expect.objectContaining({ code: 'EPIPE' }));
    b.writeToFd(Buffer.from('reply'));
    await turn();
    const { chunks, eof } = drain(b);
    expect(Buffer.concat(chunks).toString()).toBe('last');
    expect(eof).toBe(true);
    expect(a.readFromFd()?.toString()).toBe('reply');
    expect(a.isClosed).toBe(false);
  });
});

describe('inspection', () => {
  it('reports fileno, setNoDelay calls, read interest and byte counts', async () => {
    const { a, b, ta, tb } = createStreamPair({ a: { fileno: 42 } });
    expect(a.fileno()).toBe(42);
    expect(b.fileno()).toBe(-1);
    a.setNoDelay(true);
    a.setNoDelay(false);
    expect(ta.noDelayCalls).toEqual([true, false]);
    // An idle stream reads ahead while its buffer is short of a chunk.
    expect(tb.readInterest).toBe(true);
    await a.write('12345');
    expect((await b.readBytes(5)).toString()).toBe('12345');
    expect(ta.bytesWritten).toBe(5);
    expect(tb.bytesRead).toBe(5);
    a.close();
    b.close();
    expect(ta.isClosed).toBe(true);
    expect(tb.isClosed).toBe(true);
  });

  it('createStreamPair takes per-end stream options', async () => {
    const { a, b } = createStreamPair({}, { a: { maxBufferSize: 1000 }, b: { maxBufferSize: 10 } });
    const atA = a.readBytes(500);
    await b.write(Buffer.alloc(500, 1));
    expect((await atA).length).toBe(500);
    const error = await b.readBytes(11).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_STREAM_BUFFER_FULL' });
    a.close();
  });
});
