import type net from 'node:net';
import type { ConnectOptions } from './connect.js';

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
