import { describe, expect, it } from 'vitest';
import { StreamBufferFullError, StreamClosedError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection, state } from './helpers/scripted-transport.js';

describe('write', () => {
  it('resolves at once when the transport takes everything', async () => {
    const { stream, t } = open();
    const p = stream.write('hello');
    expect(await state(p)).toBe('fulfilled');
    expect(t.written()).toEqual(bytes('hello'));
    expect(stream.writing()).toBe(false);
  });

  it('resolves when all of its bytes are handed over, in FIFO order', async () => {
    const { stream, t } = open({}, { writeCapacity: 3 });
    const done: number[] = [];
    const writes = ['aaaa', 'bb', 'cccccc'].map((s, i) => stream.write(s).then(() => done.push(i)));
    expect(stream.writing()).toBe(true);
    expect(stream.writableLength).toBe(9);
    await state(writes[0] as Promise<unknown>);
    expect(done).toEqual([]);
    t.grant(1);
    await state(writes[0] as Promise<unknown>);
    expect(done).toEqual([0]);
    t.grant(4);
    await state(writes[1] as Promise<unknown>);
    expect(done).toEqual([0, 1]);
    expect(stream.writing()).toBe(true);
    t.grant(Number.POSITIVE_INFINITY);
    await Promise.all(writes);
    expect(done).toEqual([0, 1, 2]);
    expect(t.written()).toEqual(bytes('aaaabbcccccc'));
    expect(stream.writing()).toBe(false);
  });

  it('thousands of queued writes complete in FIFO order as the transport drains them', async () => {
    const { stream, t } = open({}, { writeCapacity: 0 });
    const order: number[] = [];
    const writes: Promise<void>[] = [];
    let expected = '';
    for (let i = 0; i < 3000; i++) {
      const s = String.fromCharCode(97 + (i % 26));
      expected += s;
      writes.push(stream.write(s).then(() => void order.push(i)));
    }
    t.grant(1700);
    t.grant(0);
    t.grant(Number.POSITIVE_INFINITY);
    await Promise.all(writes);
    expect(order).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(t.written().toString('latin1')).toBe(expected);
  });

  it('an empty write resolves at once, even while the transport is blocked', async () => {
    const { stream } = open({}, { writeCapacity: 0 });
    const blocked = stream.write('x');
    expect(await state(stream.write(''))).toBe('fulfilled');
    expect(await state(stream.write(new Uint8Array(0)))).toBe('fulfilled');
    expect(await state(stream.write([]))).toBe('fulfilled');
    expect(await state(blocked)).toBe('pending');
  });

  it('writes made before the transport is connected are queued and sent after, in order', async () => {
    const { stream, t } = open({}, { writeCapacity: 0 });
    const a = stream.write('early ');
    const b = stream.write(['bird ', 'gets']);
    expect(await state(a)).toBe('pending');
    expect(t.written()).toHaveLength(0);
    t.grant(Number.POSITIVE_INFINITY); // "connected"
    await Promise.all([a, b]);
    expect(t.written()).toEqual(bytes('early bird gets'));
  });

  it('writing on a closed stream rejects with StreamClosedError', async () => {
    const { stream } = open();
    stream.close();
    expectIOError(await rejection(stream.write('x')), StreamClosedError, 'ERR_STREAM_CLOSED');
  });

  it('a write past maxWriteBufferSize rejects, queues nothing, and leaves the stream open', async () => {
    const { stream, t } = open({ maxWriteBufferSize: 10 }, { writeCapacity: 0 });
    const ok = stream.write('123456');
    const error = await rejection(stream.write('abcde'));
    expectIOError(error, StreamBufferFullError, 'ERR_STREAM_BUFFER_FULL');
    expect(stream.closed()).toBe(false);
    expect(stream.error).toBeNull();
    expect(stream.writableLength).toBe(6);
    const fits = stream.write('7890');
    t.grant(Number.POSITIVE_INFINITY);
    await Promise.all([ok, fits]);
    expect(t.written()).toEqual(bytes('1234567890'));
  });

  it('encodes strings as UTF-8', async () => {
    const { stream, t } = open();
    await stream.write('café €');
    expect(t.written()).toEqual(Buffer.from('café €', 'utf8'));
  });

  it('a writeToFd that throws closes the stream and rejects with that error as realError', async () => {
    const { stream, t } = open();
    const boom = new Error('EPIPE');
    t.throwing.set('writeToFd', boom);
    const error = await rejection(stream.write('x'));
    expectIOError(error, StreamClosedError, 'ERR_STREAM_CLOSED');
    expect((error as StreamClosedError).realError).toBe(boom);
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(boom);
  });

  it('a writeToFd that throws while flushing queued writes rejects them all', async () => {
    const { stream, t } = open({}, { writeCapacity: 1 });
    const a = stream.write('abc');
    const b = stream.write('def');
    const boom = new Error('EPIPE');
    t.throwing.set('writeToFd', boom);
    t.grant(10);
    for (const p of [a, b]) expect(((await rejection(p)) as StreamClosedError).realError).toBe(boom);
    expect(stream.error).toBe(boom);
  });
});

describe('vectored write', () => {
  it('hands each chunk of an array to the transport in order, without concatenating', async () => {
    const { stream, t } = open();
    const parts = [bytes('GET '), '/ ', new Uint8Array([0x48, 0x54]), bytes('TP/1.1\r\n')];
    await stream.write(parts);
    expect(t.writeCalls.map((c) => Buffer.from(c).toString('latin1'))).toEqual(['GET ', '/ ', 'HT', 'TP/1.1\r\n']);
    expect(t.writeCalls[0]).toBe(parts[0]);
  });

  it('resolves once the last chunk is handed over, queuing the rest when the transport blocks', async () => {
    const { stream, t } = open({}, { writeCapacity: 5 });
    const p = stream.write(['abc', 'defg', 'hij']);
    expect(stream.writableLength).toBe(5);
    expect(await state(p)).toBe('pending');
    t.grant(Number.POSITIVE_INFINITY);
    await p;
    expect(t.written()).toEqual(bytes('abcdefghij'));
  });

  it('counts the whole array against maxWriteBufferSize', async () => {
    const { stream, t } = open({ maxWriteBufferSize: 4 });
    expectIOError(await rejection(stream.write(['ab', 'cde'])), StreamBufferFullError, 'ERR_STREAM_BUFFER_FULL');
    expect(t.writeCalls).toHaveLength(0);
  });
});
