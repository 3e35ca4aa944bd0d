/**
 * What every compliance test file shares: the harness types, a per-test pair
 * that is always closed and torn down, and small helpers that wait for
 * conditions (never for fixed delays) so the suite holds over real sockets.
 */
import { createHash } from 'node:crypto';
import type { IOStream, IOStreamOptions } from '@iostream/core';
import { afterEach } from 'vitest';
import { nextTurn as turn, waitFor } from '../waiting.js';

export interface CompliancePair {
  /** Bytes written to `a` are read from `b` (and, when the harness is duplex, the reverse). */
  a: IOStream;
  b: IOStream;
}

export interface ComplianceHarness {
  /** Make a fresh connected pair; both streams are created with `options`. */
  setup(options: IOStreamOptions): Promise<CompliancePair>;
  /** Release anything setup made that the streams' close() does not (servers, children). */
  teardown?(): Promise<void>;
  /** b -> a also carries bytes. Default true. Pipes are one-way: false. */
  duplex?: boolean;
  /** a.end() half-closes: b sees EOF while b can still write to a. Default true (needs duplex). */
  halfClose?: boolean;
}

/** What each test file receives: `open()` a pair for the current test, plus the harness's capabilities. */
export interface Suite {
  open(options?: IOStreamOptions): Promise<CompliancePair>;
  readonly duplex: boolean;
  readonly halfClose: boolean;
}

/** Per-test timeouts: generous, since the suite also runs over TLS on slow machines. */
export const SHORT = { timeout: 10_000 };
export const LONG = { timeout: 60_000 };

/**
 * Register the afterEach that closes every pair the test opened and calls
 * `teardown`, and return the {@link Suite} handed to the test files.
 */
export function useHarness(harness: ComplianceHarness): Suite {
  const duplex = harness.duplex ?? true;
  const halfClose = duplex && (harness.halfClose ?? true);
  let open: CompliancePair[] = [];
  let setUp = false;
  afterEach(async () => {
    const pairs = open;
    open = [];
    for (const { a, b } of pairs) {
      a.close();
      b.close();
    }
    if (setUp) {
      setUp = false;
      await harness.teardown?.();
    }
  });
  return {
    duplex,
    halfClose,
    async open(options: IOStreamOptions = {}) {
      setUp = true;
      const pair = await harness.setup(options);
      open.push(pair);
      return pair;
    },
  };
}

/** One event-loop turn, the rejection of a promise, and bounded waiting (the package's own helpers). */
export { nextTurn as turn, rejectionOf as rejection, waitFor } from '../waiting.js';

/** Resolve once `stream` has taken at least `n` bytes into its read buffer (so a peer's abortive close cannot lose them). */
export function arrived(stream: IOStream, n: number): Promise<void> {
  return waitFor(() => stream.readableLength >= n, `the reader buffered ${n} bytes`);
}

/** Observe a promise without awaiting it now: its outcome, and no unhandled rejection. */
export interface Observed<T> {
  readonly promise: Promise<T>;
  settled: boolean;
  value: T | undefined;
  error: unknown;
}

export function observe<T>(promise: Promise<T>): Observed<T> {
  const o: Observed<T> = { promise, settled: false, value: undefined, error: undefined };
  promise.then(
    (value) => {
      o.settled = true;
      o.value = value;
    },
    (error: unknown) => {
      o.settled = true;
      o.error = error;
    },
  );
  return o;
}

/** Fire-and-forget a write (or anything) whose rejection the test does not care about. */
export function background(promise: Promise<unknown>): void {
  promise.catch(() => {});
}

export function sha256(data: Uint8Array | readonly Uint8Array[]): string {
  const h = createHash('sha256');
  if (data instanceof Uint8Array) h.update(data);
  else for (const chunk of data) h.update(chunk);
  return h.digest('hex');
}

/** `n` bytes of a repeating, position-dependent pattern: misordered or lost bytes show. */
export function pattern(n: number, offset = 0): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = (offset + i) % 251;
  return out;
}

/** Read exactly `n` bytes from `stream` in reads of at most `step`, yielding a turn between reads. */
export async function readSlowly(stream: IOStream, n: number, step: number, onRead?: () => void): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  while (got < n) {
    const part = await stream.readBytes(Math.min(step, n - got));
    parts.push(part);
    got += part.length;
    onRead?.();
    await turn();
  }
  return Buffer.concat(parts);
}
