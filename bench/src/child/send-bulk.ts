/**
 * W5's and P5's send loops, shared by the TCP and pipe senders: `count` bytes in
 * 64 KiB writes (the last one shorter), then end.
 */
import type { Writable } from 'node:stream';
import type { IOStream } from '@iostream/core';
import { buildBulk } from '../data.js';

const chunk = buildBulk(65536);

/** The next write when `left` bytes remain: the whole chunk, or its head. */
const slice = (left: number) => (left >= chunk.length ? chunk : chunk.subarray(0, left));

/**
 * Ours: awaits each `write` (`ours-await`), or writes without awaiting and awaits
 * `drained()` whenever `needsDrain` (`ours-drained`). Resolves once `end()` has.
 */
export async function sendOurs(s: IOStream, awaitEach: boolean, count: number): Promise<void> {
  let left = count;
  const next = () => {
    const c = slice(left);
    left -= c.length;
    return c;
  };
  if (awaitEach) {
    while (left > 0) await s.write(next());
  } else {
    let last: Promise<void> = Promise.resolve();
    while (left > 0) {
      last = s.write(next());
      if (s.needsDrain) await s.drained();
    }
    await last;
  }
  await s.end();
}

/** The baseline: `write` until it returns false, again on `'drain'`, then `end()`. */
export function pumpRaw(w: Writable, count: number): void {
  let left = count;
  const pump = () => {
    while (left > 0) {
      const c = slice(left);
      left -= c.length;
      if (!w.write(c)) return void w.once('drain', pump);
    }
    w.end();
  };
  pump();
}

/**
 * A reference: the await shape on a raw Writable, each `write` awaited through its
 * callback, then `end()`. Rejects with the first write error.
 */
export async function pumpRawAwait(w: Writable, count: number): Promise<void> {
  let left = count;
  while (left > 0) {
    const c = slice(left);
    left -= c.length;
    await new Promise<void>((resolve, reject) => w.write(c, (error) => (error ? reject(error) : resolve())));
  }
  w.end();
}
