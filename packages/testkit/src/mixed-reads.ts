/**
 * One run of the mixed-reads property the transports check over real pipes and TLS:
 * a pattern written in one set of sizes, read back in an unrelated mix of `readInto`,
 * `readBytes` and partial reads, with every result kept to the end, so a transport
 * that reuses its read memory under a result still held shows once the run is checked.
 */
import type { IOStream } from '@iostream/core';

/** One read: `readInto` a fresh buffer of `size`, `readBytes(size)`, or `readBytes(size, { partial: true })`. */
export interface MixedRead {
  kind: 'into' | 'bytes' | 'partial';
  size: number;
}

/** What a run sent and what each read returned, for the caller to check. */
export interface MixedReadsRun {
  /** The bytes written: a position-dependent pattern as long as the reads' sizes together. */
  data: Buffer;
  /** Every read's result and where in `data` it starts, all held until the run ended. */
  kept: { at: number; bytes: Buffer }[];
  /** Bytes read in all: `data.length` once the run is done. */
  read: number;
}

/** Byte at offset `i`: a pattern with no power-of-two period, so misplaced bytes show. */
const byteAt = (i: number) => (i * 7 + (i >>> 11)) % 253;

/**
 * Writes the pattern to `writer` in `writeSizes` (cycled, each write awaited) while
 * `reader` reads it with `reads`; partial reads may take less than their size, so the
 * rest is read at the end (a writer held back by flow control would wait forever
 * otherwise). Resolves once every write and read is done; checks nothing itself.
 */
export async function runMixedReads(
  writer: IOStream,
  reader: IOStream,
  reads: readonly MixedRead[],
  writeSizes: readonly number[],
): Promise<MixedReadsRun> {
  const total = reads.reduce((n, r) => n + r.size, 0);
  const data = Buffer.alloc(total);
  for (let i = 0; i < total; i++) data[i] = byteAt(i);
  const sending = (async () => {
    for (let at = 0, i = 0; at < total; i++) {
      const n = Math.min(writeSizes[i % writeSizes.length] as number, total - at);
      await writer.write(data.subarray(at, at + n));
      at += n;
    }
  })();
  const kept: { at: number; bytes: Buffer }[] = [];
  let at = 0;
  for (const r of reads) {
    const want = Math.min(r.size, total - at);
    if (want === 0) break;
    let got: Buffer;
    if (r.kind === 'into') {
      const target = Buffer.alloc(want);
      got = target.subarray(0, await reader.readInto(target));
    } else {
      got = await reader.readBytes(want, { partial: r.kind === 'partial' });
    }
    kept.push({ at, bytes: got });
    at += got.length;
  }
  if (at < total) {
    kept.push({ at, bytes: await reader.readBytes(total - at) });
    at = total;
  }
  await sending;
  return { data, kept, read: at };
}
