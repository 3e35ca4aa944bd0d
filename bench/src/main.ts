/**
 * `pnpm bench`: runs W1-W6 (issue 6), prints one table per workload, and writes
 * results/latest.json, results/latest.md and results/chart.svg. Numbers never
 * fail the run; a contender that breaks (wrong byte count, crash, timeout) does,
 * with exit code 1 after everything else has run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chartFor } from './chart.js';
import { type Config, parseConfig } from './config.js';
import { runMemory } from './memory.js';
import type { Measurement } from './protocol.js';
import { detectPython, type PythonStatus } from './python.js';
import {
  type ContenderResult,
  floorText,
  judge,
  type RunResult,
  type ScalingResult,
  sampleRate,
  summarise,
  summariseScaling,
  summariseSelfSimilar,
  type ThroughputResult,
  targetValueText,
  type WorkloadResult,
} from './results.js';
import { runOnce } from './runner.js';
import { rotation } from './stats.js';
import { markdownTable, textTable } from './table.js';
import {
  type Program,
  type ScalingWorkload,
  type SelfSimilarCase,
  type ThroughputWorkload,
  workloads,
} from './workloads.js';

const DEFAULT_RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const RUN_TIMEOUT_MS = 300_000;

const progress = (s: string) => process.stderr.write(s);
let broken = 0;

async function runThroughput(
  w: ThroughputWorkload,
  cfg: Config,
  py: PythonStatus,
  pin: boolean,
): Promise<ThroughputResult> {
  const samples = new Map<string, Measurement[]>();
  const failed = new Map<string, string>();
  const skipped = new Map<string, string>();
  for (const c of w.contenders) {
    const why = c.needs ? py[c.needs] : null;
    if (why) skipped.set(c.id, why);
    else samples.set(c.id, []);
  }
  for (let rep = 0; rep < cfg.reps; rep++) {
    progress(`${w.id} rep ${rep + 1}/${cfg.reps}:`);
    for (const c of rotation(w.contenders, rep)) {
      const list = samples.get(c.id);
      if (!list || failed.has(c.id)) continue;
      try {
        const m = await runOnce({
          program: c.program,
          peer: c.peer ?? w.peer,
          peerConnects: w.peerConnects === true,
          count: w.count,
          pin,
          timeoutMs: RUN_TIMEOUT_MS,
        });
        if (m.units !== w.count) throw new Error(`reported ${m.units} units, expected ${w.count}`);
        list.push(m);
        progress(` ${c.id} ${sampleRate(m, w).toFixed(2)}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failed.set(c.id, message.split('\n').slice(0, 3).join(' | '));
        broken++;
        progress(`\n!! ${w.id} ${c.id} FAILED: ${message}\n`);
      }
    }
    progress('\n');
  }
  const rows: ContenderResult[] = w.contenders.map((c) => {
    const why = skipped.get(c.id) ?? failed.get(c.id);
    if (why !== undefined)
      return {
        id: c.id,
        label: c.label,
        status: skipped.has(c.id) ? 'skipped' : 'failed',
        note: why,
        samples: [],
        targets: [],
      };
    return summarise(w, c, samples.get(c.id) ?? []);
  });
  judge(w, rows);
  return {
    kind: 'throughput',
    id: w.id,
    title: w.title,
    unitLabel: w.unitLabel,
    count: w.count,
    measured: w.measured,
    baseline: w.baseline,
    pinned: pin,
    reps: cfg.reps,
    rows,
  };
}

async function runScaling(w: ScalingWorkload, cfg: Config): Promise<ScalingResult> {
  const perN: Measurement[][] = w.counts.map(() => []);
  const cases = w.selfSimilar?.cases ?? [];
  const ours: Measurement[][] = cases.map(() => []);
  const indexOf: Measurement[][] = cases.map(() => []);
  const measure = async (program: Program, count: number) => {
    const m = await runOnce({ program, peer: null, peerConnects: false, count, pin: false, timeoutMs: RUN_TIMEOUT_MS });
    if (m.units !== count) throw new Error(`${program.variant} reported ${m.units} bytes, expected ${count}`);
    return m;
  };
  try {
    for (let rep = 0; rep < cfg.reps; rep++) {
      progress(`${w.id} rep ${rep + 1}/${cfg.reps}:`);
      for (const i of rotation([...w.counts.keys()], rep)) {
        const count = w.counts[i] as number;
        const m = await measure(w.program, count);
        perN[i]?.push(m);
        progress(` N=${count} ${m.wallMs.toFixed(1)}ms`);
      }
      for (const i of rotation([...cases.keys()], rep)) {
        const c = cases[i] as SelfSimilarCase;
        const script = w.selfSimilar?.program as string;
        for (const [how, into] of rotation(
          [
            ['ours', ours],
            ['indexOf', indexOf],
          ] as const,
          rep,
        )) {
          const m = await measure({ lang: 'node', script, variant: `${how}:${c.delimiter}` }, c.bytes);
          into[i]?.push(m);
          progress(` ${how}:${c.delimiter} ${m.wallMs.toFixed(1)}ms`);
        }
      }
      progress('\n');
    }
  } catch (error) {
    broken++;
    const message = error instanceof Error ? error.message : String(error);
    progress(`\n!! ${w.id} FAILED: ${message}\n`);
    return { kind: 'scaling', id: w.id, title: w.title, reps: cfg.reps, status: 'failed', note: message, rows: [] };
  }
  const result = summariseScaling(w, perN, cfg.reps);
  if (cases.length > 0) result.selfSimilar = summariseSelfSimilar(cases, ours, indexOf);
  return result;
}

/** With --only, keep the other workloads of the previous run, each stamped with when it was measured. */
function merge(run: RunResult, cfg: Config, dir: string): RunResult {
  const file = join(dir, 'latest.json');
  if (cfg.only === null || !existsSync(file)) return run;
  const previous = JSON.parse(readFileSync(file, 'utf8')) as RunResult;
  const fresh = new Set(run.workloads.map((w) => w.id));
  const kept = previous.workloads
    .filter((w) => !fresh.has(w.id))
    .map((w) => ({ ...w, runAt: w.runAt ?? previous.runAt }));
  if (kept.length === 0) return run;
  const measured = run.workloads.map((w) => ({ ...w, runAt: run.runAt }));
  const note = `Kept from earlier runs: ${kept.map((w) => `${w.id} (${w.runAt})`).join(', ')}`;
  const all = [...kept, ...measured].sort((a, b) => a.id.localeCompare(b.id));
  return { ...run, notes: [...run.notes, note], workloads: all };
}

