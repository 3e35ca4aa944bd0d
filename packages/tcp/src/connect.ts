import net from 'node:net';
import {
  IOStream,
  type IOStreamOptions,
  pickStreamOptions,
  StreamClosedError,
  validateStreamOptions,
} from '@iostream/core';
import { ConnectWatch } from './connect-watch.js';
import { SocketClosedError } from './errors.js';
import { checkConnectTarget, checkSignal, checkTimeout } from './options.js';
import { SlabReader } from './slab-reader.js';
import { pickSocketOptions } from './socket-options.js';
import { SocketTransport } from './socket-transport.js';

/**
 * Options for {@link connect} and {@link createConnection}: where to connect (`host`
 * and `port`, or a Unix domain socket's `path`), socket settings, and every
 * `IOStream` option.
 */
export interface ConnectOptions extends IOStreamOptions {
  /** Host name or IP address. Default `'localhost'`. TCP only. */
  host?: string;
  /** Port to connect to, 1–65535. Required unless `path` is given. */
  port?: number;
  /**
   * Connect to the Unix domain socket at this path instead of TCP. Not with `host`,
   * `port`, `family`, `localAddress`, `localPort` or `lookup` (`TypeError`);
   * `noDelay` and `keepAlive` have no effect on a Unix socket.
   */
  path?: string;
  /** IP family to resolve `host` to: `4`, `6`, or `0` for either. Default `0`. */
  family?: 0 | 4 | 6;
  /** Local address to connect from. */
  localAddress?: string;
  /** Local port to connect from. */
  localPort?: number;
  /** Disable Nagle's algorithm from the start (see also `stream.setNoDelay()`). Default `false`. */
  noDelay?: boolean;
  /** Enable TCP keep-alive probes. Default `false`. */
  keepAlive?: boolean;
  /** Milliseconds before the first keep-alive probe, with `keepAlive`. Default: the system's. */
  keepAliveInitialDelay?: number;
  /** Custom name lookup, as in `net.connect` (default `dns.lookup`). */
  lookup?: net.LookupFunction;
  /** Give up if the connection is not established within this many milliseconds (name lookup included). */
  timeout?: number;
  /** Abort the connection attempt. Has no effect once connected. */
  signal?: AbortSignal;
}

/** A stream whose connection is still being established; see {@link createConnection}. */
export interface PendingConnection {
  /** The stream, usable at once: writes queue until the connection is established. */
  stream: IOStream;
  /**
   * Resolves with `stream` once connected, before any queued write resolves.
   * Rejects with `StreamClosedError` (`realError`: the system error, a
   * `ConnectTimeoutError`, or an `AbortError`) and the stream is closed. Its
   * rejection is marked handled: ignoring it is safe, the stream reports the error.
   */
  connected: Promise<IOStream>;
}

/**
 * Start connecting and return the stream at once (Tornado's write-while-connecting).
 * Writes made before the connection is established queue in the stream and are sent
 * after it; `connected` settles before any of them resolves. If the connection
 * fails, `connected` rejects, the queued writes reject with `StreamClosedError`
 * carrying the same `realError`, and the socket is destroyed.
 *
 * Throws `TypeError`/`RangeError` at once for invalid options.
 *
 * @example
 * ```ts
 * const { stream, connected } = createConnection({ host: 'example.com', port: 80 });
 * const sent = stream.write('GET / HTTP/1.0\r\nHost: example.com\r\n\r\n');
 * await connected;
 * await sent;
 * const head = await stream.readUntil('\r\n\r\n', { maxBytes: 65536 });
 * ```
 */
export function createConnection(options: ConnectOptions): PendingConnection {
  const target = checkConnectTarget(options);
  const timeout = checkTimeout('timeout', options.timeout);
  const signal = checkSignal(options.signal);
  const ioOptions = pickStreamOptions(options);
  validateStreamOptions(ioOptions);

  // Node reads into the reader's slabs (no Buffer per read); see SlabReader.
  const reader = new SlabReader();
  const socket = net.connect({ ...pickSocketOptions(options), ...target, onread: reader.onread() });
  // Made before the transport, so its socket listeners, and with them `connected`, settle first.
  const watch = new ConnectWatch(socket, {
    readyEvent: 'connect',
    connectTimeout: timeout,
    signal,
    // Closed by the stream's owner (stream.close()): the stream says why, else someone else did.
    closeReason: () => (stream.closed() ? stream.error : new SocketClosedError()),
  });
  const connected = new Promise<IOStream>((resolve, reject) =>
    watch.subscribe((ok, error) => {
      if (ok) resolve(stream);
      else {
        reject(new StreamClosedError(error));
        stream.close(error);
      }
    }),
  );
  connected.catch(() => {});
  const stream = new IOStream(new SocketTransport(socket, { reader }), ioOptions);
  return { stream, connected };
}

/**
 * Connect to `host:port` (or the Unix domain socket at `path`) and resolve with a
 * connected `IOStream`.
 *
 * Rejects with core's `StreamClosedError` whose `realError` says why: the system
 * error (`code` `ECONNREFUSED`, `ENOTFOUND`, `EAI_AGAIN`, `ENETUNREACH`; for a
 * `path`, `ENOENT`, `ECONNREFUSED` (nobody listens), `EACCES`, …), a
 * {@link ConnectTimeoutError} (`ETIMEDOUT`) after `timeout`, or core's `AbortError`
 * when `signal` aborts. No socket is left behind. Throws `TypeError`/`RangeError`
 * at once for invalid options.
 *
 * @example
 * ```ts
 * const stream = await connect({ host: '127.0.0.1', port: 8080, timeout: 5000 });
 * await stream.write('ping\n');
 * const reply = await stream.readUntil('\n', { maxBytes: 1024 });
 * ```
 */
export function connect(options: ConnectOptions): Promise<IOStream> {
  return createConnection(options).connected.then((stream) => stream);
}
