/**
 * A tiny SVG writer for one chart: sections of horizontal bars, each section on
 * its own scale, with a reference line (1.0 = the baseline) and target marks.
 */

export interface Bar {
  label: string;
  value: number;
  /** Where the target lies and which side of it passes. */
  target?: { limit: number; sense: 'min' | 'max' };
  met?: boolean;
  /** Shown after the value, e.g. `x readline`. */
  suffix?: string;
}

export interface Section {
  title: string;
  /** Draw a dashed reference line at this value (the baseline's 1.0). */
  reference?: number;
  bars: Bar[];
}

const WIDTH = 1000;
const LABEL_W = 330;
const PLOT_W = 470;
const BAR_H = 16;
const ROW_H = 22;
const TITLE_H = 26;
const COLORS = { met: '#2e7d32', missed: '#c62828', plain: '#78909c', ref: '#37474f', mark: '#111111' };

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const f = (x: number) => Number(x.toFixed(1));

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${f(x)}" y="${f(y)}" ${attrs}>${esc(s)}</text>`;
}

/** A step for grid lines that gives 3 to 8 of them. */
function niceStep(top: number): number {
  for (const step of [0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10]) if (top / step <= 8) return step;
  return 20;
}

export function renderChart(title: string, subtitle: string, sections: Section[]): string {
  const out: string[] = [];
  let y = 56;
  for (const s of sections) {
    const top = 1.12 * Math.max(s.reference ?? 0, ...s.bars.map((b) => Math.max(b.value, b.target?.limit ?? 0)), 0.1);
    const x = (v: number) => LABEL_W + (Math.max(0, v) / top) * PLOT_W;
    const height = s.bars.length * ROW_H;
    out.push(text(12, y + 16, s.title, 'font-weight="bold" font-size="14"'));
    y += TITLE_H;
    const step = niceStep(top);
    for (let v = 0; v <= top + 1e-9; v += step) {
      out.push(`<line x1="${f(x(v))}" y1="${y - 4}" x2="${f(x(v))}" y2="${y + height}" stroke="#e0e0e0"/>`);
      out.push(
        text(x(v), y + height + 12, `${Number(v.toFixed(2))}`, 'font-size="10" text-anchor="middle" fill="#757575"'),
      );
    }
    if (s.reference !== undefined) {
      const rx = f(x(s.reference));
      out.push(
        `<line x1="${rx}" y1="${y - 4}" x2="${rx}" y2="${y + height}" stroke="${COLORS.ref}" stroke-dasharray="4 3"/>`,
      );
    }
    for (const b of s.bars) {
      const color = b.met === undefined ? COLORS.plain : b.met ? COLORS.met : COLORS.missed;
      out.push(text(LABEL_W - 8, y + 12, b.label, 'font-size="12" text-anchor="end"'));
      out.push(`<rect x="${LABEL_W}" y="${y}" width="${f(x(b.value) - LABEL_W)}" height="${BAR_H}" fill="${color}"/>`);
      if (b.target) {
        const tx = f(x(b.target.limit));
        out.push(
          `<line x1="${tx}" y1="${y - 3}" x2="${tx}" y2="${y + BAR_H + 3}" stroke="${COLORS.mark}" stroke-width="2"/>`,
        );
      }
      const target = b.target ? ` (target ${b.target.sense === 'min' ? '≥' : '≤'}${b.target.limit})` : '';
      out.push(
        text(
          Math.max(x(b.value), b.target ? x(b.target.limit) : 0) + 6,
          y + 12,
          `${b.value.toFixed(2)}${b.suffix ?? ''}${target}`,
          'font-size="11"',
        ),
      );
      y += ROW_H;
    }
    y += 24;
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(12, 22, title, 'font-weight="bold" font-size="16"'),
    text(12, 40, subtitle, 'font-size="11" fill="#616161"'),
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
