/**
 * Memory held per idle connection (W7), read after full garbage collections: the
 * resident set, the V8 heap and `ArrayBuffer` memory before the connections and with
 * all of them open, divided by their count.
 */
import type net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';

/** One W7 sample: what the measured process held per connection (and in all). */
export interface IdleMeasurement {
  /** Connections held when measured. */
  units: number;
  /** Per connection, bytes: resident set, V8 heap used, `ArrayBuffer` memory. */
  rssPerConn: number;
  heapPerConn: number;
  arrayBuffersPerConn: number;
  /** Resident set with every connection open, KiB. */
  rssKiB: number;
  /** Peak resident set over the process's life, KiB. */
  maxRssKiB: number;
  /** Unused by W7; present so the harness can treat it as a measurement. */
  wallMs: number;
  cpuMs: number;
  bytes: number;
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
}

/** Collect everything collectable (a few rounds, with turns between for finalisers), then read memory. */
export async function settledMemory(): Promise<MemorySnapshot> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
}

/** Report the difference between two snapshots as per-connection figures, then exit. */
export function reportIdle(before: MemorySnapshot, after: MemorySnapshot, count: number): never {
  const m: IdleMeasurement = {
    units: count,
    rssPerConn: (after.rss - before.rss) / count,
    heapPerConn: (after.heapUsed - before.heapUsed) / count,
    arrayBuffersPerConn: (after.arrayBuffers - before.arrayBuffers) / count,
    rssKiB: after.rss / 1024,
    maxRssKiB: process.resourceUsage().maxRSS,
    wallMs: 0,
    cpuMs: 0,
    bytes: 0,
  };
  process.stdout.write(`${JSON.stringify(m)}\n`);
  process.exit(0);
}

/** Resolve once `done()` holds, polling (cheap next to opening thousands of connections). */
export function until(done: () => boolean, ms = 20): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (done() ? resolve() : setTimeout(poll, ms));
    poll();
  });
}

/** What W7 peers send a connection in the `half` cases: half a line, no newline. */
export const HALF_LINE = Buffer.from('GET /index.html HTTP/1.1');

/**
 * The next line of `socket`, read the leanest way an await-shaped API can be written by
 * hand: a promise resolved from a `'data'` listener. W7's `raw-await` reference, and the
 * connection-heap probe's.
 */
export function nextLine(socket: net.Socket): Promise<Buffer> {
  return new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      if (chunk.includes(10)) resolve(Buffer.concat(parts));
    });
  });
}
