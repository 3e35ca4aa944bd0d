/**
 * Errors this package creates itself, as the `realError` (and `cause`) of core's
 * `StreamClosedError`. Errors from Node (`EPIPE`, …) are passed through unchanged,
 * and a write end that loses its reader reports a Node-style `EPIPE`. Match on `code`.
 */
import { brandedError } from '@iostream/core';
import { describeValue } from '@iostream/tcp';

/** Codes of the errors below. */
export type PipeErrorCode = 'ERR_PIPE_FAILED';

/** Base class; `instanceof` works across duplicate installs through a `Symbol.for` brand. */
export class PipeError extends brandedError<PipeErrorCode>('@iostream/pipe.PipeError') {}

/**
 * The pipe's socket failed with a value that is not an `Error` (`socket.destroy('x')`):
 * the value is this error's `cause`. Code `ERR_PIPE_FAILED`.
 */
export class PipeFailedError extends PipeError {
  static readonly expectedCode = 'ERR_PIPE_FAILED';
  constructor(value: unknown) {
    super('ERR_PIPE_FAILED', `The pipe failed with a value that is not an Error: ${describeValue(value)}`, {
      cause: value,
    });
  }
}

/** What a pipe's socket reported as its error, as an `Error`: the value itself, or a {@link PipeFailedError} wrapping it. */
export function pipeError(value: unknown): Error {
  return value instanceof Error ? value : new PipeFailedError(value);
}
