/**
 * `judge` turns a workload's measured rows into ratios and target verdicts. These tests
 * feed it made-up measurements (no processes run) and check the verdicts, and that a
 * target naming a `floor` carries the same measure for raw Node doing the same job.
 */
import { describe, expect, it } from 'vitest';
import type { Measurement } from '../src/protocol.js';
import { type ContenderResult, judge, summarise, type TargetResult, targetText } from '../src/results.js';
import { type ThroughputWorkload, workloads } from '../src/workloads.js';

const GiB = 2 ** 30;

/** W1 at full size: its contenders and targets as `pnpm bench` judges them. */
function w1(): ThroughputWorkload {
  const w = workloads(1).find((x) => x.id === 'W1');
  if (w?.kind !== 'throughput') throw new Error('W1 is a throughput workload');
  return w;
}

/** One repetition moving 1 GiB in `wallMs`, at `cpuMs` of CPU (half of it in the second half). */
function sample(wallMs: number, cpuMs: number): Measurement {
  return {
    wallMs,
    cpuMs,
    maxRssKiB: 50 * 1024,
    units: GiB,
    bytes: GiB,
    secondHalf: { cpuMs: cpuMs / 2, bytes: GiB / 2 },
  };
}

/** The W1 contenders named in `times` (none of them Python), each measured once at its [wall, CPU] ms. */
function rows(w: ThroughputWorkload, times: Record<string, [number, number]>): ContenderResult[] {
  return w.contenders
    .filter((c) => c.needs === undefined && times[c.id] !== undefined)
    .map((c) => {
      const [wall, cpu] = times[c.id] as [number, number];
      return summarise(w, c, [sample(wall, cpu)]);
    });
}

const targetsOf = (rs: ContenderResult[], id: string): TargetResult[] => rs.find((r) => r.id === id)?.targets ?? [];

describe('judge', () => {
  it('judges rate and CPU targets against the baseline, and gives the same-job raw figure beside them', () => {
    const w = w1();
    const rs = rows(w, {
      onread: [200, 100],
      'onread-exact-await': [250, 120],
      'onread-exact-fresh-await': [400, 200],
      'ours-readInto': [250, 150],
      'ours-readBytes': [500, 250],
    });
    judge(w, rs);
    const [rate, cpu, late] = targetsOf(rs, 'ours-readInto');
    // 200 / 250 ms: 0.8x onread's rate, missed; the exact floor's is 0.8x too.
    expect(rate).toMatchObject({ label: '≥0.9x onread', met: false, floor: { id: 'onread-exact-await' } });
    expect(rate?.value).toBeCloseTo(0.8);
    expect(rate?.floor?.value).toBeCloseTo(0.8);
    // CPU 150 against 100: 1.5x, missed; the floor's 1.2x, over the whole run and the second half alike.
    expect(cpu).toMatchObject({ label: 'CPU/GiB ≤1.1x onread', met: false, floor: { id: 'onread-exact-await' } });
    expect(cpu?.value).toBeCloseTo(1.5);
    expect(cpu?.floor?.value).toBeCloseTo(1.2);
    expect(late).toMatchObject({ label: 'CPU/GiB 2nd half ≤1.1x onread', met: false });
    expect(late?.floor?.value).toBeCloseTo(1.2);
    const [bytes] = targetsOf(rs, 'ours-readBytes');
    expect(bytes?.floor).toMatchObject({ id: 'onread-exact-fresh-await' });
    expect(bytes?.floor?.value).toBeCloseTo(0.5);
    // Shown after the verdict, in the tables and the summary alike.
    expect(targetText(rate as TargetResult)).toBe(
      '≥0.9x onread: 0.80x MISSED (raw, same job: onread-exact-await 0.80x)',
    );
  });

  it('marks a target met at its bound, and leaves the floor out when the floor row did not run', () => {
    const w = w1();
    // Times whose ratios come out exactly at the bounds in floating point: 180 / 200 ms is 0.9,
    // CPU 132 against 120 ms is 1.1.
    const rs = rows(w, { onread: [180, 120], 'ours-readInto': [200, 132] });
    judge(w, rs);
    const [rate, cpu] = targetsOf(rs, 'ours-readInto');
    expect(rate).toMatchObject({ met: true, value: 0.9 });
    expect(cpu).toMatchObject({ met: true, value: 1.1 });
    expect(rate?.floor).toBeUndefined();
    expect(cpu?.floor).toBeUndefined();
    expect(targetText(rate as TargetResult)).toBe('≥0.9x onread: 0.90x met');
  });

  it('names only contenders of the same workload as floors', () => {
    for (const w of workloads(1)) {
      if (w.kind !== 'throughput') continue;
      const ids = new Set(w.contenders.map((c) => c.id));
      for (const c of w.contenders)
        for (const t of [...(c.targets ?? []), ...(c.cpuTargets ?? [])]) {
          expect(ids.has(t.vs), `${w.id} ${c.id} vs ${t.vs}`).toBe(true);
          if (t.floor !== undefined) expect(ids.has(t.floor), `${w.id} ${c.id} floor ${t.floor}`).toBe(true);
        }
    }
  });
});
