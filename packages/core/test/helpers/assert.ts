import { expect } from 'vitest';
import { IOStreamError } from '../../src/index.js';

/** Assert an error by class (instanceof), `name` and `code`; never by message text. */
export function expectIOError(
  error: unknown,
  klass: abstract new (...args: never[]) => IOStreamError,
  code: string,
): asserts error is IOStreamError {
  expect(error).toBeInstanceOf(klass);
  expect(error).toBeInstanceOf(IOStreamError);
  expect(error).toBeInstanceOf(Error);
  expect((error as IOStreamError).name).toBe(klass.name);
  expect((error as IOStreamError).code).toBe(code);
}
