import type net from 'node:net';
import type { IOStreamOptions } from '@iostream/core';
import type { ConnectOptions } from './connect.js';
import type { ListenOptions } from './listen.js';

/**
 * The keys of {@link ConnectOptions} that are passed to Node's socket as they are
 * (`net.connect`, and `tls.connect` in `@iostream/tls`). One list, so a transport built
 * on these sockets forwards the same ones and can tell them apart from its own.
 */
export const SOCKET_OPTION_KEYS = [
  'family',
  'localAddress',
  'localPort',
  'noDelay',
  'keepAlive',
  'keepAliveInitialDelay',
  'lookup',
] as const satisfies readonly (keyof ConnectOptions & keyof net.TcpNetConnectOpts)[];

export type SocketOptionKey = (typeof SOCKET_OPTION_KEYS)[number];

/** The socket options set in `options`, for Node's `connect` (unset ones left out). */
export function pickSocketOptions(
  options: Partial<Pick<ConnectOptions, SocketOptionKey>>,
): Partial<net.TcpNetConnectOpts> {
  const out: Partial<Record<SocketOptionKey, unknown>> = {};
  for (const key of SOCKET_OPTION_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as Partial<net.TcpNetConnectOpts>;
}

/** Every option of `connect` that is not a stream option: what a wrapper must not pass on as its own. */
export const CONNECT_OPTION_KEYS = [
  'host',
  'port',
  'path',
  'timeout',
  'signal',
  ...SOCKET_OPTION_KEYS,
] as const satisfies readonly (keyof ConnectOptions)[];

/** Every option of `listen` that is not a stream option. */
export const LISTEN_OPTION_KEYS = [
  'host',
  'port',
  'path',
  'backlog',
  'ipv6Only',
  'noDelay',
  'keepAlive',
  'onError',
  'idleTimeout',
] as const satisfies readonly (keyof ListenOptions)[];

// Compile-time check that the lists are complete: an option added to ConnectOptions or
// ListenOptions but not to its list fails to compile here.
type Unlisted<O, Keys extends readonly unknown[]> = Exclude<keyof O, Keys[number] | keyof IOStreamOptions>;
const connectKeysComplete: [Unlisted<ConnectOptions, typeof CONNECT_OPTION_KEYS>] extends [never] ? true : never = true;
const listenKeysComplete: [Unlisted<ListenOptions, typeof LISTEN_OPTION_KEYS>] extends [never] ? true : never = true;
void connectKeysComplete;
void listenKeysComplete;
