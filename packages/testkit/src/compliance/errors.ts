/** Assertions on the stream's errors: by class, `name` and `code`, never by message text. */
import { StreamBufferFullError, StreamClosedError, UnsatisfiableReadError } from '@iostream/core';
import { expect } from 'vitest';

export function expectStreamClosed(error: unknown): void {
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error).toMatchObject({ name: 'StreamClosedError', code: 'ERR_STREAM_CLOSED' });
}

export function expectUnsatisfiable(error: unknown): void {
  expect(error).toBeInstanceOf(UnsatisfiableReadError);
  expect(error).toMatchObject({ name: 'UnsatisfiableReadError', code: 'ERR_UNSATISFIABLE_READ' });
}

export function expectBufferFull(error: unknown): void {
  expect(error).toBeInstanceOf(StreamBufferFullError);
  expect(error).toMatchObject({ name: 'StreamBufferFullError', code: 'ERR_STREAM_BUFFER_FULL' });
}

export function expectAborted(error: unknown): void {
  expect(error).toMatchObject({ name: 'AbortError' });
}

export function expectAlreadyReading(error: unknown): void {
  expect(error).toMatchObject({ code: 'ERR_ALREADY_READING' });
}
