/**
 * What the orchestrator and its child processes say to each other. Every child
 * gets one JSON argument (its {@link ChildArgs}) and answers on stdout with JSON
 * lines: a peer prints `{"port": n}` once it listens; a measured process prints
 * one {@link Measurement} when it is done, then exits. The Python contenders in
 * bench/python speak the same protocol.
 */

export const HOST = '127.0.0.1';

export interface ChildArgs {
  /** Which implementation to run, e.g. `onread` or `ours-try`. */
  variant: string;
  /** Port of the peer to connect to (measured processes). */
  port?: number;
  /** Units to move: bytes, lines, frames, round trips, or N for W6. */
  count: number;
  /** What the bytes go over (the T and P workloads); TCP when absent. */
  transport?: Transport;
}

/**
 * Loopback TCP; TLS 1.3 over loopback TCP; or pipes to a child the measured
 * process spawns itself (Node's child stdio, a Unix socketpair on Linux).
 */
export type Transport = 'tcp' | 'tls' | 'pipe';

/** A measured process's report. */
export interface Measurement {
  /** Wall time of the measured section, milliseconds. */
  wallMs: number;
  /** CPU time (user + system) of the measuring process over that section, milliseconds. */
  cpuMs: number;
  /** Peak resident set size of the measuring process over its whole life, KiB. */
  maxRssKiB: number;
  /** Units received, sent or exchanged (checked against the expected count). */
  units: number;
  /** Bytes received or sent (checked where the workload fixes them). */
  bytes: number;
  /**
   * Bulk receivers: the CPU time spent from the read that reached half the count to the
   * end, and the bytes received over it. Connecting and most of the JIT compiling the read
   * path fall in the first half; at 1 GiB the second half still carries the tail of it.
   */
  secondHalf?: { cpuMs: number; bytes: number };
}

/** Parse the JSON argument a child was started with. */
export function childArgs(): ChildArgs {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('missing JSON argument');
  return JSON.parse(raw) as ChildArgs;
}
