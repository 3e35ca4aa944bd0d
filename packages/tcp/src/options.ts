/** Argument checks shared by tcp's and tls's connect and listen: bad input throws at once. */

/** A port number: 1-65535, or 0 too (any free port) where `allowZero`. */
export function checkPort(value: unknown, allowZero: boolean): number {
  if (typeof value !== 'number') throw new TypeError(`port must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > 65535)
    throw new RangeError(`port must be an integer from ${allowZero ? 0 : 1} to 65535, got ${value}`);
  return value;
}

/** A positive, finite number of milliseconds named `name`, or `undefined`. */
export function checkTimeout(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

/** An `AbortSignal`, or `undefined`. */
export function checkSignal(value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  return value;
}

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
