import type { Measurement } from '../protocol.js';

/** Start timing the measured section; the returned function stops it and reports. */
export function startClock(): (units: number, bytes: number) => void {
  const clock = startBulkClock(Number.POSITIVE_INFINITY);
  return clock.stop;
}

/** A clock for a receiver of `count` bytes that also times the second half of them. */
export interface BulkClock {
  /**
   * The bytes received so far, after each read: the first call at or past half of
   * `count` starts the second-half clock. A compare per read, the same in every contender.
   */
  seen(bytes: number): void;
  /** Stop the clock and report, with the second half when it was reached. */
  stop(units: number, bytes: number): void;
}

/** Calls of `seen` before a bulk clock starts: past V8's bytecode budget for allocating feedback. */
const WARM_CALLS = 1000;

/**
 * {@link startClock} for bulk receivers: besides the whole section, the CPU spent on the
 * bytes after the first half of `count` (see `Measurement.secondHalf`).
 */
export function startBulkClock(count: number): BulkClock {
  let cpu0 = process.cpuUsage();
  let t0 = process.hrtime.bigint();
  let half = 0;
  let cpuAtHalf: NodeJS.CpuUsage | null = null;
  let bytesAtHalf = 0;
  const clock: BulkClock = {
    seen(bytes) {
      if (cpuAtHalf !== null || bytes < half) return;
      cpuAtHalf = process.cpuUsage();
      bytesAtHalf = bytes;
    },
    stop(units, bytes) {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      // One reading for both spans, so the second half can never come out longer than the whole.
      const now = process.cpuUsage();
      const m: Measurement = {
        wallMs,
        cpuMs: cpuMsBetween(cpu0, now),
        maxRssKiB: process.resourceUsage().maxRSS,
        units,
        bytes,
      };
      if (cpuAtHalf !== null && bytes > bytesAtHalf)
        m.secondHalf = { cpuMs: cpuMsBetween(cpuAtHalf, now), bytes: bytes - bytesAtHalf };
      // stdout is a pipe: writes are synchronous on Linux, so exiting right after is safe.
      process.stdout.write(`${JSON.stringify(m)}\n`);
      process.exit(0);
    },
  };
  // Take seen()'s half-way branch now, before the clock starts, often enough for V8 to
  // allocate its feedback and record it, then arm it for real. A branch first taken
  // half-way through has no feedback: V8 deoptimises the receive loop it is inlined into
  // and compiles that again, inside the second half (--trace-deopt: ~10 ms of CPU for
  // ours' W1 readInto loop, less for raw's small callbacks).
  // (A clock with no second half, startClock's, has no branch to warm: no 1,000 getrusage calls.)
  const warmCalls = Number.isFinite(count) ? WARM_CALLS : 0;
  for (let i = 0; i < warmCalls; i++) {
    clock.seen(0);
    cpuAtHalf = null;
  }
  half = count / 2;
  cpu0 = process.cpuUsage();
  t0 = process.hrtime.bigint();
  return clock;
}

/** User plus system CPU time from `from` to `to`, milliseconds. */
function cpuMsBetween(from: NodeJS.CpuUsage, to: NodeJS.CpuUsage): number {
  return (to.user - from.user + (to.system - from.system)) / 1000;
}

/** Fail the run loudly: the orchestrator treats a non-zero exit as a broken contender. */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Tell the orchestrator which port this peer listens on. */
export function announcePort(port: number): void {
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

/** Exit non-zero on any stray error, so no failure passes as a slow run. */
export function failOnStrayErrors(): void {
  process.on('uncaughtException', (e) => fail(`uncaught: ${e.stack ?? e}`));
  process.on('unhandledRejection', (e) => fail(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
}
