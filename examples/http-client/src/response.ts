/**
 * Reading one HTTP/1.1 response off an `IOStream`: the status line and headers with
 * `readUntil('\r\n\r\n', { maxBytes })`, then the body by whichever framing the
 * response uses: `Content-Length` (`readBytes`), `Transfer-Encoding: chunked` (a
 * `readUntil` for each size line, a `readBytes` for each chunk), or neither (read
 * until the server closes). Each is a few awaited reads, not a state machine.
 */
import type { IOStream } from '@iostream/core';

/** A response that is not valid HTTP/1.x, or breaks a limit. The connection is closed. */
export class HttpProtocolError extends Error {
  override name = 'HttpProtocolError';
}

export interface HttpResponse {
  /** `'1.1'` or `'1.0'`. */
  httpVersion: string;
  status: number;
  reason: string;
  /** Header names in lower case; repeated headers joined with `', '` (`set-cookie` with `'\n'`). */
  headers: Record<string, string>;
  body: Buffer;
  /** How the body was framed. */
  framing: 'none' | 'content-length' | 'chunked' | 'until-close';
  /** Whether the connection may carry another request. */
  reusable: boolean;
}

export interface ReadResponseOptions {
  /** Most bytes of status line plus headers. Default 64 KiB. */
  maxHeaderBytes?: number;
  /** Largest body accepted. Default 64 MiB. */
  maxBodyBytes?: number;
  /** The request was HEAD: no body, whatever the headers say. */
  head?: boolean;
}

const CRLF = '\r\n';

/**
 * Read one response (skipping interim `1xx` responses). Rejects with
 * `UnsatisfiableReadError` when the headers exceed `maxHeaderBytes`, with
 * {@link HttpProtocolError} for malformed framing, and with `StreamClosedError` if
 * the connection ends early; in each case the stream is closed.
 */
export async function readResponse(stream: IOStream, options: ReadResponseOptions = {}): Promise<HttpResponse> {
  const maxHeaderBytes = options.maxHeaderBytes ?? 64 * 1024;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  for (;;) {
    const head = (await stream.readUntil('\r\n\r\n', { maxBytes: maxHeaderBytes })).toString('latin1');
    const lines = head.slice(0, -4).split(CRLF);
    const statusLine = /^HTTP\/(1\.[01]) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (statusLine === null) fail(stream, `bad status line ${JSON.stringify(lines[0])}`);
    const [, httpVersion = '', code = '', reason = ''] = statusLine;
    const status = Number(code);
    const headers = parseHeaders(stream, lines.slice(1));
    if (status >= 100 && status < 200 && status !== 101) continue; // 100 Continue, 103 Early Hints
    const response: HttpResponse = {
      httpVersion,
      status,
      reason,
      headers,
      body: Buffer.alloc(0),
      framing: 'none',
      reusable: keepsAlive(httpVersion, headers),
    };
    if (options.head || status === 204 || status === 304 || status === 101) return response;
    const te = headers['transfer-encoding']?.toLowerCase();
    if (te !== undefined) {
      if (te.split(',').at(-1)?.trim() !== 'chunked') fail(stream, `unsupported transfer-encoding ${te}`);
      response.framing = 'chunked';
      response.body = await readChunked(stream, maxBodyBytes);
    } else if (headers['content-length'] !== undefined) {
      const length = contentLength(stream, headers['content-length']);
      if (length > maxBodyBytes) fail(stream, `body of ${length} bytes exceeds maxBodyBytes`);
      response.framing = 'content-length';
      response.body = stream.tryReadBytes(length) ?? (await stream.readBytes(length));
    } else {
      response.framing = 'until-close';
      response.reusable = false;
      response.body = await readUntilClose(stream, maxBodyBytes);
    }
    return response;
  }
}

function fail(stream: IOStream, message: string): never {
  const error = new HttpProtocolError(message);
  stream.close(error);
  throw error;
}

function parseHeaders(stream: IOStream, lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /\s/.test(line.slice(0, colon))) fail(stream, `bad header line ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    const before = headers[name];
    headers[name] = before === undefined ? value : `${before}${name === 'set-cookie' ? '\n' : ', '}${value}`;
  }
  return headers;
}

function keepsAlive(httpVersion: string, headers: Record<string, string>): boolean {
  const tokens = (headers.connection ?? '')
    .toLowerCase()
    .split(',')
    .map((t) => t.trim());
  if (tokens.includes('close')) return false;
  return httpVersion === '1.1' || tokens.includes('keep-alive');
}

function contentLength(stream: IOStream, value: string): number {
  // Repeated identical values ("5, 5") are allowed by RFC 9110; different ones are not.
  const values = new Set(value.split(',').map((v) => v.trim()));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^\d{1,15}$/.test(only)) fail(stream, `bad content-length ${value}`);
  return Number(only);
}

/** `<hex size>[;extensions]\r\n<data>\r\n` … `0\r\n<trailers>\r\n`. */
async function readChunked(stream: IOStream, maxBodyBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    const line = (await stream.readUntil(CRLF, { maxBytes: 4096 })).toString('latin1');
    const size = /^([0-9a-fA-F]{1,12})(?:[ \t]*;.*)?\r\n$/.exec(line);
    if (size === null) fail(stream, `bad chunk size line ${JSON.stringify(line)}`);
    const n = Number.parseInt(size[1] ?? '', 16);
    if (n === 0) break;
    total += n;
    if (total > maxBodyBytes) fail(stream, `chunked body exceeds maxBodyBytes (${maxBodyBytes})`);
    parts.push(stream.tryReadBytes(n) ?? (await stream.readBytes(n)));
    const end = stream.tryReadBytes(2) ?? (await stream.readBytes(2));
    if (end.toString('latin1') !== CRLF) fail(stream, 'chunk data not followed by CRLF');
  }
  // Trailer fields, if any, up to the empty line. They are read and dropped.
  for (let trailers = 0; ; trailers++) {
    const line = await stream.readUntil(CRLF, { maxBytes: 8192 });
    if (line.length === 2) break;
    if (trailers > 100) fail(stream, 'too many trailer fields');
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total);
}

async function readUntilClose(stream: IOStream, maxBodyBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  await stream.readUntilClose({
    onChunk: (chunk) => {
      if (stream.closed()) return;
      total += chunk.length;
      parts.push(chunk);
      if (total > maxBodyBytes) stream.close(new HttpProtocolError(`body exceeds maxBodyBytes (${maxBodyBytes})`));
    },
  });
  // A clean EOF ends the body; a reset (or the limit above) means it is incomplete.
  if (stream.error !== null) throw stream.error;
  return Buffer.concat(parts, total);
}
