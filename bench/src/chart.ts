/** Turns a run's results into the chart: ratios to each baseline with their targets, and W6 growth per step. */
import type { RunResult } from './results.js';
import { type Bar, renderChart, type Section } from './svg.js';

export function chartFor(run: RunResult): string {
  const sections: Section[] = [];
  for (const w of run.workloads) {
    if (w.kind === 'memory') {
      const bars: Bar[] = w.rows.flatMap((r) =>
        r.target
          ? [
              {
                label: `${r.count.toLocaleString('en-US')} ${r.caseLabel}`,
                value: r.target.value,
                target: r.target,
                met: r.target.met,
                suffix: 'x raw RSS',
              },
            ]
          : [],
      );
      if (bars.length)
        sections.push({ title: `${w.id}: RSS per idle connection, ours / raw (lower is better)`, reference: 1, bars });
      continue;
    }
    if (w.kind === 'scaling') {
      const mi = (n: number) => (n % (1 << 20) === 0 ? `${n >> 20} Mi` : n.toLocaleString('en-US'));
      const bars: Bar[] = [];
      w.rows.forEach((r, i) => {
        const prev = w.rows[i - 1];
        if (r.target && prev)
          bars.push({
            label: `N ${mi(prev.n)} -> ${mi(r.n)}`,
            value: r.target.value,
            target: r.target,
            met: r.target.met,
            suffix: 'x',
          });
      });
      if (bars.length)
        sections.push({ title: `${w.id}: time growth per 4x more one-byte chunks (lower is better)`, bars });
      continue;
    }
    const bars: Bar[] = [];
    for (const r of w.rows) {
      if (r.status !== 'ok' || r.ratio === undefined) continue;
      const first = r.targets.find((t) => t.vs === w.baseline);
      bars.push({
        label: r.label,
        value: r.ratio,
        ...(first ? { target: first, met: first.met } : {}),
        suffix: `x ${w.baseline}`,
      });
      for (const t of r.targets) {
        if (t === first || t.vs === undefined) continue;
        const vs = t.vs;
        bars.push({ label: `${r.label} (vs ${vs})`, value: t.value, target: t, met: t.met, suffix: `x ${vs}` });
      }
    }
    if (bars.length) sections.push({ title: `${w.id}: ratio to ${w.baseline} (higher is better)`, reference: 1, bars });
  }
  const subtitle = `${run.mode} run ${run.runAt.slice(0, 16).replace('T', ' ')} UTC, Node ${run.node}, ${run.machine.cpus} CPUs; black marks are targets, green met, red missed, grey no target`;
  return renderChart('iostream benchmarks: ratios vs targets', subtitle, sections);
}
