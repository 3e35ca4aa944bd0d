/** Renders results as aligned text tables (for the terminal) and Markdown (results/latest.md). */

import { memoryGrid } from './memory.js';
import {
  type ContenderResult,
  type ScalingResult,
  type SelfSimilarRow,
  type ThroughputResult,
  targetText,
  type WorkloadResult,
} from './results.js';

interface Grid {
  title: string;
  head: string[];
  rows: string[][];
  /** Columns aligned right (numbers). */
  right: Set<number>;
}

const num = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(x >= 100 ? 0 : digits) : '-');

function throughputGrid(w: ThroughputResult): Grid {
  // Bulk receivers time the second half of their bytes too (most of the start-up left out).
  const late = w.rows.some((r) => r.cpuPerGiBSecondHalf !== undefined);
  const head = [
    'contender',
    `median ${w.unitLabel}`,
    'min-max',
    `${w.measured} CPU s`,
    'CPU s/GiB',
    ...(late ? ['2nd half CPU s/GiB'] : []),
    'peak RSS MiB',
    `vs ${w.baseline}`,
    'targets',
  ];
  const rows = w.rows.map((r: ContenderResult) => {
    if (r.status !== 'ok' || !r.rate) {
      const blank = new Array<string>(head.length - 3).fill('');
      return [r.label, r.status === 'failed' ? 'FAILED' : '-', ...blank, r.note ?? ''];
    }
    return [
      r.label,
      num(r.rate.median),
      `${num(r.rate.min)}-${num(r.rate.max)}`,
      num(r.cpuSeconds ?? Number.NaN),
      num(r.cpuPerGiB ?? Number.NaN),
      ...(late ? [num(r.cpuPerGiBSecondHalf ?? Number.NaN)] : []),
      num(r.peakRssMiB ?? Number.NaN, 0),
      r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`,
      r.targets.map(targetText).join('; '),
    ];
  });
  const pin = w.pinned ? ', both processes pinned to CPU 0' : '';
  return {
    title: `${w.title} (${w.reps} reps, ${w.measured} measured${pin})`,
    head,
    rows,
    // Every column but the contender's name and its targets is a number.
    right: new Set(head.slice(1, -1).map((_, i) => i + 1)),
  };
}

function scalingGrid(w: ScalingResult): Grid {
  const head = [
    'N one-byte chunks',
    'median ms',
    'min-max ms',
    'ns per byte',
    'CPU s',
    'peak RSS MiB',
    'growth',
    'target',
  ];
  const rows = w.rows.map((r) => [
    r.n.toLocaleString('en-US'),
    num(r.ms.median),
    `${num(r.ms.min)}-${num(r.ms.max)}`,
    num(r.nsPerByte),
    num(r.cpuSeconds),
    num(r.peakRssMiB, 0),
    r.growth === undefined ? '-' : `${r.growth.toFixed(2)}x`,
    r.target ? `${r.target.label}: ${r.target.met ? 'met' : 'MISSED'}` : '',
  ]);
  if (w.status === 'failed') rows.push(['FAILED', '', '', '', '', '', '', w.note ?? '']);
  return { title: `${w.title} (${w.reps} reps)`, head, rows, right: new Set([1, 2, 3, 4, 5, 6]) };
}

/** W6's self-similar delimiters: ours against `Buffer#indexOf` over the same bytes. */
function selfSimilarGrid(w: ScalingResult, rows: SelfSimilarRow[]): Grid {
  const mib = (bytes: number) => `${num(bytes / 2 ** 20)} MiB`;
  return {
    title: `${w.id} self-similar delimiters: one readUntil after a run of '-' (64 KiB chunks) vs Buffer.indexOf over the whole (${w.reps} reps)`,
    head: [
      "'-' then a '---…X' of",
      'ours median ms',
      'min-max ms',
      'indexOf median ms',
      'min-max ms',
      'ours / indexOf',
    ],
    rows: rows.map((r) => [
      `${mib(r.bytes)}, ${r.delimiter.toLocaleString('en-US')} B`,
      num(r.oursMs.median),
      `${num(r.oursMs.min)}-${num(r.oursMs.max)}`,
      num(r.indexOfMs.median),
      `${num(r.indexOfMs.min)}-${num(r.indexOfMs.max)}`,
      `${r.ratio.toFixed(2)}x`,
    ]),
    right: new Set([1, 2, 3, 4, 5]),
  };
}

function grids(w: WorkloadResult): Grid[] {
  if (w.kind === 'throughput') return [throughputGrid(w)];
  if (w.kind === 'memory') return [memoryGrid(w)];
  return w.selfSimilar?.length ? [scalingGrid(w), selfSimilarGrid(w, w.selfSimilar)] : [scalingGrid(w)];
}

/** Aligned plain-text tables. */
export function textTable(w: WorkloadResult): string {
  return grids(w).map(textGrid).join('\n\n');
}

function textGrid(g: Grid): string {
  const all = [g.head, ...g.rows];
  const widths = g.head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (g.right.has(i) ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((n) => '-'.repeat(n)).join('  ');
  return [g.title, line(g.head), rule, ...g.rows.map(line)].join('\n');
}

/** Markdown tables, each with its title as a heading. */
export function markdownTable(w: WorkloadResult): string {
  return grids(w).map(markdownGrid).join('\n\n');
}

function markdownGrid(g: Grid): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const row = (r: string[]) => `| ${r.map(esc).join(' | ')} |`;
  const sep = `|${g.head.map((_, i) => (g.right.has(i) ? '---:' : '---')).join('|')}|`;
  return [`#### ${esc(g.title)}`, '', row(g.head), sep, ...g.rows.map(row)].join('\n');
}
