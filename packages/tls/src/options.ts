import net from 'node:net';
import tls from 'node:tls';
import { STREAM_OPTION_KEYS } from '@iostream/core';
import { CONNECT_OPTION_KEYS, type ConnectTarget, LISTEN_OPTION_KEYS } from '@iostream/tcp';

/**
 * Node's TLS client settings (`tls.connect`'s options without the ones about where to
 * connect): `ca`, `cert`, `key`, `pfx`, `passphrase`, `servername`, `rejectUnauthorized`,
 * `checkServerIdentity`, `ALPNProtocols`, `minVersion`, `maxVersion`, `ciphers`,
 * `session`, `secureContext`, ….
 */
export type TlsClientSettings = Omit<
  tls.ConnectionOptions,
  'host' | 'port' | 'path' | 'socket' | 'lookup' | 'timeout' | 'requestCert' | 'SNICallback'
>;

/**
 * Node's TLS server settings (`tls.createServer`'s options without the ones about
 * sockets): `key`, `cert`, `ca`, `pfx`, `passphrase`, `requestCert`,
 * `rejectUnauthorized`, `SNICallback`, `ALPNProtocols`, `ALPNCallback`, `minVersion`,
 * `ciphers`, `sessionTimeout`, `ticketKeys`, ….
 */
export type TlsServerSettings = Omit<
  tls.TlsOptions,
  | 'allowHalfOpen'
  | 'pauseOnConnect'
  | 'noDelay'
  | 'keepAlive'
  | 'keepAliveInitialDelay'
  | 'highWaterMark'
  | 'handshakeTimeout'
>;

/** How long a handshake may take, and how to cancel it. */
export interface HandshakeOptions {
  /**
   * Give up if the handshake has not finished within this many milliseconds
   * (`HandshakeTimeoutError`). Client side (`connect`, `createConnection`, `startTls`):
   * default `DEFAULT_HANDSHAKE_TIMEOUT` (30 s) from the TCP connection, `Infinity` for no
   * limit. Server side (`startTls` with `serverSide`): default 120 s, as Node.
   */
  handshakeTimeout?: number;
  /** Abort the handshake; no effect once it is done. */
  signal?: AbortSignal;
}

/** Node's default `handshakeTimeout` for servers; used by `listen` and server-side `startTls`. */
export const SERVER_HANDSHAKE_TIMEOUT = 120_000;

/**
 * Keys of our own (or of net) that must not reach `tls.connect`/`tls.createServer` as TLS
 * settings: the stream's, tcp's `connect` and `listen` options (their lists are checked
 * complete where they are defined), and tls's own.
 */
const NOT_TLS = new Set<string>([
  ...STREAM_OPTION_KEYS,
  ...CONNECT_OPTION_KEYS,
  ...LISTEN_OPTION_KEYS,
  'handshakeTimeout',
  'serverSide',
  'socket',
  'path',
  'servername',
  'checkServerIdentity',
]);

/** Everything in `options` that is a TLS setting, to hand to Node. */
export function tlsSettings(options: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (!NOT_TLS.has(key) && value !== undefined) out[key] = value;
  return out;
}

/**
 * The name a client checks the server's certificate against: `servername`, else `host`.
 * Over a Unix domain socket there is no host name to go by, so `servername` is required
 * (`TypeError` without it) unless verification is off (`rejectUnauthorized: false`;
 * then `'localhost'`, the name Node itself falls back to).
 */
export function verificationName(
  options: { servername?: unknown; rejectUnauthorized?: unknown },
  target: ConnectTarget,
): string {
  const { servername } = options;
  if (servername !== undefined) {
    if (typeof servername !== 'string' || servername === '')
      throw new TypeError('servername must be a non-empty string');
    return servername;
  }
  if ('host' in target) return target.host;
  if (options.rejectUnauthorized === false) return 'localhost';
  throw new TypeError(
    'connect({ path }) needs servername, the name the server certificate must match (or rejectUnauthorized: false)',
  );
}

/**
 * Client-side verification settings for `tls.connect`: verification is on unless
 * `rejectUnauthorized` is exactly `false` (the `NODE_TLS_REJECT_UNAUTHORIZED`
 * environment variable does not turn it off). The certificate is checked against
 * `name`; a host name is also sent as SNI, an IP address is not (RFC 6066 forbids it).
 */
export function clientVerification(
  options: Pick<tls.ConnectionOptions, 'rejectUnauthorized' | 'checkServerIdentity'>,
  name: string,
): Pick<tls.ConnectionOptions, 'rejectUnauthorized' | 'checkServerIdentity' | 'servername'> {
  const check = options.checkServerIdentity ?? tls.checkServerIdentity;
  const out: Pick<tls.ConnectionOptions, 'rejectUnauthorized' | 'checkServerIdentity' | 'servername'> = {
    rejectUnauthorized: options.rejectUnauthorized !== false,
    checkServerIdentity: (_hostname, cert) => check(name, cert),
  };
  if (net.isIP(name) === 0) out.servername = name;
  return out;
}
