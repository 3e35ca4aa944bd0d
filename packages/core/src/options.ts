/** Options accepted by {@link IOStream}, with Tornado's defaults. */
export interface IOStreamOptions {
  /**
   * Most bytes a read may need buffered before it fails with `StreamBufferFullError`
   * (and the stream closes). Default 104857600 (100 MiB).
   */
  maxBufferSize?: number;
  /**
   * How far core reads ahead while no read is pending, and the size of chunks
   * `for await` yields at most. Default 65536; never above `maxBufferSize / 2`.
   */
  readChunkSize?: number;
  /** Most bytes `write` may queue; a write past it rejects with `StreamBufferFullError`. Default unlimited. */
  maxWriteBufferSize?: number;
  /** `needsDrain` turns true when queued write bytes exceed this. Default 65536. */
  writeHighWaterMark?: number;
  /** `needsDrain` turns false, and `drained()` resolves, when queued write bytes fall to this. Default 32768. */
  writeLowWaterMark?: number;
  /** When true, EOF from the peer ends reading but leaves writing open until `end()` or `close()`. Default false. */
  allowHalfOpen?: boolean;
  /**
   * Coalesce small writes made in one turn. The first write of a turn goes to the transport at
   * once, as without this; writes made after it before the turn ends (a loop with no `await`
   * between them), up to 16 KiB together, are held until the turn's microtasks run and then
   * go over as one `writevToFd` (one system call, and over TLS one record). Nothing waits for
   * more writes to come: a held write waits only for the code running now to finish.
   * `close()`, `detach()` and a write that would pass the limit send what is held first.
   * Only over transports with `writevToFd` (elsewhere it changes nothing). Default true.
   */
  coalesceWrites?: boolean;
}

/** The names of every {@link IOStreamOptions} field, for transports that take them among their own options. */
export const STREAM_OPTION_KEYS = [
  'maxBufferSize',
  'readChunkSize',
  'maxWriteBufferSize',
  'writeHighWaterMark',
  'writeLowWaterMark',
  'allowHalfOpen',
  'coalesceWrites',
] as const satisfies readonly (keyof IOStreamOptions)[];

/** The `IOStream` options out of a larger options object (only those that are set). */
export function pickStreamOptions(options: IOStreamOptions): IOStreamOptions {
  const out: Record<string, unknown> = {};
  for (const key of STREAM_OPTION_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as IOStreamOptions;
}

/** Every option, defaults filled in. Read-only: streams with default options share one frozen object. */
export interface ResolvedOptions {
  readonly maxBufferSize: number;
  readonly readChunkSize: number;
  readonly maxWriteBufferSize: number;
  readonly writeHighWaterMark: number;
  readonly writeLowWaterMark: number;
  readonly allowHalfOpen: boolean;
  readonly coalesceWrites: boolean;
}

function positive(name: string, value: unknown, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  const ok = allowInfinity && value === Number.POSITIVE_INFINITY ? true : Number.isSafeInteger(value) && value > 0;
  if (!ok) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Validate options, throwing `TypeError`/`RangeError` for bad values, and fill in
 * defaults. Exported as `validateStreamOptions` so transports can reject bad
 * options before they open a socket, with the same errors the constructor throws.
 */
export function resolveOptions(options: IOStreamOptions = {}): ResolvedOptions {
  // Defaults only (what most streams have): one shared object, not one per stream. Each key by
  // name, not a loop over STREAM_OPTION_KEYS: a keyed load per key went megamorphic and cost a
  // server about a microsecond per accepted stream.
  if (
    options.maxBufferSize === undefined &&
    options.readChunkSize === undefined &&
    options.maxWriteBufferSize === undefined &&
    options.writeHighWaterMark === undefined &&
    options.writeLowWaterMark === undefined &&
    options.allowHalfOpen === undefined &&
    options.coalesceWrites === undefined
  )
    return DEFAULTS;
  return resolveGiven(options);
}

function resolveGiven(options: IOStreamOptions): ResolvedOptions {
  const maxBufferSize = positive('maxBufferSize', options.maxBufferSize, 104857600);
  const readChunkSize = Math.max(
    1,
    Math.min(positive('readChunkSize', options.readChunkSize, 65536), Math.floor(maxBufferSize / 2)),
  );
  const maxWriteBufferSize = positive('maxWriteBufferSize', options.maxWriteBufferSize, Number.POSITIVE_INFINITY, true);
  const writeHighWaterMark = positive('writeHighWaterMark', options.writeHighWaterMark, 65536);
  const low = options.writeLowWaterMark;
  let writeLowWaterMark: number;
  if (low === undefined) writeLowWaterMark = Math.floor(writeHighWaterMark / 2);
  else if (typeof low !== 'number') throw new TypeError(`writeLowWaterMark must be a number, got ${typeof low}`);
  else if (!Number.isSafeInteger(low) || low < 0 || low > writeHighWaterMark)
    throw new RangeError(`writeLowWaterMark must be an integer from 0 to writeHighWaterMark, got ${low}`);
  else writeLowWaterMark = low;
  const allowHalfOpen = options.allowHalfOpen ?? false;
  if (typeof allowHalfOpen !== 'boolean') throw new TypeError('allowHalfOpen must be a boolean');
  const coalesceWrites = options.coalesceWrites ?? true;
  if (typeof coalesceWrites !== 'boolean') throw new TypeError('coalesceWrites must be a boolean');
  return {
    maxBufferSize,
    readChunkSize,
    maxWriteBufferSize,
    writeHighWaterMark,
    writeLowWaterMark,
    allowHalfOpen,
    coalesceWrites,
  };
}

/** Every default, resolved once; frozen, as streams share it. */
const DEFAULTS: ResolvedOptions = Object.freeze(resolveGiven({}));
