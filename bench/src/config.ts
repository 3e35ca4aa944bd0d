/**
 * Command line and environment: how big and how many.
 *
 *   --quick            sizes / 8 and 3 repetitions (a smoke run; BENCH_QUICK=1)
 *   --reps N           repetitions per contender (BENCH_REPS; default 5, quick 3)
 *   --scale X          multiply every workload size by X (BENCH_SCALE)
 *   --only W2,W3       run only these workloads (BENCH_ONLY); results merge into latest.json
 *   --no-python        skip the Tornado and asyncio contenders (BENCH_NO_PYTHON=1)
 *   --no-pin           do not pin W3 to one CPU
 *   --out DIR          write latest.json, latest.md and chart.svg there (BENCH_OUT; default results/)
 */

export interface Config {
  quick: boolean;
  reps: number;
  scale: number;
  only: Set<string> | null;
  python: boolean;
  pin: boolean;
  /** Where results go; `null` = the committed bench/results/. */
  out: string | null;
}

const USAGE =
  'usage: node bench/dist/main.js [--quick] [--reps N] [--scale X] [--only W1,W2] [--no-python] [--no-pin] [--out DIR]';

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  let quick = env.BENCH_QUICK === '1';
  let reps: number | undefined = env.BENCH_REPS ? Number(env.BENCH_REPS) : undefined;
  let scale: number | undefined = env.BENCH_SCALE ? Number(env.BENCH_SCALE) : undefined;
  let only = env.BENCH_ONLY ?? null;
  let python = env.BENCH_NO_PYTHON !== '1';
  let pin = true;
  let out = env.BENCH_OUT ?? null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--quick') quick = true;
    else if (flag === '--reps') reps = Number(value());
    else if (flag === '--scale') scale = Number(value());
    else if (flag === '--only') only = value();
    else if (flag === '--no-python') python = false;
    else if (flag === '--no-pin') pin = false;
    else if (flag === '--out') out = value();
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  reps ??= quick ? 3 : 5;
  scale ??= quick ? 1 / 8 : 1;
  if (!Number.isInteger(reps) || reps < 1) usage('--reps must be a positive integer');
  if (!(scale > 0)) usage('--scale must be positive');
  const onlySet = only ? new Set(only.toUpperCase().split(',').filter(Boolean)) : null;
  return { quick, reps, scale, only: onlySet, python, pin, out };
}

function usage(problem?: string): never {
  if (problem) console.error(problem);
  console.error(USAGE);
  process.exit(problem ? 2 : 0);
}
