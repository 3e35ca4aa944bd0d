#!/usr/bin/env node
// `pnpm soak`: the full-size load run. 1,000 concurrent loopback connections (both ends
// live in this process) each doing 1,000 request/response round trips with readUntil +
// readBytes against a server built on `listen`; prints connections, round trips, errors,
// bytes, duration and peak RSS, and exits 1 if anything was lost. Then many streams at
// once (many.mjs): 10,000 connections held together, the clients in a child process, a few
// round trips each, with peak RSS and what each idle stream holds on either end.
//
//   node packages/tcp/soak/soak.mjs [--connections 1000] [--round-trips 1000] [--max-body 16384]
//                                   [--many 10000] [--many-round-trips 10]   (--many 0: skip)
//
// Needs the build (`pnpm build`) and a file-descriptor limit of about 2 x connections + 64:
// both ends of each connection are sockets in this one process. `ulimit -n` is per process
// and inherited, and Node cannot raise its own, so raise it in the shell that starts this
// program (`ulimit -n 4096`); it checks the limit first and says what it needs.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connect, listen } from '../dist/index.js';
import { formatFigures, runLoad } from './load.mjs';
import { formatMany, runMany } from './many.mjs';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1000' },
    'round-trips': { type: 'string', default: '1000' },
    'max-body': { type: 'string', default: '16384' },
    many: { type: 'string', default: '10000' },
    'many-round-trips': { type: 'string', default: '10' },
  },
});
const many = Number(values.many);
const manyRoundTrips = Number(values['many-round-trips']);
if (!Number.isSafeInteger(many) || many < 0 || !Number.isSafeInteger(manyRoundTrips) || manyRoundTrips < 1) {
  console.error('--many must be a non-negative integer and --many-round-trips a positive one');
  process.exit(2);
}
const connections = Number(values.connections);
const roundTrips = Number(values['round-trips']);
const maxBody = Number(values['max-body']);
for (const [name, v] of [
  ['connections', connections],
  ['round-trips', roundTrips],
  ['max-body', maxBody],
]) {
  if (!Number.isSafeInteger(v) || v < 1) {
    console.error(`--${name} must be a positive integer`);
    process.exit(2);
  }
}

/** The soft limit on open files, from /proc where there is one; null if unknown. */
function openFileLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
    return soft === undefined ? null : Number(soft);
  } catch {
    return null;
  }
}

const needed = 2 * connections + 64;
const limit = openFileLimit();
console.log(
  `soak: ${connections} connections x ${roundTrips} round trips; needs ~${needed} file descriptors, ` +
    `limit ${limit === null ? 'unknown' : limit}`,
);
if (limit !== null && limit < needed) {
  console.error(
    `soak: the open-file limit (${limit}) is below what ${connections} connections need (${needed}). ` +
      `Raise it in the shell that runs this (ulimit -n ${Math.max(needed, 4096)}) or pass fewer --connections.`,
  );
  process.exit(2);
}

const result = await runLoad({ connect, listen, connections, roundTrips, maxBody });
console.log(formatFigures(result));
const b = result.bytes;
const intact =
  b.clientOut === b.expectedEachWay &&
  b.serverIn === b.expectedEachWay &&
  b.serverOut === b.expectedEachWay &&
  b.clientIn === b.expectedEachWay;
const ok = result.errors === 0 && result.roundTrips === result.expectedRoundTrips && intact;
console.log(ok ? 'soak: OK, nothing lost' : 'soak: FAILED');
if (!ok || many === 0) process.exit(ok ? 0 : 1);

// Each of the two processes holds one end of every connection.
if (limit !== null && limit < many + 64) {
  console.error(
    `soak: the open-file limit (${limit}) is below what ${many} connections need in each process (${many + 64}); ` +
      'raise the hard limit (ulimit -Hn, as root) or pass a smaller --many.',
  );
  process.exit(2);
}
console.log(`soak: ${many} connections at once x ${manyRoundTrips} round trips`);
const m = await runMany({ connections: many, roundTrips: manyRoundTrips });
console.log(formatMany(m));
const manyOk = m.errors === 0 && m.connections === many && m.roundTrips === m.expectedRoundTrips;
console.log(manyOk ? 'soak: many connections OK' : 'soak: many connections FAILED');
process.exit(manyOk ? 0 : 1);
