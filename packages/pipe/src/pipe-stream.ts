import type { Socket } from 'node:net';
import { IOStream, type IOStreamOptions } from '@iostream/core';
import { type PipeDirection, PipeTransport } from './pipe-transport.js';

/**
 * An {@link IOStream} over a pipe socket, one-way streams made one-way in core too:
 * a write-only stream reads as already at EOF (so `allowHalfOpen` is forced on
 * and reads reject with `StreamClosedError` instead of waiting forever), and a
 * read-only stream starts with its writing side ended (so writes reject with
 * `StreamClosedError` and reading goes on).
 */
export function pipeStream(open: () => Socket, direction: PipeDirection, options: IOStreamOptions = {}): IOStream {
  const streamOptions = direction === 'write' ? { ...options, allowHalfOpen: true } : options;
  const stream = new IOStream(new PipeTransport(open, direction), streamOptions);
  // Settles at once: a read-only transport has nothing to flush or shut down.
  if (direction === 'read') stream.end().catch(() => {});
  return stream;
}
