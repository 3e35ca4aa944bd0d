import { describe, expect, it } from 'vitest';
import { AbortError, type IOStream } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection, tick } from './helpers/scripted-transport.js';

/** name, start the read, and whether 'abc' can be buffered before it without satisfying or consuming it. */
const reads: [string, (s: IOStream, signal: AbortSignal) => Promise<unknown>, boolean][] = [
  ['readBytes', (s, signal) => s.readBytes(100, { signal }), true],
  ['readBytes onChunk', (s, signal) => s.readBytes(100, { signal, onChunk: () => {} }), false],
  ['readUntil', (s, signal) => s.readUntil('\n', { signal }), true],
  ['readUntilRegex', (s, signal) => s.readUntilRegex(/\n/, { signal }), true],
  ['readUntilClose', (s, signal) => s.readUntilClose({ signal }), true],
  ['readUntilClose onChunk', (s, signal) => s.readUntilClose({ signal, onChunk: () => {} }), false],
  ['readInto', (s, signal) => s.readInto(new Uint8Array(100), { signal }), true],
  ['readInto partial', (s, signal) => s.readInto(new Uint8Array(100), { signal, partial: true }), false],
];

function expectAbort(error: unknown, reason: unknown) {
  expectIOError(error, AbortError, 'ABORT_ERR');
  expect((error as Error).name).toBe('AbortError');
  expect((error as Error).cause).toBe(reason);
}

describe.each(reads)('abort: %s', (_name, read, preload) => {
  it('rejects with AbortError, keeps every buffered byte, and leaves the stream open', async () => {
    const { stream, t } = open();
    const ac = new AbortController();
    if (preload) t.push('abc');
    const p = read(stream, ac.signal);
    if (preload) t.push('+');
    expect(stream.reading()).toBe(true);
    const reason = new Error('user gave up');
    ac.abort(reason);
    expectAbort(await rejection(p), reason);
    expect(stream.reading()).toBe(false);
    expect(stream.closed()).toBe(false);
    expect(stream.error).toBeNull();
    t.push('def\n');
    expect(await stream.readUntil('\n')).toEqual(bytes(preload ? 'abc+def\n' : 'def\n'));
  });

  it('with an already aborted signal, rejects at once without starting a read', async () => {
    const { stream, t } = open();
    t.push('xyz');
    const ac = new AbortController();
    ac.abort();
    const p = read(stream, ac.signal);
    expect(stream.reading()).toBe(false);
    expectAbort(await rejection(p), ac.signal.reason);
    expect(stream.readableLength).toBe(3);
  });
});

describe('abort', () => {
  it('readInto gives back the bytes it had already copied, in order', async () => {
    const { stream, t } = open();
    const ac = new AbortController();
    const target = new Uint8Array(10);
    const p = stream.readInto(target, { signal: ac.signal });
    t.push('0123');
    t.push('45');
    ac.abort();
    await rejection(p);
    t.push('6789AB');
    expect(await stream.readBytes(12)).toEqual(bytes('0123456789AB'));
  });

  it('readInto gives back bytes copied from several large chunks (separate buffer segments)', async () => {
    const { stream, t } = open();
    const a = Buffer.alloc(1500, 0x61);
    const b = Buffer.alloc(1500, 0x62);
    const ac = new AbortController();
    const p = stream.readInto(new Uint8Array(5000), { signal: ac.signal });
    t.push(a);
    t.push(b);
    ac.abort();
    await rejection(p);
    expect(stream.readableLength).toBe(3000);
    t.push('!');
    const all = await stream.readBytes(3001);
    expect(all.equals(Buffer.concat([a, b, bytes('!')]))).toBe(true);
  });

  it('readBytes(0) with an already aborted signal rejects too, like every other read', async () => {
    const { stream } = open();
    const ac = new AbortController();
    ac.abort();
    expectAbort(await rejection(stream.readBytes(0, { signal: ac.signal })), ac.signal.reason);
    expect(await stream.readBytes(0, { signal: new AbortController().signal })).toHaveLength(0);
  });

  it('aborting after the read settled does nothing', async () => {
    const { stream, t } = open();
    const ac = new AbortController();
    const p = stream.readBytes(2, { signal: ac.signal });
    t.push('abcd');
    expect(await p).toEqual(bytes('ab'));
    ac.abort();
    expect(stream.readableLength).toBe(2);
    expect(await stream.readBytes(2, { signal: ac.signal }).catch((e: unknown) => e)).toBeInstanceOf(AbortError);
    expect(stream.readableLength).toBe(2);
  });

  it('a read satisfied from the buffer with a live signal resolves normally and detaches', async () => {
    const { stream, t } = open();
    t.push('hi\nthere');
    const ac = new AbortController();
    expect(await stream.readUntil('\n', { signal: ac.signal })).toEqual(bytes('hi\n'));
    expect(await stream.readUntilRegex(/e/, { signal: ac.signal })).toEqual(bytes('the'));
    ac.abort();
    await tick();
    expect(stream.closed()).toBe(false);
    expect(await stream.readBytes(2)).toEqual(bytes('re'));
  });
});
