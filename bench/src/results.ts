/**
 * What a run produces, as written to results/latest.json and read back by the
 * table and the chart: per workload, per contender, the raw samples and the
 * summary the targets are judged on.
 */
import type { MemoryResult } from './memory.js';
import type { Measurement } from './protocol.js';
import { max, median, min } from './stats.js';
import type { Contender, ScalingWorkload, SelfSimilarCase, ThroughputWorkload } from './workloads.js';

export interface TargetResult {
  /** e.g. `≥0.9x onread` or `RSS ≤64 MiB`. */
  label: string;
  /** What `value` and `limit` are: a ratio, or MiB of peak RSS. */
  unit: 'x' | 'MiB';
  /** For a ratio to another contender's rate: that contender's id. */
  vs?: string;
  value: number;
  limit: number;
  /** `min`: value must be at least limit; `max`: at most. */
  sense: 'min' | 'max';
  met: boolean;
  /** The same measure for the raw contender doing the same job (the target's `floor`), if it ran. */
  floor?: { id: string; value: number };
}

export interface ContenderResult {
  id: string;
  label: string;
  status: 'ok' | 'skipped' | 'failed';
  /** Why it was skipped or how it failed. */
  note?: string;
  samples: Measurement[];
  /** Units per second, scaled to the workload's unit. */
  rate?: { median: number; min: number; max: number };
  /** Median CPU time of the measured process, seconds. */
  cpuSeconds?: number;
  /**
   * Median CPU seconds per GiB the measured process moved (its reported bytes): with a
   * fast peer, the receiver's CPU per byte is the honest cost. Absent where no bytes are counted.
   */
  cpuPerGiB?: number;
  /**
   * Median CPU seconds per GiB over the second half of the bytes (`Measurement.secondHalf`):
   * connecting and most of the JIT's warm-up fall in the first half (at 1 GiB the second
   * still carries its tail). Absent where the contender does not report it.
   */
  cpuPerGiBSecondHalf?: number;
  /** Highest peak RSS of the measured process over the repetitions, MiB. */
  peakRssMiB?: number;
  /** Median rate over the baseline's median rate. */
  ratio?: number;
  targets: TargetResult[];
}

export interface ThroughputResult {
  kind: 'throughput';
  id: string;
  title: string;
  unitLabel: string;
  count: number;
  measured: string;
  baseline: string;
  pinned: boolean;
  reps: number;
  rows: ContenderResult[];
}

export interface ScalingRow {
  n: number;
  samples: Measurement[];
  ms: { median: number; min: number; max: number };
  nsPerByte: number;
  cpuSeconds: number;
  peakRssMiB: number;
  /** Median time over the previous row's median time. */
  growth?: number;
  target?: TargetResult;
}

export interface ScalingResult {
  kind: 'scaling';
  id: string;
  title: string;
  reps: number;
  status: 'ok' | 'failed';
  note?: string;
  rows: ScalingRow[];
  /** W6's self-similar delimiters, when the workload has them. */
  selfSimilar?: SelfSimilarRow[];
}

/** One self-similar case: ours and `Buffer#indexOf` over the same bytes. */
export interface SelfSimilarRow {
  delimiter: number;
  bytes: number;
  ours: Measurement[];
  indexOf: Measurement[];
  oursMs: { median: number; min: number; max: number };
  indexOfMs: { median: number; min: number; max: number };
  /** Ours' median time over indexOf's. */
  ratio: number;
}

/** A workload's results, with when they were measured (runs with `--only` keep older workloads). */
export type WorkloadResult = (ThroughputResult | ScalingResult | MemoryResult) & { runAt?: string };

export interface RunResult {
  runAt: string;
  mode: string;
  node: string;
  machine: { cpus: number; model: string; loadAverage: number[] };
  python: { python?: string; tornado?: string };
  notes: string[];
  workloads: WorkloadResult[];
}

const KiB_PER_MiB = 1024;

/** Summarise one contender's samples (ratios and targets are filled in by {@link judge}). */
export function summarise(w: ThroughputWorkload, c: Contender, samples: Measurement[]): ContenderResult {
  const rates = samples.map((s) => sampleRate(s, w));
  return {
    id: c.id,
    label: c.label,
    status: 'ok',
    samples,
    rate: { median: median(rates), min: min(rates), max: max(rates) },
    cpuSeconds: median(samples.map((s) => s.cpuMs / 1000)),
    ...cpuPerGiBOf(samples),
    peakRssMiB: max(samples.map((s) => s.maxRssKiB / KiB_PER_MiB)),
    targets: [],
  };
}

/** `{ cpuPerGiB, cpuPerGiBSecondHalf }` over samples that all counted bytes (and timed the second half), else nothing. */
function cpuPerGiBOf(samples: Measurement[]): { cpuPerGiB?: number; cpuPerGiBSecondHalf?: number } {
  if (samples.length === 0 || samples.some((s) => !(s.bytes > 0))) return {};
  const cpuPerGiB = median(samples.map((s) => perGiB(s.cpuMs, s.bytes)));
  const halves = samples.flatMap((s) => (s.secondHalf !== undefined && s.secondHalf.bytes > 0 ? [s.secondHalf] : []));
  if (halves.length !== samples.length) return { cpuPerGiB };
  return { cpuPerGiB, cpuPerGiBSecondHalf: median(halves.map((h) => perGiB(h.cpuMs, h.bytes))) };
}

const perGiB = (cpuMs: number, bytes: number) => cpuMs / 1000 / (bytes / 2 ** 30);

