/**
 * A deterministic in-memory FdTransport for core's own tests. The test pushes
 * inbound chunks, EOF and errors, decides how many bytes writeToFd accepts, and
 * inspects what core did (writes, read-interest changes, closeFd calls...).
 *
 * Events are delivered synchronously from the test's own calls (push, pushEof,
 * fail, grant), never from inside a method core called, as the contract asks; the
 * one exception the contract allows, `released(n)` from inside `writeToFd` for the
 * bytes it takes, happens only with `releaseInWrite`.
 */
import { EOF, type FdTransport, IOStream, type IOStreamOptions, type TransportEvents } from '../../src/index.js';

type Method = 'readFromFd' | 'writeToFd' | 'closeFd' | 'setReadInterest' | 'shutdownWrite' | 'getFdError';

export interface ScriptOptions {
  /** How shutdownWrite behaves: absent, returns at once, or returns a promise the test settles. */
  shutdown?: 'none' | 'sync' | 'deferred';
  /** Bytes writeToFd accepts before it would block. Default unlimited. */
  writeCapacity?: number;
  /** Whether the transport implements setNoDelay. Default true. */
  noDelay?: boolean;
  /**
   * Retaining mode: `retainsWrites` is true and accepted bytes stay unreleased until
   * the test calls `release(n)` (as a zero-copy socket transport does). Default false.
   */
  retain?: boolean;
  /**
   * Retaining mode: report every accepted write released from inside `writeToFd`
   * (as a socket does when the kernel took the bytes before `write()` returned).
   * Can be switched later through the transport's `releaseInWrite`. Default false.
   */
  releaseInWrite?: boolean;
  fd?: number;
}

export class ScriptedTransport implements FdTransport {
  events: TransportEvents | null = null;
  /** Chunks (and EOF) not yet taken by core. */
  readonly inbound: (Uint8Array | typeof EOF)[] = [];
  readInterest = false;
  readonly interestChanges: boolean[] = [];
  /** Every argument core passed to writeToFd, as given. */
  readonly writeCalls: Uint8Array[] = [];
  /** Copies of the bytes accepted, in order. */
  readonly accepted: Buffer[] = [];
  /** Ordered record of notable calls: 'write', 'shutdown', 'closeFd', 'noDelay:true'... */
  readonly log: string[] = [];
  writeCapacity: number;
  readonly retainsWrites: boolean;
  /** Accepted bytes not yet released (retaining mode). */
  unreleased = 0;
  /** Retaining mode: release each accepted write from inside `writeToFd`. */
  releaseInWrite: boolean;
  readCalls = 0;
  bytesTaken = 0;
  closeFdCalls = 0;
  watchCalls = 0;
  fdError: Error | null = null;
  /** Methods that throw this error when core calls them. */
  readonly throwing = new Map<Method, unknown>();
  shutdownWrite?: () => void | Promise<void>;
  setNoDelay?: (on: boolean) => void;
  /** Settles the promise from a 'deferred' shutdownWrite. */
  shutdownSettle: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  private readonly fd: number;

  constructor(options: ScriptOptions = {}) {
    this.writeCapacity = options.writeCapacity ?? Number.POSITIVE_INFINITY;
    this.fd = options.fd ?? -1;
    this.retainsWrites = options.retain === true;
    this.releaseInWrite = options.releaseInWrite === true;
    const shutdown = options.shutdown ?? 'sync';
    if (shutdown !== 'none') {
      this.shutdownWrite = () => {
        this.maybeThrow('shutdownWrite');
        this.log.push('shutdown');
        if (shutdown === 'sync') return;
        return new Promise<void>((resolve, reject) => {
          this.shutdownSettle = { resolve, reject };
        });
      };
    }
    if (options.noDelay !== false) this.setNoDelay = (on) => this.log.push(`noDelay:${on}`);
  }

  // ---- driven by the test ----

  /** Queue inbound chunks, then tell core (if it wants bytes) that they are readable. */
  push(...chunks: (Uint8Array | string)[]): void {
    for (const c of chunks) this.inbound.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : Buffer.from(c));
    this.notify();
  }
  pushEof(): void {
    this.inbound.push(EOF);
    this.notify();
  }
  /** Fire readable() if core asked for reads. */
  notify(): void {
    if (this.readInterest) this.events?.readable();
  }
  /** Report a transport failure. */
  fail(error: Error): void {
    this.fdError = error;
    this.events?.error(error);
  }
  /** Let writeToFd accept `n` more bytes (Infinity = unlimited) and fire writable(). */
  grant(n: number): void {
    this.writeCapacity = n;
    this.events?.writable();
  }
  /** Retaining mode: report that `n` more accepted bytes are no longer needed. */
  release(n: number = this.unreleased): void {
    this.unreleased -= n;
    this.events?.released?.(n);
  }
  /** Everything core wrote, concatenated. */
  written(): Buffer {
    return Buffer.concat(this.accepted);
  }
  /** Bytes queued in the transport that core has not taken. */
  queuedBytes(): number {
    let n = 0;
    for (const c of this.inbound) if (c !== EOF) n += c.length;
    return n;
  }

  // ---- FdTransport ----

  fileno(): number {
    return this.fd;
  }
  readFromFd(): Uint8Array | null | typeof EOF {
    this.readCalls++;
    this.maybeThrow('readFromFd');
    const next = this.inbound[0];
    if (next === undefined) return null;
    if (next === EOF) return EOF;
    this.inbound.shift();
    this.bytesTaken += next.length;
    return next;
  }
  writeToFd(data: Uint8Array): number {
    this.maybeThrow('writeToFd');
    this.writeCalls.push(data);
    const n = Math.min(this.writeCapacity, data.length);
    this.writeCapacity -= n;
    if (n > 0) {
      if (this.retainsWrites) this.unreleased += n;
      this.accepted.push(Buffer.from(data.subarray(0, n)));
      this.log.push('write');
      if (this.retainsWrites && this.releaseInWrite) this.release(n);
    }
    return n;
  }
  closeFd(): void {
    this.closeFdCalls++;
    this.log.push('closeFd');
    this.maybeThrow('closeFd');
  }
  getFdError(): Error | null {
    this.maybeThrow('getFdError');
    return this.fdError;
  }
  watch(events: TransportEvents): void {
    this.watchCalls++;
    this.events = events;
  }
  setReadInterest(on: boolean): void {
    this.maybeThrow('setReadInterest');
    this.readInterest = on;
    this.interestChanges.push(on);
  }

  private maybeThrow(method: Method): void {
    if (this.throwing.has(method)) throw this.throwing.get(method);
  }
}

/** A stream over a fresh scripted transport. */
export function open(options?: IOStreamOptions, script?: ScriptOptions): { stream: IOStream; t: ScriptedTransport } {
  const t = new ScriptedTransport(script);
  const stream = new IOStream(t, options);
  return { stream, t };
}

/** One macrotask turn: every microtask queued so far (and their follow-ups) has run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether `p` has settled once the current turn's microtasks have run. Never depends on timing. */
export async function state(p: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  let s: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  p.then(
    () => {
      s = 'fulfilled';
    },
    () => {
      s = 'rejected';
    },
  );
  await tick();
  return s;
}

/** The rejection reason of `p` (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

export function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}
