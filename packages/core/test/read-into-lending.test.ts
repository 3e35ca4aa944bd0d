/**
 * `readInto` with a transport that can read straight into the caller's buffer
 * (`FdTransport.lendReadTarget`): what core lends, when it ends the loan, and that
 * bytes read into the target are counted, not copied.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError, IOStream, StreamClosedError } from '../src/index.js';
import { ReadBuffer } from '../src/read-buffer.js';
import { expectIOError } from './helpers/assert.js';
import { LendingTransport } from './helpers/lending-transport.js';
import { bytes, rejection, state } from './helpers/scripted-transport.js';

function open(): { stream: IOStream; t: LendingTransport } {
  const t = new LendingTransport();
  return { stream: new IOStream(t), t };
}

/** Whether `view` is exactly `target`'s memory from `from` to its end. */
function isRestOf(view: Uint8Array | null | undefined, target: Uint8Array, from: number): boolean {
  return (
    view != null &&
    view.buffer === target.buffer &&
    view.byteOffset === target.byteOffset + from &&
    view.length === target.length - from
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readInto lends the target to a transport that can read into it', () => {
  it('with nothing buffered, lends the whole target and counts bytes read into it without copying', async () => {
    const { stream, t } = open();
    const copyOut = vi.spyOn(ReadBuffer.prototype, 'copyOut');
    const target = new Uint8Array(8);
    const p = stream.readInto(target);
    expect(t.loans).toHaveLength(1);
    // Nothing filled yet: the target itself, not a view of it.
    expect(t.loans[0]).toBe(target);
    // The transport writes these bytes into the lent memory itself; core only counts them.
    t.send('MARKER!!');
    expect(await p).toBe(8);
    expect(Buffer.from(target)).toEqual(bytes('MARKER!!'));
    expect(copyOut).not.toHaveBeenCalled();
    expect(stream.readableLength).toBe(0);
    // The read settled: the loan ended.
    expect(t.loans.at(-1)).toBeNull();
  });

  it('counts a target the transport hands back as itself (filled by one read) in place, without copying', async () => {
    const { stream, t } = open();
    t.handsBackTarget = true;
    const copyOut = vi.spyOn(ReadBuffer.prototype, 'copyOut');
    const target = new Uint8Array(8);
    const p = stream.readInto(target);
    t.send('MARKER!!');
    expect(t.inbound).toEqual([]);
    expect(await p).toBe(8);
    expect(Buffer.from(target)).toEqual(bytes('MARKER!!'));
    expect(copyOut).not.toHaveBeenCalled();
    expect(stream.readableLength).toBe(0);
    // Twice in a row with the same target: the second read is counted in place too.
    const again = stream.readInto(target);
    t.send('SECOND!!');
    expect(await again).toBe(8);
    expect(Buffer.from(target)).toEqual(bytes('SECOND!!'));
    expect(copyOut).not.toHaveBeenCalled();
  });

  it('fills the target in place from several reads (not partial), the transport going on past each', async () => {
    const { stream, t } = open();
    const copyOut = vi.spyOn(ReadBuffer.prototype, 'copyOut');
    const target = new Uint8Array(9);
    const p = stream.readInto(target);
    t.send('abc');
    expect(await state(p)).toBe('pending');
    t.send('def', 'ghi');
    expect(await p).toBe(9);
    expect(Buffer.from(target)).toEqual(bytes('abcdefghi'));
    expect(copyOut).not.toHaveBeenCalled();
    // After each arrival that left it short, core lends the rest again (the same memory the transport went on into).
    expect(t.loans).toHaveLength(3);
    expect(isRestOf(t.loans[1], target, 3)).toBe(true);
    expect(t.loans[2]).toBeNull();
  });

  it('with partial, settles on the first bytes read into the target and ends the loan', async () => {
    const { stream, t } = open();
    const target = new Uint8Array(10).fill(0xee);
    const p = stream.readInto(target, { partial: true });
    expect(isRestOf(t.loans[0], target, 0)).toBe(true);
    t.send('hey');
    expect(await p).toBe(3);
    expect([...target]).toEqual([...bytes('hey'), 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee]);
    expect(t.loans).toEqual([t.loans[0], null]);
  });

  it('copies buffered bytes first, then lends the unfilled rest', async () => {
    const { stream, t } = open();
    t.push('ab');
    const target = new Uint8Array(6);
    const p = stream.readInto(target);
    expect(t.loans).toHaveLength(1);
    expect(isRestOf(t.loans[0], target, 2)).toBe(true);
    t.send('cdef');
    expect(await p).toBe(6);
    expect(Buffer.from(target)).toEqual(bytes('abcdef'));
  });

  it('lends nothing when the buffer already fills the target', async () => {
    const { stream, t } = open();
    t.push('abcdef');
    expect(await stream.readInto(new Uint8Array(4))).toBe(4);
    expect(t.loans).toEqual([]);
    expect(await stream.readBytes(2)).toEqual(bytes('ef'));
  });

  it('lends no more than the target: bytes past it go to the transport and stay buffered, the memory after it untouched', async () => {
    const { stream, t } = open();
    const backing = new Uint8Array(12).fill(0xee);
    const target = backing.subarray(2, 7);
    const p = stream.readInto(target);
    t.send('0123456789');
    expect(await p).toBe(5);
    expect([...backing]).toEqual([0xee, 0xee, ...bytes('01234'), 0xee, 0xee, 0xee, 0xee, 0xee]);
    expect(await stream.readBytes(5)).toEqual(bytes('56789'));
  });

  it('bytes that arrive after the read settled land in the transport, not in the target', async () => {
    const { stream, t } = open();
    const target = new Uint8Array(4);
    const p = stream.readInto(target);
    t.send('abcd');
    expect(await p).toBe(4);
    t.send('wxyz');
    const later = await stream.readBytes(4);
    expect(later).toEqual(bytes('wxyz'));
    expect(later.buffer).not.toBe(target.buffer);
    expect(Buffer.from(target)).toEqual(bytes('abcd'));
  });

  it('abort ends the loan and keeps the bytes read so far, as a copy the caller may overwrite', async () => {
    const { stream, t } = open();
    const target = new Uint8Array(8);
    const ac = new AbortController();
    const p = stream.readInto(target, { signal: ac.signal });
    t.send('abc');
    expect(await state(p)).toBe('pending');
    ac.abort();
    expect((await rejection(p)) as Error).toBeInstanceOf(AbortError);
    expect(t.loans.at(-1)).toBeNull();
    // The caller reuses its buffer: what the stream kept must not change.
    target.fill(0x21);
    t.send('def');
    expect(await stream.readBytes(6)).toEqual(bytes('abcdef'));
  });

  it('close ends the loan before the transport is closed, and the read rejects', async () => {
    const { stream, t } = open();
    const p = stream.readInto(new Uint8Array(8));
    stream.close();
    expectIOError(await rejection(p), StreamClosedError, 'ERR_STREAM_CLOSED');
    expect(t.log.filter((e) => e === 'lend:null' || e === 'closeFd')).toEqual(['lend:null', 'closeFd']);
  });

  it('EOF before the target is full ends the loan and leaves the bytes readable', async () => {
    const { stream, t } = open();
    const target = new Uint8Array(8);
    const p = stream.readInto(target);
    t.send('abc');
    t.pushEof();
    expectIOError(await rejection(p), StreamClosedError, 'ERR_STREAM_CLOSED');
    expect(t.loans.at(-1)).toBeNull();
    target.fill(0);
    expect(await stream.readUntilClose()).toEqual(bytes('abc'));
  });

  it('a transport that declines the loan gets the bytes copied, as before', async () => {
    const { stream, t } = open();
    t.accepting = false;
    const copyOut = vi.spyOn(ReadBuffer.prototype, 'copyOut');
    const target = new Uint8Array(4);
    const p = stream.readInto(target);
    t.send('ab');
    t.send('cd');
    expect(await p).toBe(4);
    expect(Buffer.from(target)).toEqual(bytes('abcd'));
    expect(copyOut).toHaveBeenCalled();
    // Offered once per arrival at most: the rest after 'ab', not again for the same fill.
    expect(t.loans.filter((l) => l !== null)).toHaveLength(2);
  });

  it('a lendReadTarget that throws closes the stream with that error', async () => {
    const { stream, t } = open();
    const boom = new Error('boom');
    t.lendReadTarget = () => {
      throw boom;
    };
    const p = stream.readInto(new Uint8Array(4));
    const error = await rejection(p);
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((error as StreamClosedError).realError).toBe(boom);
    expect(stream.closed()).toBe(true);
  });
});
