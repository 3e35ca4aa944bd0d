import type { IOStream } from '@iostream/core';

/** Resolves when `stream` has closed (its close callback ran). */
export function streamClosed(stream: IOStream): Promise<void> {
  return new Promise((resolve) => stream.setCloseCallback(resolve));
}

export { rejectionOf as rejection, waitFor } from '@iostream/testkit';
