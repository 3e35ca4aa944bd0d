import { Socket } from 'node:net';
import type { IOStream, IOStreamOptions } from '@iostream/core';
import { pipeStream } from './pipe-stream.js';
import type { PipeDirection } from './pipe-transport.js';

/** Options for {@link openPipe}: every `IOStream` option, plus the pipe's direction. */
export interface OpenPipeOptions extends IOStreamOptions {
  /**
   * Which end of the pipe `fd` is. Default `'read'`.
   * - `'read'`: reads work; writes reject with `StreamClosedError`.
   * - `'write'`: writes work; reads reject with `StreamClosedError` (the stream is
   *   half-open from the start, whatever `allowHalfOpen` says); `end()` flushes and
   *   closes the descriptor, which is how a pipe's reader sees EOF.
   * - `'duplex'`: both, for a socketpair; `end()` half-closes.
   */
  direction?: PipeDirection;
}

const DIRECTIONS: readonly unknown[] = ['read', 'write', 'duplex'];

/**
 * Open an {@link IOStream} over a pipe or FIFO descriptor (Tornado's `PipeIOStream`).
 * I/O is non-blocking on the event loop (a libuv pipe handle), never a blocking
 * `fs.read` on a thread-pool thread.
 *
 * The stream takes ownership of `fd`: closing the stream closes it. If
 * `openPipe` throws, `fd` is left open and still yours.
 *
 * @throws `TypeError`/`RangeError` for a bad `fd` or option; `ERR_INVALID_FD_TYPE`
 * (from Node) when `fd` is not a pipe, FIFO or socket.
 *
 * @example
 * ```ts
 * const fd = fs.openSync('/tmp/fifo', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
 * const stream = openPipe(fd, { direction: 'read' });
 * const line = await stream.readUntil('\n', { maxBytes: 4096 });
 * ```
 */
export function openPipe(fd: number, options: OpenPipeOptions = {}): IOStream {
  if (typeof fd !== 'number') throw new TypeError(`fd must be a number, got ${typeof fd}`);
  if (!Number.isInteger(fd) || fd < 0) throw new RangeError(`fd must be a non-negative integer, got ${fd}`);
  const { direction = 'read', ...streamOptions } = options;
  if (!DIRECTIONS.includes(direction))
    throw new TypeError(`direction must be 'read', 'write' or 'duplex', got ${String(direction)}`);
  // Node's own half-open handling stays off the stream's back: core decides when to end.
  const open = () =>
    new Socket({ fd, readable: direction !== 'write', writable: direction !== 'read', allowHalfOpen: true });
  return pipeStream(open, direction, streamOptions);
}
