/**
 * A search for one delimiter over bytes that arrive in pieces, linear in the bytes
 * whatever the delimiter: a Knuth-Morris-Pratt automaton whose state (how much of the
 * delimiter the bytes fed so far end with) carries from one piece to the next, so a
 * match straddling any number of chunk boundaries is found without looking back.
 *
 * Every byte is read once. Where no partial match is under way, the search jumps to
 * the next occurrence of the delimiter's first byte with `indexOf` (native; a number
 * needle costs about 25 ns a call on Node 20, a Buffer needle 200 ns); from there it
 * steps byte by byte in JavaScript until the partial match completes or dies.
 * Checking each candidate in place instead (what this replaced) re-reads up to d - 1
 * bytes per candidate: 16 MiB of `-` against a 1,000-byte `---…X` took 13 s or more.
 */
import type { Buffer } from 'node:buffer';

/** The least span worth a native `indexOf` call. */
export const SEARCH_VIEW_MIN = 16;
/**
 * After a candidate fails, how many bytes are stepped in JavaScript before jumping with
 * `indexOf` again: data dense with the first byte (`a-a-a-…` against `-X`) would
 * otherwise cost one native call (about 25 ns) per candidate, where a step costs a few.
 */
const JUMP_AFTER = 8;

export class DelimiterSearch {
  delimiter!: Buffer;
  /** Absolute stream offset of the next byte to feed (kept by the caller, {@link ReadBuffer.find}). */
  pos = 0;
  /** Length of the longest delimiter prefix that the bytes fed so far end with; < delimiter.length. */
  private matched = 0;
  /**
   * Credit for a native jump, needed once a candidate fails: JUMP_AFTER after a jump that
   * skipped at least that many bytes, else earned one per byte stepped with nothing matched.
   */
  private idle = JUMP_AFTER;
  /** KMP failure links for the first `links.length` prefixes, grown by {@link linksUpTo}; none until needed. */
  private links: number[] | null = null;

  constructor(delimiter: Buffer, from: number) {
    this.reset(delimiter, from);
  }

  /** Start over: search for `delimiter` from absolute offset `from`. */
  reset(delimiter: Buffer, from: number): void {
    this.delimiter = delimiter;
    this.pos = from;
    this.matched = 0;
    this.idle = JUMP_AFTER;
    this.links = null;
  }

  /**
   * Feed `hay[i, to)`: the index just past the first match's end, or -1 once all of it
   * is fed (the state then carries to the next call). Bytes of `hay` past `to` never
   * match, but a native search may read them: give a `hay` that ends at `to`, or whose
   * bytes past `to` are few enough to read (the rest of a chunk past `maxBytes`).
   */
  feed(hay: Uint8Array, i: number, to: number): number {
    const d = this.delimiter;
    const n = d.length;
    let k = this.matched;
    let idle = this.idle;
    let links = this.links;
    scan: while (i < to) {
      let c: number;
      if (k === 0 && idle >= JUMP_AFTER && to - i >= SEARCH_VIEW_MIN) {
        const hit = hay.indexOf(d[0] as number, i);
        if (hit < 0 || hit >= to) {
          i = to;
          break;
        }
        // A short jump buys no credit: step JUMP_AFTER bytes before the next one.
        idle = hit - i >= JUMP_AFTER ? JUMP_AFTER : 0;
        i = hit + 1;
        k = 1;
        if (n === 1) return i;
        // While the bytes match, the state only grows: extend it in a tight loop.
        do {
          if (i === to) break scan;
          c = hay[i++] as number;
        } while (c === d[k] && ++k < n);
        if (k === n) return i;
      } else {
        c = hay[i++] as number;
        if (d[k] === c) {
          if (++k === n) return i;
          continue;
        }
        if (k === 0) {
          idle++;
          continue;
        }
      }
      // `c` mismatched after k >= 1 matched bytes: fall back to the longest shorter
      // prefix that `c` may continue. That ends short of the delimiter: no match here.
      if (k === 1) k = 0;
      else {
        if (links === null || links.length < k) links = this.linksUpTo(k);
        do k = links[k - 1] as number;
        while (k > 0 && d[k] !== c);
      }
      if (d[k] === c) k++;
      else idle++;
    }
    this.matched = k;
    this.idle = idle;
    return -1;
  }

  /**
   * The links at least up to `links[k - 1]`, where `links[q]` is the length of the longest
   * proper prefix of `delimiter[0..q]` that is also its suffix. Grown only as far as a
   * failed partial match reached, resuming where the last call stopped: the table costs
   * O(longest partial match) per search, never more than the bytes fed, rather than O(d).
   * So no cache across searches is needed (one keyed by the Buffer would go stale if the
   * caller reused its memory; one keyed by content would compare as many bytes as it
   * saves). A parsing loop's `\r\n` never needs one.
   */
  private linksUpTo(k: number): number[] {
    const d = this.delimiter;
    const links = this.links ?? [0];
    for (let q = links.length, j = links[q - 1] as number; q < k; q++) {
      while (j > 0 && d[q] !== d[j]) j = links[j - 1] as number;
      if (d[q] === d[j]) j++;
      links.push(j);
    }
    this.links = links;
    return links;
  }
}
