/**
 * W7 (issue 15): memory per idle connection. For each case (accepted or connected
 * streams, idle or with half a line received) and each connection count, every
 * contender holds that many connections in a process of its own, and reports the
 * resident set, V8 heap and `ArrayBuffer` memory it gained per connection, read after
 * full garbage collections (bench/src/child/idle-conns.ts). The target: ours at most
 * 1.25x raw `node:net`'s resident set per connection.
 */
import { readFileSync } from 'node:fs';
import type { IdleMeasurement } from './child/idle-memory.js';
import type { Config } from './config.js';
import type { TargetResult } from './results.js';
import { runOnce } from './runner.js';
import { max, median, min } from './stats.js';
import type { Program } from './workloads.js';

export interface MemoryWorkload {
  kind: 'memory';
  id: string;
  title: string;
  /** Connection counts, each run separately. */
  counts: number[];
  cases: { id: string; label: string }[];
  contenders: { id: string; label: string }[];
  baseline: string;
  /** Most RSS per connection of `ours` over the baseline's. */
  maxRssRatio: number;
}

/** W7's counts and cases (counts shrink with `--scale`). */
export function memoryWorkload(scale: number): MemoryWorkload {
  return {
    kind: 'memory',
    id: 'W7',
    title: 'W7 idle connections: memory per connection after GC, loopback TCP',
    counts: [10_000, 50_000].map((n) => Math.max(10, Math.round(n * scale))),
    cases: [
      { id: 'accepted-idle', label: 'accepted, read pending, idle' },
      { id: 'accepted-half', label: 'accepted, read pending, half a line in' },
      { id: 'connected-idle', label: 'connected, read pending, idle' },
      { id: 'connected-half', label: 'connected, read pending, half a line in' },
    ],
    contenders: [
      { id: 'raw', label: "raw node:net, 'data' listener" },
      { id: 'ours', label: "ours: readUntil('\\n') pending" },
      { id: 'raw-await', label: 'raw node:net, a promise per line awaited (reference: what an awaited read costs)' },
    ],
    baseline: 'raw',
    maxRssRatio: 1.25,
  };
}

export interface MemoryCell {
  /** Per connection, KiB: median and range over the repetitions. */
  rss: { median: number; min: number; max: number };
  heap: number;
  arrayBuffers: number;
}

export interface MemoryRow {
  caseId: string;
  caseLabel: string;
  count: number;
  /** By contender id; a string says why it has no numbers (skipped, failed). */
  cells: Record<string, MemoryCell | string>;
  /** RSS per connection of ours over the baseline's. */
  ratio?: number;
  target?: TargetResult;
}

export interface MemoryResult {
  kind: 'memory';
  id: string;
  title: string;
  reps: number;
  rows: MemoryRow[];
  notes: string[];
}

/** The hard limit on open files of this process (children inherit it), or null if unknown. */
function hardFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const hard = line?.split(/\s{2,}/)[2];
    if (hard === 'unlimited') return Number.POSITIVE_INFINITY;
    return hard === undefined ? null : Number(hard);
  } catch {
    return null;
  }
}

/** Descriptors a process holding `count` connections needs (Node raises its soft limit to the hard one). */
const needed = (count: number) => count + 100;

const node = (script: string, variant: string): Program => ({ lang: 'node', script, variant });
const KiB = 1024;

