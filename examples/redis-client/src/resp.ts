/**
 * RESP2, the Redis serialization protocol, over an `IOStream`: commands are arrays of
 * bulk strings; replies are read with `readUntil('\r\n', { maxBytes })` for the type
 * line and `readBytes(n + 2)` for a bulk string's payload, so values are binary-safe
 * and no parser state machine is needed: the code reads like the protocol spec.
 */
import type { IOStream } from '@iostream/core';

/** An error reply (`-ERR …`, `-WRONGTYPE …`). `code` is its first word. */
export class RedisError extends Error {
  override name = 'RedisError';
  /** The first word of the reply: `ERR`, `WRONGTYPE`, `NOSCRIPT`, …. */
  readonly code: string;
  constructor(message: string) {
    super(message);
    this.code = message.split(' ', 1)[0] ?? '';
  }
}

/** A malformed reply: the connection cannot be trusted any more and is closed. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/**
 * A reply: simple strings as `string`, bulk strings as `Buffer` (binary-safe), integers as
 * `number` (or `bigint` beyond 2^53), nulls (`$-1`, `*-1`) as `null`, arrays as arrays,
 * and error replies inside arrays (e.g. from `EXEC`) as {@link RedisError} values.
 */
export type RedisReply = string | number | bigint | Buffer | null | RedisError | RedisReply[];

/** A command argument: bytes, text (UTF-8) or a number. */
export type RedisArg = Uint8Array | string | number;

const CRLF = Buffer.from('\r\n');

/**
 * Encode one command as RESP2 (`*<n>\r\n`, then `$<len>\r\n<bytes>\r\n` per argument)
 * and append it to `out` as few chunks: text arguments are merged into one string,
 * byte arguments are passed through uncopied.
 */
export function encodeCommand(args: readonly RedisArg[], out: Uint8Array[] = []): Uint8Array[] {
  let text = `*${args.length}\r\n`;
  for (const arg of args) {
    if (typeof arg === 'string' || typeof arg === 'number') {
      const s = String(arg);
      text += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
    } else {
      out.push(Buffer.from(`${text}$${arg.length}\r\n`), arg);
      text = '\r\n';
    }
  }
  out.push(Buffer.from(text));
  return out;
}

export interface ReadReplyOptions {
  /** Longest type line (`+…`, `-…`, `:…`, `$n`, `*n`), CRLF included. Default 64 KiB. */
  maxLineBytes?: number;
  /** Largest bulk string accepted. Default 512 MiB, Redis's own limit (the stream's `maxBufferSize` must allow it too). */
  maxBulkBytes?: number;
}

/**
 * Read one reply from `stream`. Rejects with `StreamClosedError` if the connection
 * ends first, with `UnsatisfiableReadError` for an over-long line, and with
 * {@link ProtocolError} for anything that is not RESP2 (closing the stream).
 * Error replies resolve as {@link RedisError} values; the caller decides to throw.
 */
export async function readReply(stream: IOStream, options: ReadReplyOptions = {}): Promise<RedisReply> {
  const maxLine = options.maxLineBytes ?? 64 * 1024;
  // The synchronous fast path first: in a pipeline most replies are already buffered.
  const line =
    stream.tryReadUntil(CRLF, { maxBytes: maxLine }) ?? (await stream.readUntil(CRLF, { maxBytes: maxLine }));
  const type = line[0];
  const text = line.toString('latin1', 1, line.length - 2);
  switch (type) {
    case 0x2b: // '+'
      return line.toString('utf8', 1, line.length - 2);
    case 0x2d: // '-'
      return new RedisError(line.toString('utf8', 1, line.length - 2));
    case 0x3a: // ':'
      return integer(stream, text);
    case 0x24: {
      // '$'
      const length = count(stream, text);
      if (length < 0) return null;
      if (length > (options.maxBulkBytes ?? 512 * 1024 * 1024))
        fail(stream, `bulk string of ${length} bytes is too large`);
      const body = stream.tryReadBytes(length + 2) ?? (await stream.readBytes(length + 2));
      if (body[length] !== 0x0d || body[length + 1] !== 0x0a) fail(stream, 'bulk string not followed by CRLF');
      return body.subarray(0, length);
    }
    case 0x2a: {
      // '*'
      const n = count(stream, text);
      if (n < 0) return null;
      const items: RedisReply[] = [];
      for (let i = 0; i < n; i++) items.push(await readReply(stream, options));
      return items;
    }
    default:
      return fail(stream, `unexpected reply type ${JSON.stringify(String.fromCharCode(type ?? 0))}`);
  }
}

function fail(stream: IOStream, message: string): never {
  const error = new ProtocolError(message);
  stream.close(error);
  throw error;
}

function integer(stream: IOStream, text: string): number | bigint {
  if (!/^-?\d+$/.test(text)) fail(stream, `bad integer ${JSON.stringify(text)}`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

function count(stream: IOStream, text: string): number {
  if (!/^-?\d+$/.test(text) || Number(text) < -1) fail(stream, `bad length ${JSON.stringify(text)}`);
  return Number(text);
}
