// readInto when the bytes are buffered already (a loop over bytes that came in bulk):
// copied at once, without a pending request, and exactly what the read would have given
// had it waited, whatever mix of buffered and arriving bytes, sizes and `partial`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortError } from '../src/index.js';
import { open, rejection, tick } from './helpers/scripted-transport.js';

describe('readInto from bytes already buffered', () => {
  it('any sequence of readInto, some satisfied from the buffer and some waiting, reads every byte in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300, size: 'max' }), {
          minLength: 1,
          maxLength: 12,
          size: 'max',
        }),
        fc.array(fc.record({ size: fc.integer({ min: 0, max: 400 }), partial: fc.boolean() }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.nat(12),
        async (chunks, reads, early) => {
          const { stream, t } = open();
          const sent = Buffer.concat(chunks);
          // Some chunks are there before the first read, the rest come while reads wait.
          for (const c of chunks.slice(0, early)) t.push(c);
          await stream.readBytes(0);
          let later = chunks.slice(early);
          const got: Buffer[] = [];
          let left = sent.length;
          for (const { size, partial } of reads) {
            if ((size > left && !partial) || (left === 0 && size > 0)) break;
            const target = Buffer.alloc(size + 2, 0xee);
            const view = target.subarray(1, 1 + size);
            const read = stream.readInto(view, { partial });
            // Feed a chunk whenever the read has to wait for one.
            await tick();
            while (later.length > 0 && stream.reading()) {
              t.push(later[0] as Uint8Array);
              later = later.slice(1);
              await tick();
            }
            const n = await read;
            if (!partial || size === 0) expect(n).toBe(size);
            else {
              expect(n).toBeGreaterThanOrEqual(1);
              expect(n).toBeLessThanOrEqual(Math.min(size, left));
            }
            expect(target[0]).toBe(0xee);
            expect(target[size + 1]).toBe(0xee);
            got.push(Buffer.from(view.subarray(0, n)));
            left -= n;
          }
          const read = Buffer.concat(got);
          expect(read).toEqual(sent.subarray(0, read.length));
          expect(stream.readableLength).toBe(sent.length - read.length - later.reduce((a, c) => a + c.length, 0));
        },
      ),
      // Each step waits a macrotask: shrinking a failure would outlast the timeout, so report it as found.
      { numRuns: 300, endOnFailure: true },
    );
  });

  it('a partial read takes what is buffered when that is less than the target, and no more', async () => {
    const { stream, t } = open();
    t.push('abc');
    await stream.readBytes(0);
    const target = Buffer.alloc(8);
    expect(await stream.readInto(target, { partial: true })).toBe(3);
    expect(target.subarray(0, 3).toString()).toBe('abc');
    expect(stream.readableLength).toBe(0);
    t.push('defghijklm');
    await stream.readBytes(0);
    expect(await stream.readInto(target)).toBe(8);
    expect(target.toString()).toBe('defghijk');
    expect(stream.readableLength).toBe(2);
  });

  it('an already aborted signal still rejects, with the bytes left buffered', async () => {
    const { stream, t } = open();
    t.push('abcdef');
    await stream.readBytes(0);
    const error = await rejection(stream.readInto(Buffer.alloc(4), { signal: AbortSignal.abort('stop') }));
    expect(error).toBeInstanceOf(AbortError);
    expect(stream.readableLength).toBe(6);
  });
});
