/**
 * `pnpm bench:micro`: the in-memory loops of loops.ts, each in a fresh process
 * (so one loop's type feedback does not slow another), `--reps` times (default 7),
 * printed as the median and range in nanoseconds per unit. No sockets: this is the
 * read path's own cost, and what Node charges for an await, a promise resolution
 * and a Buffer view. It reports numbers; it never fails because a machine was slow.
 *
 *   node bench/dist/micro/main.js [--reps N] [--only lines-await,view-from]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { max, median, min } from '../stats.js';
import { LOOPS } from './loops.js';

const self = fileURLToPath(import.meta.url);

async function child(name: string): Promise<void> {
  const loop = LOOPS[name];
  if (loop === undefined) throw new Error(`unknown loop ${name}`);
  process.stdout.write(`${await loop.run()}\n`);
}

function parent(argv: readonly string[]): void {
  let reps = 7;
  let only: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--reps') reps = Number(argv[++i]);
    else if (argv[i] === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else throw new Error(`usage: main.js [--reps N] [--only ${Object.keys(LOOPS).join(',')}]`);
  }
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a positive integer');
  const names = only ?? Object.keys(LOOPS);
  console.log(`Node ${process.version}, ${reps} processes per loop, ns per unit (median, min-max)\n`);
  // The names' column as wide as the longest name run.
  const width = Math.max(...names.map((name) => name.length));
  for (const name of names) {
    const loop = LOOPS[name];
    if (loop === undefined) throw new Error(`unknown loop ${name}; loops: ${Object.keys(LOOPS).join(', ')}`);
    const samples: number[] = [];
    for (let r = 0; r < reps; r++) {
      const out = execFileSync(process.execPath, [self, '--child', name], { encoding: 'utf8' });
      samples.push(Number(out.trim()));
    }
    const range = `${min(samples).toFixed(1)}-${max(samples).toFixed(1)}`;
    console.log(
      `${name.padEnd(width)} ${median(samples).toFixed(1).padStart(7)} ns/${loop.unit.padEnd(6)} ${range.padStart(12)}  ${loop.what}`,
    );
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] ?? '');
else parent(process.argv.slice(2));
