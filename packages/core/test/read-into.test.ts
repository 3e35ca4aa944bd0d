import { describe, expect, it } from 'vitest';
import { AbortError, AlreadyReadingError, StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection, state } from './helpers/scripted-transport.js';

describe('readInto', () => {
  it('fills the whole target, resolves with its length, and leaves extra bytes buffered', async () => {
    const { stream, t } = open();
    const target = new Uint8Array(5);
    const p = stream.readInto(target);
    t.push('ab');
    expect(await state(p)).toBe('pending');
    t.push('cdefg');
    expect(await p).toBe(5);
    expect(Buffer.from(target)).toEqual(bytes('abcde'));
    expect(await stream.readBytes(2)).toEqual(bytes('fg'));
  });

  it('fills a subarray view without touching the bytes around it', async () => {
    const { stream, t } = open();
    const backing = new Uint8Array(8).fill(0xee);
    t.push('wxyz');
    expect(await stream.readInto(backing.subarray(2, 5))).toBe(3);
    expect([...backing]).toEqual([0xee, 0xee, 0x77, 0x78, 0x79, 0xee, 0xee, 0xee]);
  });

  it('with partial, resolves as soon as any byte is copied, with the count', async () => {
    const { stream, t } = open();
    const target = new Uint8Array(10);
    const p = stream.readInto(target, { partial: true });
    expect(await state(p)).toBe('pending');
    t.push('hey');
    expect(await p).toBe(3);
    expect(Buffer.from(target.subarray(0, 3))).toEqual(bytes('hey'));
    t.push('0123456789abc');
    expect(await stream.readInto(target, { partial: true })).toBe(10);
    expect(stream.readableLength).toBe(3);
  });

  it('when the stream closes before the target is full, rejects and keeps those bytes readable', async () => {
    const { stream, t } = open();
    const p = stream.readInto(new Uint8Array(10));
    t.push('abc');
    t.pushEof();
    const error = await rejection(p);
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((error as StreamClosedError).realError).toBeNull();
    expect(await stream.readUntilClose()).toEqual(bytes('abc'));
  });

  it('gives back bytes that spanned several large chunks when the stream ends short', async () => {
    const { stream, t } = open();
    const target = new Uint8Array(4000);
    // Consume part of a first chunk so the read starts mid-buffer.
    t.push(Buffer.alloc(1200, 0x30));
    expect(stream.tryReadBytes(100)).not.toBeNull();
    const p = stream.readInto(target);
    t.push(Buffer.alloc(1300, 0x31));
    t.push(Buffer.alloc(1100, 0x32));
    t.pushEof();
    expectIOError(await rejection(p), StreamClosedError, 'ERR_STREAM_CLOSED');
    const rest = await stream.readUntilClose();
    expect(
      rest.equals(Buffer.concat([Buffer.alloc(1100, 0x30), Buffer.alloc(1300, 0x31), Buffer.alloc(1100, 0x32)])),
    ).toBe(true);
  });
});

// A length-prefixed protocol with an empty payload reads `readInto(buf.subarray(0, n))`
// with n = 0: that is a complete read of nothing, as readBytes(0) is, not an error.
describe('readInto with a zero-length target', () => {
  it('resolves 0 at once, consuming nothing and touching no transport', async () => {
    const { stream, t } = open();
    t.push('abc');
    const calls = t.readCalls;
    expect(await stream.readInto(new Uint8Array(0))).toBe(0);
    expect(await stream.readInto(Buffer.alloc(8).subarray(3, 3), { partial: true })).toBe(0);
    expect(stream.tryReadInto(new Uint8Array(0))).toBe(0);
    expect(t.readCalls).toBe(calls);
    expect(stream.readableLength).toBe(3);
    expect(await stream.readBytes(3)).toEqual(bytes('abc'));
  });

  it('resolves 0 with nothing buffered and on a closed stream, as readBytes(0) does', async () => {
    const { stream } = open();
    expect(await stream.readInto(new Uint8Array(0))).toBe(0);
    stream.close();
    expect((await stream.readBytes(0)).length).toBe(0);
    expect(await stream.readInto(new Uint8Array(0))).toBe(0);
    expect(stream.tryReadInto(new Uint8Array(0))).toBe(0);
  });

  it('still rejects with an already aborted signal, and while another read is pending', async () => {
    const { stream } = open();
    const aborted = AbortSignal.abort('stop');
    expectIOError(await rejection(stream.readBytes(0, { signal: aborted })), AbortError, 'ABORT_ERR');
    expectIOError(await rejection(stream.readInto(new Uint8Array(0), { signal: aborted })), AbortError, 'ABORT_ERR');
    const pending = stream.readBytes(1);
    expectIOError(await rejection(stream.readInto(new Uint8Array(0))), AlreadyReadingError, 'ERR_ALREADY_READING');
    expect(() => stream.tryReadInto(new Uint8Array(0))).toThrow(AlreadyReadingError);
    stream.close();
    await rejection(pending);
  });
});