/**
 * The verdict on a ratio target judged on one measure (a rate, or CPU per GiB): `mine` over
 * `vs`'s, and the same ratio for its `floor` row (raw Node doing the same job) when that row
 * has the measure. `undefined` when this row or `vs` has none.
 */
function ratioTarget(
  label: string,
  t: { vs: string; floor?: string },
  limit: number,
  sense: 'min' | 'max',
  mine: number | undefined,
  measureOf: (id: string) => number | undefined,
): TargetResult | undefined {
  const vs = measureOf(t.vs);
  if (vs === undefined || mine === undefined) return undefined;
  const value = mine / vs;
  const met = sense === 'min' ? value >= limit : value <= limit;
  const target: TargetResult = { label, unit: 'x', vs: t.vs, value, limit, sense, met };
  const floorId = t.floor;
  const floor = floorId === undefined ? undefined : measureOf(floorId);
  if (floorId !== undefined && floor !== undefined) target.floor = { id: floorId, value: floor / vs };
  return target;
}

/** Ratios to the baseline and the verdict on each target. */
export function judge(w: ThroughputWorkload, rows: ContenderResult[]): void {
  const okRow = (id: string) => rows.find((r) => r.id === id && r.status === 'ok');
  const rateOf = (id: string) => okRow(id)?.rate?.median;
  const base = rateOf(w.baseline);
  for (const row of rows) {
    const c = w.contenders.find((x) => x.id === row.id);
    if (row.status !== 'ok' || !row.rate || !c) continue;
    if (base !== undefined) row.ratio = row.rate.median / base;
    for (const t of c.targets ?? []) {
      const target = ratioTarget(`≥${t.min}x ${t.vs}`, t, t.min, 'min', row.rate.median, rateOf);
      if (target !== undefined) row.targets.push(target);
    }
    for (const t of c.cpuTargets ?? []) {
      const late = t.over === 'secondHalf';
      const of = (r: ContenderResult | undefined) => (late ? r?.cpuPerGiBSecondHalf : r?.cpuPerGiB);
      const label = `CPU/GiB${late ? ' 2nd half' : ''} ≤${t.max}x ${t.vs}`;
      const target = ratioTarget(label, t, t.max, 'max', of(row), (id) => of(okRow(id)));
      if (target !== undefined) row.targets.push(target);
    }
    if (c.rssMaxMiB !== undefined && row.peakRssMiB !== undefined) {
      const value = row.peakRssMiB;
      const limit = c.rssMaxMiB;
      row.targets.push({ label: `RSS ≤${limit} MiB`, unit: 'MiB', value, limit, sense: 'max', met: value <= limit });
    }
  }
}

/** Summarise W6: per N the time, and the growth per step against the limit. */
export function summariseScaling(w: ScalingWorkload, perN: Measurement[][], reps: number): ScalingResult {
  const rows: ScalingRow[] = perN.map((samples, i) => {
    const ms = samples.map((s) => s.wallMs);
    const n = w.counts[i] as number;
    return {
      n,
      samples,
      ms: { median: median(ms), min: min(ms), max: max(ms) },
      nsPerByte: (median(ms) * 1e6) / n,
      cpuSeconds: median(samples.map((s) => s.cpuMs / 1000)),
      peakRssMiB: max(samples.map((s) => s.maxRssKiB / KiB_PER_MiB)),
    };
  });
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] as ScalingRow;
    const prev = rows[i - 1] as ScalingRow;
    const growth = row.ms.median / prev.ms.median;
    row.growth = growth;
    const step = row.n / prev.n;
    row.target = {
      label: `≤${w.maxGrowth}x per ${step}x`,
      unit: 'x',
      value: growth,
      limit: w.maxGrowth,
      sense: 'max',
      met: growth <= w.maxGrowth,
    };
  }
  return { kind: 'scaling', id: w.id, title: w.title, reps, status: 'ok', rows };
}

/** Summarise W6's self-similar cases: per case, both times and their ratio. */
export function summariseSelfSimilar(
  cases: readonly SelfSimilarCase[],
  ours: Measurement[][],
  indexOf: Measurement[][],
): SelfSimilarRow[] {
  const spread = (samples: Measurement[]) => {
    const ms = samples.map((s) => s.wallMs);
    return { median: median(ms), min: min(ms), max: max(ms) };
  };
  return cases.map((c, i) => {
    const o = ours[i] ?? [];
    const x = indexOf[i] ?? [];
    const oursMs = spread(o);
    const indexOfMs = spread(x);
    return { ...c, ours: o, indexOf: x, oursMs, indexOfMs, ratio: oursMs.median / indexOfMs.median };
  });
}

/** A target's measured value with its unit: `0.88x` or `55 MiB`. */
export function targetValueText(t: TargetResult): string {
  return t.unit === 'MiB' ? `${t.value.toFixed(0)} MiB` : `${t.value.toFixed(2)}x`;
}

/** The same-job raw figure shown after a verdict (` (raw, same job: id 0.88x)`), or nothing. */
export function floorText(t: TargetResult): string {
  return t.floor === undefined ? '' : ` (raw, same job: ${t.floor.id} ${t.floor.value.toFixed(2)}x)`;
}

/** A target's verdict as the tables show it. */
export function targetText(t: TargetResult): string {
  return `${t.label}: ${targetValueText(t)} ${t.met ? 'met' : 'MISSED'}${floorText(t)}`;
}

/** One sample's rate in the workload's unit per second (e.g. M lines/s). */
export function sampleRate(m: Measurement, w: ThroughputWorkload): number {
  return (m.units / (m.wallMs / 1000)) * w.rateScale;
}
