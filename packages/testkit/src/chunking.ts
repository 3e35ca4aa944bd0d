import { seededRandom } from './random.js';

/**
 * How inbound bytes are cut into the chunks `readFromFd` returns:
 * - `'whole'`: each write arrives as one chunk (as written);
 * - a number `n`: chunks of exactly `n` bytes (the last of a write may be shorter), `1` = one byte at a time;
 * - `{ seed, min?, max? }`: random sizes from `min` (1) to `max` (4096), reproducible from `seed`.
 */
export type Chunking = 'whole' | number | { seed: number; min?: number; max?: number };

/** A function giving the size of the next chunk, at most `available`. */
export type ChunkSizer = (available: number) => number;

export function chunkSizer(chunking: Chunking = 'whole'): ChunkSizer {
  if (chunking === 'whole') return (available) => available;
  if (typeof chunking === 'number') {
    if (!Number.isSafeInteger(chunking) || chunking < 1)
      throw new RangeError(`chunk size must be a positive integer, got ${chunking}`);
    return (available) => Math.min(chunking, available);
  }
  const min = chunking.min ?? 1;
  const max = chunking.max ?? 4096;
  if (!(min >= 1 && max >= min)) throw new RangeError(`random chunking needs 1 <= min <= max, got ${min}..${max}`);
  const random = seededRandom(chunking.seed);
  return (available) => Math.min(available, min + Math.floor(random() * (max - min + 1)));
}
