export function checkPort(value: unknown, allowZero: boolean): number {
  if (typeof value !== 'number') throw new TypeError(`port must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > 65535)
    throw new RangeError(`port must be an integer from ${allowZero ? 0 : 1} to 65535, got ${value}`);
  return value;
}

export function checkTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`timeout must be a number, got ${typeof value}`);
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`timeout must be a positive number, got ${value}`);
  return value;
}

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
