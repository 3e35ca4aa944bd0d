import type { ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import type { IOStream, IOStreamOptions } from '@iostream/core';
import { pipeStream } from './pipe-stream.js';
import type { PipeDirection } from './pipe-transport.js';

/** The streams {@link fromChildProcess} makes: one for each of the child's piped stdio. */
export interface ChildStreams {
  /** Write-only: `end()` sends EOF to the child; writes after it exited reject with `StreamClosedError` (`EPIPE`). */
  stdin?: IOStream;
  /** Read-only: closes at the child's EOF (normally, when it exits); buffered output stays readable. */
  stdout?: IOStream;
  /** Read-only, like `stdout`. */
  stderr?: IOStream;
}

/**
 * Wrap a spawned child's piped stdio (`stdio: 'pipe'`, Node's default) in
 * {@link IOStream}s. Streams that are not pipes (`'inherit'`, `'ignore'`, a
 * file descriptor) are left out. Hand the child over before reading from or
 * writing to its stdio yourself; from then on the streams own those sockets
 * (closing a stream destroys its socket), and they absorb the sockets'
 * `'error'` events (such as `EPIPE`) into the stream's `error`.
 *
 * @param options `IOStream` options applied to each stream.
 * @throws `TypeError` if a stdio stream is there but is neither a socket nor a stream
 *   (Bun's stdio are plain `Writable`/`Readable` streams, driven the same way).
 *
 * @example
 * ```ts
 * const { stdin, stdout } = fromChildProcess(spawn('sort'));
 * await stdin!.write('b\na\n');
 * await stdin!.end();
 * const sorted = await stdout!.readUntilClose();
 * ```
 */
export function fromChildProcess(child: ChildProcess, options: IOStreamOptions = {}): ChildStreams {
  const streams: ChildStreams = {};
  const stdin = wrap('stdin', child.stdin, 'write', options);
  const stdout = wrap('stdout', child.stdout, 'read', options);
  const stderr = wrap('stderr', child.stderr, 'read', options);
  if (stdin) streams.stdin = stdin;
  if (stdout) streams.stdout = stdout;
  if (stderr) streams.stderr = stderr;
  return streams;
}

function wrap(name: string, stdio: unknown, direction: PipeDirection, options: IOStreamOptions): IOStream | null {
  if (stdio === null || stdio === undefined) return null;
  if (!(stdio instanceof Socket) && !isStdioStream(stdio, direction))
    throw new TypeError(`child.${name} is not a pipe socket or stream`);
  // PipeTransport uses only the stream methods of a socket, so a plain stream drives the same way.
  return pipeStream(() => stdio as Socket, direction, options);
}

/**
 * Bun hands a child's stdio out as a plain `Writable` (stdin) or `Readable` (stdout,
 * stderr), not a `net.Socket`: accept a stream with the methods its direction needs.
 */
function isStdioStream(stdio: unknown, direction: PipeDirection): boolean {
  if (typeof stdio !== 'object' || stdio === null) return false;
  const s = stdio as Record<string, unknown>;
  const has = (...names: string[]) => names.every((name) => typeof s[name] === 'function');
  if (!has('on', 'destroy')) return false;
  return direction === 'write' ? has('write', 'end') : has('pause', 'resume');
}
