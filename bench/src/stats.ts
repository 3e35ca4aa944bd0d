/** Small statistics over repetitions. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function min(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** Order of contenders for repetition `rep`: rotated, so none always runs first. */
export function rotation<T>(items: readonly T[], rep: number): T[] {
  const k = items.length === 0 ? 0 : rep % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