function summaryLines(results: WorkloadResult[]): string[] {
  const lines: string[] = [];
  for (const w of results) {
    const targets =
      w.kind === 'throughput'
        ? w.rows.flatMap((r) => r.targets.map((t) => ({ who: `${w.id} ${r.label}`, t })))
        : w.kind === 'memory'
          ? w.rows.flatMap((r) => (r.target ? [{ who: `${w.id} ${r.count} ${r.caseLabel}`, t: r.target }] : []))
          : w.rows.flatMap((r) => (r.target ? [{ who: `${w.id} N=${r.n}`, t: r.target }] : []));
    for (const { who, t } of targets) {
      lines.push(`${t.met ? 'met   ' : 'MISSED'}  ${who}: ${t.label} (got ${targetValueText(t)})${floorText(t)}`);
    }
  }
  return lines;
}

async function main(): Promise<void> {
  const cfg = parseConfig(process.argv.slice(2), process.env);
  const dir = cfg.out ?? DEFAULT_RESULTS_DIR;
  const py = detectPython(cfg.python);
  const notes: string[] = [];
  let pin = cfg.pin;
  if (pin && spawnSync('taskset', ['-c', '0', 'true']).status !== 0) {
    pin = false;
    notes.push('taskset not found: W3 ran unpinned, so cross-CPU wake-ups inflate its round-trip times.');
  } else if (!pin) notes.push('--no-pin: W3 ran unpinned.');
  if (py.tornado) notes.push(`Tornado contenders ${py.tornado}.`);
  if (py.asyncio) notes.push(`asyncio contenders ${py.asyncio}.`);
  const mode = cfg.quick ? 'quick' : cfg.scale === 1 ? 'full' : `scale ${cfg.scale}`;
  const selected = workloads(cfg.scale).filter((w) => cfg.only === null || cfg.only.has(w.id));
  if (selected.length === 0) throw new Error(`--only matched no workload (W1-W8)`);

  const cpus = os.cpus();
  console.log(
    `iostream bench: ${mode} run, ${cfg.reps} reps, Node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? '?'}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`Python: ${py.versions.python ?? 'none'}, Tornado: ${py.versions.tornado ?? 'none'}`);
  for (const n of notes) console.log(`note: ${n}`);
  console.log('Rates are medians over repetitions; ratios are median over the baseline median. Higher is better.\n');

  const results: WorkloadResult[] = [];
  for (const w of selected) {
    const r =
      w.kind === 'throughput'
        ? await runThroughput(w, cfg, py, w.pin && pin)
        : w.kind === 'memory'
          ? await runMemory(w, cfg, progress, () => broken++)
          : await runScaling(w, cfg);
    results.push(r);
    console.log(`\n${textTable(r)}\n`);
  }

  const run = merge(
    {
      runAt: new Date().toISOString(),
      mode,
      node: process.version,
      machine: { cpus: cpus.length, model: cpus[0]?.model ?? '', loadAverage: os.loadavg() },
      python: py.versions,
      notes,
      workloads: results,
    },
    cfg,
    dir,
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(run, null, 2)}\n`);
  const md = [
    `Run ${run.runAt} (${run.mode}), Node ${run.node}, ${run.machine.cpus} x ${run.machine.model}.`,
    ...run.notes.map((n) => `Note: ${n}`),
    '',
    ...run.workloads.map((w) => `${markdownTable(w)}\n`),
  ].join('\n');
  writeFileSync(join(dir, 'latest.md'), md);
  writeFileSync(join(dir, 'chart.svg'), chartFor(run));

  console.log('Targets (this run):');
  for (const line of summaryLines(results)) console.log(`  ${line}`);
  console.log(`\nWrote ${join(dir, 'latest.json')}, latest.md and chart.svg`);
  if (broken > 0) {
    console.error(`\n${broken} contender run(s) FAILED (see above): the numbers of those contenders are missing.`);
    process.exitCode = 1;
  }
}

await main();
