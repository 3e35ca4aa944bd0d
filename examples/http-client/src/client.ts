/**
 * A minimal HTTP/1.1 client with keep-alive: `http:` over `@iostream/tcp`, `https:`
 * over `@iostream/tls` (certificates verified). Idle connections are kept per origin
 * and reused; a reused connection that the server had already closed is replaced
 * transparently, once, for requests that are safe to repeat.
 */
import { type IOStream, StreamClosedError } from '@iostream/core';
import * as tcp from '@iostream/tcp';
import * as tls from '@iostream/tls';
import { type HttpResponse, type ReadResponseOptions, readResponse } from './response.js';

export interface HttpClientOptions extends ReadResponseOptions {
  /** CA certificates for `https:` (default: Node's bundled roots). */
  ca?: string | Buffer | (string | Buffer)[];
  /** Most idle connections kept per origin. Default 4. */
  maxIdlePerOrigin?: number;
  /** Milliseconds to wait for a connection (and TLS handshake). Default 10000. */
  connectTimeout?: number;
  /** `'1.1'` (default) or `'1.0'` (no keep-alive, no chunked responses). */
  httpVersion?: '1.1' | '1.0';
}

export interface HttpRequest {
  /** `http://host:port/path?query` or `https://…`. */
  url: string | URL;
  /** Default `'GET'`. */
  method?: string;
  /** Extra request headers. `Host` and `Content-Length` are set for you. */
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
}

/** What a request resolves with: the response, plus which connection carried it. */
export interface HttpResult extends HttpResponse {
  /** Whether the request went over a kept-alive connection. */
  reused: boolean;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export class HttpClient {
  private readonly idle = new Map<string, IOStream[]>();
  private readonly options: HttpClientOptions;
  /** How many connections this client opened, for tests and logs. */
  connectionsOpened = 0;

  constructor(options: HttpClientOptions = {}) {
    this.options = options;
  }

  /**
   * Send a request and read the whole response. Rejects with `StreamClosedError`
   * when the connection fails (`realError`: why), with `UnsatisfiableReadError` when
   * the headers exceed `maxHeaderBytes`, and with `HttpProtocolError` for a malformed
   * response.
   *
   * @example
   * ```ts
   * const http = new HttpClient();
   * const res = await http.request({ url: 'http://127.0.0.1:8080/hello' });
   * console.log(res.status, res.headers['content-type'], res.body.toString());
   * http.close();
   * ```
   */
  async request(request: HttpRequest): Promise<HttpResult> {
    const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`unsupported URL ${url.href}`);
    const method = (request.method ?? 'GET').toUpperCase();
    const origin = `${url.protocol}//${url.host}`;
    const data = this.encode(url, method, request);

    const pooled = this.takeIdle(origin);
    if (pooled !== null) {
      try {
        return { ...(await this.exchange(pooled, origin, method, data)), reused: true };
      } catch (error) {
        // The server closed the idle connection before reading our request: try a fresh one.
        if (!(error instanceof StreamClosedError) || !IDEMPOTENT.has(method) || pooled.readableLength > 0) throw error;
      }
    }
    const stream = await this.connect(url, request.signal);
    return { ...(await this.exchange(stream, origin, method, data)), reused: false };
  }

  /** Close every idle connection. */
  close(): void {
    for (const streams of this.idle.values()) for (const s of streams) s.close();
    this.idle.clear();
  }

  private encode(url: URL, method: string, request: HttpRequest): Uint8Array[] {
    const version = this.options.httpVersion ?? '1.1';
    const headers: Record<string, string> = { host: url.host, ...lower(request.headers ?? {}) };
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    if (body !== undefined || method === 'POST' || method === 'PUT')
      headers['content-length'] = String(body?.length ?? 0);
    if (version === '1.0') headers.connection = 'close';
    let head = `${method} ${url.pathname}${url.search} HTTP/${version}\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      if (/[\r\n]/.test(name + value)) throw new TypeError(`header ${name} contains a line break`);
      head += `${name}: ${value}\r\n`;
    }
    const chunks: Uint8Array[] = [Buffer.from(`${head}\r\n`, 'latin1')];
    if (body !== undefined && body.length > 0) chunks.push(body);
    return chunks;
  }

  private async exchange(stream: IOStream, origin: string, method: string, data: Uint8Array[]): Promise<HttpResponse> {
    try {
      // Written and read concurrently: a server may answer before it read the whole body.
      const sent = stream.write(data);
      const response = await readResponse(stream, { ...this.options, head: method === 'HEAD' });
      await sent;
      if (response.reusable && (this.options.httpVersion ?? '1.1') === '1.1') this.putIdle(origin, stream);
      else stream.close();
      return response;
    } catch (error) {
      stream.close();
      throw error;
    }
  }

  private async connect(url: URL, signal: AbortSignal | undefined): Promise<IOStream> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const secure = url.protocol === 'https:';
    const port = Number(url.port || (secure ? 443 : 80));
    const timeout = this.options.connectTimeout ?? 10_000;
    const common = { host, port, timeout, noDelay: true, ...(signal ? { signal } : {}) };
    const stream = secure
      ? await tls.connect({
          ...common,
          handshakeTimeout: timeout,
          ALPNProtocols: ['http/1.1'],
          ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
        })
      : await tcp.connect(common);
    this.connectionsOpened++;
    return stream;
  }

  private takeIdle(origin: string): IOStream | null {
    const streams = this.idle.get(origin);
    for (let s = streams?.pop(); s !== undefined; s = streams?.pop()) {
      if (!s.closed() && s.readableLength === 0) {
        s.setCloseCallback(null);
        return s;
      }
      s.close();
    }
    return null;
  }

  private putIdle(origin: string, stream: IOStream): void {
    const streams = this.idle.get(origin) ?? [];
    this.idle.set(origin, streams);
    if (streams.length >= (this.options.maxIdlePerOrigin ?? 4)) {
      stream.close();
      return;
    }
    streams.push(stream);
    // Forget it if the server closes it while idle.
    stream.setCloseCallback(() => {
      const at = streams.indexOf(stream);
      if (at >= 0) streams.splice(at, 1);
    });
  }
}

function lower(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
