/**
 * @packageDocumentation
 * `@iostream/pipe`: Tornado's `PipeIOStream` for Node. {@link openPipe} opens an
 * `IOStream` over a pipe or FIFO descriptor, and {@link fromChildProcess} wraps a
 * spawned child's stdin, stdout and stderr. Reads and writes are non-blocking on
 * the event loop (libuv pipe handles); a child that exits closes its streams
 * cleanly, and writing to it then rejects with `StreamClosedError` (`EPIPE`).
 */
export { type ChildStreams, fromChildProcess } from './child-process.js';
export { PipeError, type PipeErrorCode, PipeFailedError } from './errors.js';
export { type OpenPipeOptions, openPipe } from './open-pipe.js';
export { type PipeDirection, PipeTransport } from './pipe-transport.js';
