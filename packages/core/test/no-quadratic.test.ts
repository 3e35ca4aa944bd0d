import { afterEach, describe, expect, it } from 'vitest';
import { bytes, open } from './helpers/scripted-transport.js';

const originalIndexOf = Buffer.prototype.indexOf;

/** Counts the bytes Buffer#indexOf is asked to scan (from its start offset to the end of the buffer). */
function countScans() {
  const counter = { scanned: 0, calls: 0 };
  Buffer.prototype.indexOf = function (
    this: Buffer,
    value: string | number | Uint8Array,
    byteOffset?: number | BufferEncoding,
    encoding?: BufferEncoding,
  ) {
    counter.calls++;
    const from = typeof byteOffset === 'number' ? (byteOffset < 0 ? this.length + byteOffset : byteOffset) : 0;
    counter.scanned += Math.max(0, this.length - from);
    return originalIndexOf.call(this, value, byteOffset as number, encoding);
  } as typeof originalIndexOf;
  return counter;
}

function restore() {
  Buffer.prototype.indexOf = originalIndexOf;
}

afterEach(restore);

describe('no quadratic work', () => {
  const N = 200_000;

  it.each([
    ['1-byte delimiter', '\n'],
    ['4-byte delimiter', '\r\n\r\n'],
  ])('readUntil over %s and many one-byte chunks scans each byte a bounded number of times', async (_n, delim) => {
    const { stream, t } = open({ maxBufferSize: 4 * N });
    const counter = countScans();
    const p = stream.readUntil(delim);
    const one = bytes('a');
    for (let i = 0; i < N; i++) {
      t.inbound.push(one);
      t.notify();
    }
    t.push(delim);
    const line = await p;
    restore();
    expect(line).toHaveLength(N + delim.length);
    expect(counter.calls).toBeGreaterThan(0);
    // A rescan-from-start implementation would scan about N * N / 2 bytes here.
    expect(counter.scanned).toBeLessThanOrEqual((delim.length + 2) * (N + delim.length));
  });

  it('a read satisfied from one buffered chunk returns a view of it, not a copy', async () => {
    const { stream, t } = open();
    const chunk = Buffer.alloc(8192, 0x61);
    chunk.write('\n', 5000, 'latin1');
    t.inbound.push(chunk);
    t.notify();
    const line = await stream.readUntil('\n');
    expect(line).toHaveLength(5001);
    expect(line.buffer).toBe(chunk.buffer);
    const rest = await stream.readBytes(100);
    expect(rest.buffer).toBe(chunk.buffer);
  });
});
