import { describe, expect, it } from 'vitest';
import { StreamClosedError } from '../src/index.js';
import { open } from './helpers/scripted-transport.js';

describe('flow control', () => {
  it('stops reading while no read is pending and about a chunk is buffered', () => {
    const { stream, t } = open({ readChunkSize: 100 });
    expect(t.readInterest).toBe(true);
    for (let i = 0; i < 50; i++) t.push(Buffer.alloc(30, i));
    // Core took at most a chunk plus one transport chunk, and asked the transport to pause.
    expect(stream.readableLength).toBeGreaterThanOrEqual(100);
    expect(stream.readableLength).toBeLessThan(100 + 30);
    expect(t.bytesTaken).toBe(stream.readableLength);
    expect(t.readInterest).toBe(false);
  });

  it('small reads from a peer that sent far more than maxBufferSize all succeed, with memory bounded', async () => {
    const maxBufferSize = 1024;
    const { stream, t } = open({ maxBufferSize, readChunkSize: 256 });
    const total = 20 * maxBufferSize;
    const sent = Buffer.alloc(total);
    for (let i = 0; i < total; i++) sent[i] = (i * 7 + (i >> 8)) & 0xff;
    for (let at = 0; at < total; at += 100) t.push(sent.subarray(at, at + 100));
    t.pushEof();
    const got: Buffer[] = [];
    let peak = 0;
    let i = 0;
    for (;;) {
      const n = 1 + (i++ % 37);
      let piece: Buffer | null = stream.tryReadBytes(n);
      if (piece === null) {
        try {
          piece = await stream.readBytes(n, { partial: true });
        } catch (error) {
          expect(error).toBeInstanceOf(StreamClosedError);
          break;
        }
      }
      got.push(piece);
      peak = Math.max(peak, stream.readableLength);
    }
    expect(Buffer.concat(got)).toEqual(sent);
    expect(peak).toBeLessThanOrEqual(256 + 100);
    expect(stream.error).toBeNull();
  });

  it('asks for reads while a read is pending and stops once it is satisfied with a chunk buffered', async () => {
    const { stream, t } = open({ readChunkSize: 8 });
    t.push('0123456789');
    expect(t.readInterest).toBe(false);
    const p = stream.readBytes(20);
    expect(t.readInterest).toBe(true);
    t.push('abcdefghij', 'ABCDEFGHIJ');
    await p;
    expect(stream.readableLength).toBe(10);
    expect(t.readInterest).toBe(false);
    // Consuming below a chunk pulls from the transport again.
    t.inbound.push(Buffer.from('zz'));
    expect(stream.tryReadBytes(5)).not.toBeNull();
    expect(stream.readableLength).toBe(7);
    expect(t.readInterest).toBe(true);
  });

  it('never reads ahead more than maxBufferSize / 2 even with a larger readChunkSize', () => {
    const { stream, t } = open({ maxBufferSize: 64, readChunkSize: 1000 });
    for (let i = 0; i < 40; i++) t.push(Buffer.alloc(4, i));
    expect(stream.readableLength).toBe(32);
  });

  it('only tells the transport when read interest changes', async () => {
    const { stream, t } = open({ readChunkSize: 4 });
    for (let i = 0; i < 5; i++) {
      t.push('abcdef');
      await stream.readBytes(6);
    }
    for (let k = 1; k < t.interestChanges.length; k++) {
      expect(t.interestChanges[k]).not.toBe(t.interestChanges[k - 1]);
    }
  });
});
