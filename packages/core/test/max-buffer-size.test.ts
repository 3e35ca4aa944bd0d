import { describe, expect, it } from 'vitest';
import { type IOStream, StreamBufferFullError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, rejection } from './helpers/scripted-transport.js';

async function expectBufferFull(stream: IOStream, p: Promise<unknown>) {
  const error = await rejection(p);
  expectIOError(error, StreamBufferFullError, 'ERR_STREAM_BUFFER_FULL');
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(error);
}

describe('maxBufferSize', () => {
  it('readBytes(n) with n above maxBufferSize fails at once and closes the stream', async () => {
    const { stream, t } = open({ maxBufferSize: 100 });
    await expectBufferFull(stream, stream.readBytes(101));
    expect(t.closeFdCalls).toBe(1);
  });

  it('readBytes(n) with n equal to maxBufferSize succeeds', async () => {
    const { stream, t } = open({ maxBufferSize: 100 });
    const p = stream.readBytes(100);
    for (let i = 0; i < 10; i++) t.push(Buffer.alloc(10, i));
    expect(await p).toHaveLength(100);
  });

  it('a partial readBytes(n) above maxBufferSize is fine', async () => {
    const { stream, t } = open({ maxBufferSize: 100 });
    t.push('abc');
    expect(await stream.readBytes(1000, { partial: true })).toEqual(bytes('abc'));
  });

  const growing: [string, (s: IOStream) => Promise<unknown>][] = [
    ['readUntil', (s) => s.readUntil('\n')],
    ['readUntilRegex', (s) => s.readUntilRegex(/\n/)],
    ['readUntilClose', (s) => s.readUntilClose()],
  ];
  it.each(growing)('%s fails and closes once it needs more than maxBufferSize buffered', async (_n, read) => {
    const { stream, t } = open({ maxBufferSize: 100, readChunkSize: 10 });
    const p = read(stream);
    for (let i = 0; i < 30; i++) t.push(Buffer.alloc(10, 0x61));
    await expectBufferFull(stream, p);
    // Memory stays bounded: core stopped taking bytes soon after the limit.
    expect(t.bytesTaken).toBeLessThanOrEqual(100 + 10 + 10);
  });

  it('readInto a target larger than maxBufferSize is fine (bytes are copied out as they come)', async () => {
    const { stream, t } = open({ maxBufferSize: 32 });
    const target = new Uint8Array(200);
    const p = stream.readInto(target);
    for (let i = 0; i < 20; i++) t.push(Buffer.alloc(10, i));
    expect(await p).toBe(200);
    expect(target[199]).toBe(19);
  });
});
