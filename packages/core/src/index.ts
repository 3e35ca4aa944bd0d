/**
 * @packageDocumentation
 * `@iostream/core`: Tornado's `IOStream` model for Node.js. One buffered stream
 * object with exact read modes (`readBytes`, `readUntil`, `readUntilRegex`,
 * `readUntilClose`, `readInto`, `readFrame` for length-prefixed messages, and
 * the synchronous `tryRead*` fast path),
 * `write` with completion and backpressure, and precise close and error
 * semantics, over any {@link FdTransport}. Core imports no `net`, `tls` or
 * `child_process`: transports live in their own packages.
 */

export { asError } from './as-error.js';
export { type BrandedErrorClass, brandedError } from './branded-error.js';
export { bufferView } from './buffer-view.js';
export { DuplexTransport, fromDuplex } from './duplex-transport.js';
export {
  AbortError,
  AlreadyReadingError,
  IOStreamError,
  type IOStreamErrorCode,
  StreamBufferFullError,
  StreamClosedError,
  StreamNotIdleError,
  UnsatisfiableReadError,
} from './errors.js';
export {
  type Bytes,
  IOStream,
  type ReadBytesOptions,
  type ReadFrameOptions,
  type ReadIntoOptions,
  type ReadOptions,
  type ReadUntilCloseOptions,
  type ReadUntilOptions,
} from './iostream.js';
export {
  type IOStreamOptions,
  pickStreamOptions,
  type ResolvedOptions,
  resolveOptions as validateStreamOptions,
  STREAM_OPTION_KEYS,
} from './options.js';
export type { FrameFormat } from './read-frame.js';
export { type CallbackWritable, RetainedWrites, type RetainedWritesOptions } from './retained-writes.js';
export { EOF, type FdTransport, type TransportEvents } from './transport.js';
