/**
 * Failure values as `Error`s. JavaScript lets anything be thrown or emitted as an
 * `'error'` (`socket.destroy('x')`, a third-party Duplex emitting a plain object, a
 * `catch (e)` passing `e` on), while `stream.error` and `StreamClosedError.realError`
 * are `Error`s. A value that is not one is wrapped, kept as the wrapper's `cause`, so
 * closing never fails for want of an Error.
 */

import { describe } from './args.js';

/** `value` if it is an `Error`, else an `Error` that names it and keeps it as `cause`. */
export function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(`Non-Error failure value: ${summary(value)}`, { cause: value });
}

/** A short, safe text for the message; the value itself stays in `cause`. */
function summary(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  if (typeof value === 'object' && value !== null) {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') return `${describe(value)} with message ${summary(message)}`;
    return describe(value);
  }
  return typeof value === 'function' ? describe(value) : String(value);
}
