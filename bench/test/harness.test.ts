/**
 * The harness itself works end to end: every workload at 1 % of its size, one
 * repetition, real loopback TCP, results written to a temporary directory (the
 * committed results are never touched). Receivers check every byte, line and frame
 * count themselves and the harness exits 1 if one is off, so this catches a broken
 * contender or peer. No timing is asserted: a benchmark reports numbers, it never
 * fails because a machine was slow.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import type { RunResult } from '../src/results.js';
import { workloads } from '../src/workloads.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'iostream-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('pnpm bench, at 1 % of the sizes', () => {
  let run: SpawnSyncReturns<string>;
  beforeAll(() => {
    run = spawnSync(
      process.execPath,
      [join(dist, 'main.js'), '--scale', '0.01', '--reps', '1', '--no-python', '--no-pin', '--out', out],
      { encoding: 'utf8', timeout: 140_000 },
    );
  });

  it('runs every workload and exits 0', () => {
    expect(run.stderr).not.toMatch(/FAILED/);
    expect(run.status).toBe(0);
  });

  it('writes every contender and target, each with one measurement of the expected size', () => {
    const result = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as RunResult;
    // Every workload, in the order they run (T1-T3 over TLS and P1-P5 over pipes included).
    expect(result.workloads.map((w) => w.id)).toEqual(workloads(0.01).map((w) => w.id));
    expect(result.workloads.map((w) => w.id)).toEqual(
      expect.arrayContaining(['T1', 'T2', 'T3', 'P1', 'P2', 'P3', 'P5']),
    );
    for (const w of result.workloads) {
      if (w.kind === 'scaling') {
        expect(w.status).toBe('ok');
        expect(w.rows).toHaveLength(3);
        for (const row of w.rows) expect(row.samples).toHaveLength(1);
        // The self-similar delimiters: ours and Buffer#indexOf once each, per delimiter.
        expect(w.selfSimilar?.map((r) => r.delimiter)).toEqual([60, 1000]);
        for (const r of w.selfSimilar ?? []) {
          expect([r.ours.length, r.indexOf.length]).toEqual([1, 1]);
          expect(r.ratio).toBeGreaterThan(0);
        }
        continue;
      }
      if (w.kind === 'memory') {
        // W7: every case and count, raw, ours and the raw-await reference each measured once, a ratio per row.
        expect(w.rows.length).toBeGreaterThan(0);
        for (const row of w.rows) {
          for (const id of ['raw', 'ours', 'raw-await'])
            expect(typeof row.cells[id], `W7 ${row.caseId} ${id}`).toBe('object');
          expect(row.ratio).toBeGreaterThan(0);
        }
        continue;
      }
      const ran = w.rows.filter((c) => c.status !== 'skipped');
      // The Python contenders are skipped (--no-python); every Node one ran.
      expect(ran.map((c) => c.id)).toContain(w.baseline);
      expect(ran.some((c) => c.id.startsWith('ours'))).toBe(true);
      for (const c of ran) {
        expect(c.status, `${w.id} ${c.id}`).toBe('ok');
        expect(c.samples).toHaveLength(1);
        expect(c.samples[0]?.units, `${w.id} ${c.id}`).toBe(w.count);
        expect(c.ratio).toBeGreaterThan(0);
      }
      for (const c of w.rows.filter((r) => r.status === 'skipped')) expect(c.note).toMatch(/--no-python/);
      // Bulk receivers also time the second half of their bytes: from the read that reached
      // half the count to the end, so at most half of it and more than nothing.
      if (['W1', 'T1', 'P1'].includes(w.id))
        for (const c of ran) {
          const half = c.samples[0]?.secondHalf;
          expect(half?.bytes, `${w.id} ${c.id}`).toBeGreaterThan(0);
          expect(half?.bytes).toBeLessThanOrEqual(w.count / 2);
          expect(half?.cpuMs).toBeLessThanOrEqual(c.samples[0]?.cpuMs ?? 0);
          expect(c.cpuPerGiBSecondHalf).toBeGreaterThan(0);
        }
      else for (const c of ran) expect(c.cpuPerGiBSecondHalf, `${w.id} ${c.id}`).toBeUndefined();
    }
    const w1 = result.workloads.find((w) => w.id === 'W1');
    const readInto = w1?.kind === 'throughput' ? w1.rows.find((r) => r.id === 'ours-readInto') : undefined;
    expect(readInto?.targets.map((t) => t.label)).toEqual([
      '≥0.9x onread',
      'CPU/GiB ≤1.1x onread',
      'CPU/GiB 2nd half ≤1.1x onread',
      'RSS ≤64 MiB',
    ]);
    // The rate and CPU targets carry raw Node's figure for the same job (exact targets, awaited).
    for (const t of readInto?.targets.slice(0, 3) ?? []) {
      expect(t.floor?.id).toBe('onread-exact-await');
      expect(t.floor?.value).toBeGreaterThan(0);
    }
  });

  it('writes the Markdown tables and the chart', () => {
    const md = readFileSync(join(out, 'latest.md'), 'utf8');
    for (const id of ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'T1', 'T2', 'T3', 'P1', 'P2', 'P3', 'P5'])
      expect(md).toContain(`#### ${id} `);
    expect(md).toContain('#### W6 self-similar delimiters');
    expect(md).toMatch(/ours: tryReadBytes \?\? await readBytes/);
    expect(md).toContain('2nd half CPU s/GiB');
    expect(md).toMatch(/≥0\.9x onread: [0-9.]+x (met|MISSED) \(raw, same job: onread-exact-await [0-9.]+x\)/);
    const svg = readFileSync(join(out, 'chart.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('W6');
  });
});

describe('pnpm bench:micro', () => {
  it('runs in-memory loops in fresh processes and prints a positive time for each', () => {
    const run = spawnSync(
      process.execPath,
      [
        join(dist, 'micro', 'main.js'),
        '--reps',
        '1',
        '--only',
        'frames-parser,view-from,resolve-buffer,into-lent,into-floor',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).toBe(0);
    for (const name of ['frames-parser', 'view-from', 'resolve-buffer', 'into-lent', 'into-floor']) {
      const line = run.stdout.split('\n').find((l) => l.startsWith(name));
      expect(line, name).toBeDefined();
      expect(Number(line?.trim().split(/\s+/)[1])).toBeGreaterThan(0);
    }
  });
});

describe('config', () => {
  it('takes --out, or BENCH_OUT, for where results go; the default is the committed folder', () => {
    expect(parseConfig(['--out', '/tmp/x'], {}).out).toBe('/tmp/x');
    expect(parseConfig(['--out=/tmp/y'], {}).out).toBe('/tmp/y');
    expect(parseConfig([], { BENCH_OUT: '/tmp/z' }).out).toBe('/tmp/z');
    expect(parseConfig([], {}).out).toBeNull();
    expect(parseConfig(['--quick'], {})).toMatchObject({ reps: 3, scale: 1 / 8 });
  });
});
