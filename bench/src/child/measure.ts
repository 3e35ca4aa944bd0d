import type { Measurement } from '../protocol.js';

/** Start timing the measured section; the returned function stops it and reports. */
export function startClock(): (units: number, bytes: number) => void {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  return (units, bytes) => {
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    const m: Measurement = {
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssKiB: process.resourceUsage().maxRSS,
      units,
      bytes,
    };
    // stdout is a pipe: writes are synchronous on Linux, so exiting right after is safe.
    process.stdout.write(`${JSON.stringify(m)}\n`);
    process.exit(0);
  };
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
