/** Argument checks shared by tcp's and tls's connect and listen: bad input throws at once. */

/** A port number: 1-65535, or 0 too (any free port) where `allowZero`. */
export function checkPort(value: unknown, allowZero: boolean): number {
  if (typeof value !== 'number') throw new TypeError(`port must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > 65535)
    throw new RangeError(`port must be an integer from ${allowZero ? 0 : 1} to 65535, got ${value}`);
  return value;
}

/** A Unix domain socket path: a non-empty string. */
export function checkPath(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`path must be a string, got ${typeof value}`);
  if (value === '') throw new TypeError('path must not be empty');
  return value;
}

/** Where to connect: a Unix domain socket, or a TCP host and port. */
export type ConnectTarget = { path: string } | { host: string; port: number };

/** Where to listen: a Unix domain socket, or TCP (no host: every interface). */
export type ListenTarget = { path: string } | { host?: string; port: number };

/** Options that only mean something over TCP, so giving them with `path` is a mistake. */
const TCP_CONNECT_ONLY = ['host', 'port', 'family', 'localAddress', 'localPort', 'lookup'] as const;
const TCP_LISTEN_ONLY = ['host', 'port', 'ipv6Only'] as const;

/**
 * Where `connect` goes: `{ path }`, or `{ host, port }` (host default `'localhost'`).
 * Throws `TypeError` when `path` comes with a TCP-only option (`host`, `port`,
 * `family`, `localAddress`, `localPort`, `lookup`), and as {@link checkPort} does.
 */
export function checkConnectTarget(given: object): ConnectTarget {
  const options = given as Record<string, unknown>;
  if (options.path === undefined) {
    const host = options.host ?? 'localhost';
    if (typeof host !== 'string') throw new TypeError(`host must be a string, got ${typeof host}`);
    return { host, port: checkPort(options.port, false) };
  }
  rejectWithPath(options, TCP_CONNECT_ONLY);
  return { path: checkPath(options.path) };
}

/** Where `listen` binds: `{ path }`, or `{ host?, port }` (port default 0). Throws as {@link checkConnectTarget}. */
export function checkListenTarget(given: object): ListenTarget {
  const options = given as Record<string, unknown>;
  if (options.path === undefined) {
    const port = checkPort(options.port ?? 0, true);
    if (options.host === undefined) return { port };
    if (typeof options.host !== 'string') throw new TypeError(`host must be a string, got ${typeof options.host}`);
    return { host: options.host, port };
  }
  rejectWithPath(options, TCP_LISTEN_ONLY);
  return { path: checkPath(options.path) };
}

function rejectWithPath(options: Record<string, unknown>, tcpOnly: readonly string[]): void {
  const given = tcpOnly.filter((key) => options[key] !== undefined);
  if (given.length > 0)
    throw new TypeError(`path (a Unix domain socket) cannot be combined with ${given.join(', ')} (TCP only)`);
}

/** Node's timers hold at most 2^31 - 1 ms; a longer one fires after 1 ms, with a warning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A positive number of milliseconds named `name`, at most {@link MAX_TIMER_MS}, or `undefined`. */
export function checkTimeout(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  if (value > MAX_TIMER_MS) throw new RangeError(`${name} must be at most ${MAX_TIMER_MS} ms, got ${value}`);
  return value;
}

/** An `AbortSignal`, or `undefined`. */
export function checkSignal(value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  return value;
}