/** Run W7: `reps` repetitions (at most 3: memory figures barely vary), contenders interleaved. */
export async function runMemory(
  w: MemoryWorkload,
  cfg: Config,
  progress: (s: string) => void,
  onBroken: () => void,
): Promise<MemoryResult> {
  const reps = Math.min(cfg.reps, 3);
  const limit = hardFileLimit();
  const notes: string[] = [];
  const rows: MemoryRow[] = [];
  for (const wanted of w.counts) {
    let count = wanted;
    let tooMany = limit !== null && needed(count) > limit;
    // Over the limit: measure at the most connections it allows instead, and say so.
    const most = limit === null ? 0 : Math.floor((limit - 100) / 1000) * 1000;
    if (tooMany && most > Math.max(...w.counts.filter((n) => n < wanted), 0)) {
      count = most;
      tooMany = false;
      notes.push(
        `${wanted.toLocaleString('en-US')} connections need ~${needed(wanted).toLocaleString('en-US')} descriptors per process and the hard limit (ulimit -Hn) is ${limit}, which this user may not raise: measured at ${most.toLocaleString('en-US')} instead.`,
      );
    } else if (tooMany)
      notes.push(
        `${wanted.toLocaleString('en-US')} connections skipped: each process needs ~${needed(wanted).toLocaleString('en-US')} descriptors and the hard limit (ulimit -Hn) is ${limit}, which this user may not raise.`,
      );
    for (const c of w.cases) {
      const row: MemoryRow = { caseId: c.id, caseLabel: c.label, count, cells: {} };
      rows.push(row);
      if (tooMany) {
        for (const k of w.contenders) row.cells[k.id] = `skipped (hard limit ${limit} descriptors)`;
        continue;
      }
      const samples = new Map<string, IdleMeasurement[]>(w.contenders.map((k) => [k.id, []]));
      for (let rep = 0; rep < reps; rep++) {
        progress(`${w.id} ${count} ${c.id} rep ${rep + 1}/${reps}:`);
        const order = rep % 2 === 0 ? w.contenders : [...w.contenders].reverse();
        for (const k of order) {
          const list = samples.get(k.id);
          if (list === undefined || typeof row.cells[k.id] === 'string') continue;
          const accepted = c.id.startsWith('accepted');
          const peerVariant = c.id;
          try {
            const m = (await runOnce({
              program: node('idle-conns.js', `${k.id}-${c.id}`),
              peer: node('idle-peer.js', peerVariant),
              peerConnects: accepted,
              count,
              pin: false,
              timeoutMs: 300_000,
            })) as unknown as IdleMeasurement;
            if (m.units !== count) throw new Error(`held ${m.units} connections, expected ${count}`);
            list.push(m);
            progress(` ${k.id} ${(m.rssPerConn / KiB).toFixed(2)} KiB`);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            row.cells[k.id] = `failed: ${message.split('\n')[0]}`;
            onBroken();
            progress(`\n!! ${w.id} ${k.id} ${c.id} FAILED: ${message}\n`);
          }
        }
        progress('\n');
      }
      for (const [id, list] of samples) {
        if (typeof row.cells[id] === 'string' || list.length === 0) continue;
        const rss = list.map((m) => m.rssPerConn / KiB);
        row.cells[id] = {
          rss: { median: median(rss), min: min(rss), max: max(rss) },
          heap: median(list.map((m) => m.heapPerConn / KiB)),
          arrayBuffers: median(list.map((m) => m.arrayBuffersPerConn / KiB)),
        };
      }
      const base = row.cells[w.baseline];
      const ours = row.cells.ours;
      if (typeof base === 'object' && typeof ours === 'object') {
        const value = ours.rss.median / base.rss.median;
        row.ratio = value;
        row.target = {
          label: `RSS ≤${w.maxRssRatio}x ${w.baseline}`,
          unit: 'x',
          vs: w.baseline,
          value,
          limit: w.maxRssRatio,
          sense: 'max',
          met: value <= w.maxRssRatio,
        };
      }
    }
  }
  return { kind: 'memory', id: w.id, title: w.title, reps, rows, notes };
}

const kib = (x: number) => x.toFixed(2);

/** The W7 table: one row per case and count, KiB per connection for each contender. */
export function memoryGrid(
  w: MemoryResult,
  contenders: { id: string; label: string }[] = memoryWorkload(1).contenders,
) {
  const head = ['connections', 'case'];
  for (const k of contenders) head.push(`${k.id} RSS KiB`, `${k.id} heap KiB`, `${k.id} ArrayBuffer KiB`);
  const others = contenders.filter((k) => k.id !== 'raw');
  for (const k of others) head.push(`${k.id} / raw RSS`);
  head.push('target');
  const rows = w.rows.map((r) => {
    const cells = [r.count.toLocaleString('en-US'), r.caseLabel];
    for (const k of contenders) {
      const c = r.cells[k.id];
      if (typeof c === 'object') {
        const range =
          c.rss.min === c.rss.max ? kib(c.rss.median) : `${kib(c.rss.median)} (${kib(c.rss.min)}-${kib(c.rss.max)})`;
        cells.push(range, kib(c.heap), kib(c.arrayBuffers));
      } else cells.push(c ?? '-', '', '');
    }
    const base = r.cells.raw;
    for (const k of others) {
      const c = r.cells[k.id];
      cells.push(
        typeof c === 'object' && typeof base === 'object' ? `${(c.rss.median / base.rss.median).toFixed(2)}x` : '-',
      );
    }
    cells.push(r.target ? `${r.target.label}: ${r.target.met ? 'met' : 'MISSED'}` : '');
    return cells;
  });
  const right = new Set<number>();
  for (let i = 2; i < head.length - 1; i++) right.add(i);
  return {
    title: `${w.title} (${w.reps} reps; per connection, medians, RSS range in brackets)${w.notes.length ? `. ${w.notes.join(' ')}` : ''}`,
    head,
    rows,
    right,
  };
}
