// Many streams at once, for `pnpm soak`: a `listen` server in this process and N client
// streams from `connect` in a child process (each process then needs only about N
// descriptors). Every connection does a few line round trips; in between, all N sit idle
// with a read pending on both ends, and each process reports, after full garbage
// collections, what it holds per connection. Exits the child and resolves with the figures.
//
//   runMany({ connections, roundTrips }) -> { server: {...}, client: {...}, errors, ... }
//   node many.mjs --client <port> <connections> <roundTrips>   (the child; prints JSON lines)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { connect, listen } from '../dist/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

/** Memory after a few full collections (with turns between, for finalisers). */
async function settled() {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
}

/** Per-connection figures from two snapshots, in bytes. */
const perConnection = (before, after, n) => ({
  rss: (after.rss - before.rss) / n,
  heap: (after.heapUsed - before.heapUsed) / n,
  arrayBuffers: (after.arrayBuffers - before.arrayBuffers) / n,
});

const line = (k) => `round trip ${k}\n`;

/** The child: N streams to `port`, all connected before any round trip; answers on stdout. */
async function client(port, connections, roundTrips) {
  const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const before = await settled();
  const streams = [];
  let next = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: Math.min(100, connections) }, async () => {
      while (next < connections) {
        next++;
        try {
          streams.push(await connect({ host: '127.0.0.1', port, timeout: 30_000 }));
        } catch {
          errors++;
        }
      }
    }),
  );
  // Everyone idle with a read pending (the server has not answered anything yet).
  const first = streams.map((s) => s.readUntil('\n', { maxBytes: 64 }).catch(() => null));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const idle = perConnection(before, await settled(), streams.length);
  say({ connected: streams.length, idle, errors });
  // The server says go (stdin closes): round trips, then end.
  await new Promise((resolve) => process.stdin.once('end', resolve).resume());
  let trips = 0;
  await Promise.all(
    streams.map(async (s, i) => {
      try {
        for (let k = 0; k < roundTrips; k++) {
          await s.write(line(k));
          const echoed = k === 0 ? await first[i] : await s.readUntil('\n', { maxBytes: 64 });
          if (echoed === null || echoed.toString() !== line(k)) throw new Error('echo differs');
          trips++;
        }
        await s.end();
      } catch {
        errors++;
      } finally {
        s.close();
      }
    }),
  );
  say({ trips, errors, peakRss: process.resourceUsage().maxRSS * 1024 });
}

/** The server side (this process) and the child; resolves with both sides' figures. */
export async function runMany({ connections, roundTrips }) {
  const before = await settled();
  let accepted = 0;
  let trips = 0;
  let errors = 0;
  const server = await listen(
    { host: '127.0.0.1', port: 0, backlog: 4096, onError: () => errors++ },
    async (stream) => {
      accepted++;
      for (;;) {
        await stream.write(await stream.readUntil('\n', { maxBytes: 64 }));
        trips++;
      }
    },
  );
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(import.meta.url),
      '--client',
      String(server.address().port),
      String(connections),
      String(roundTrips),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const answers = (async function* () {
    let pending = '';
    for await (const chunk of child.stdout.setEncoding('utf8')) {
      pending += chunk;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        yield JSON.parse(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    }
  })();
  const held = (await answers.next()).value;
  if (held === undefined) throw new Error('the client process exited early');
  // Every accepted stream is idle in readUntil now.
  while (accepted < held.connected) await new Promise((resolve) => setTimeout(resolve, 20));
  const idle = perConnection(before, await settled(), accepted);
  const serverPeakIdle = process.memoryUsage.rss();
  child.stdin.end();
  const done = (await answers.next()).value;
  await new Promise((resolve) => child.once('exit', resolve));
  const durationMs = performance.now() - started;
  await server.close({ closeStreams: true });
  return {
    connections: held.connected,
    expected: connections,
    roundTrips: done?.trips ?? 0,
    expectedRoundTrips: connections * roundTrips,
    serverRoundTrips: trips,
    errors: errors + held.errors + (done?.errors ?? 1),
    durationMs,
    server: { idle, rssAtIdle: serverPeakIdle, peakRss: process.resourceUsage().maxRSS * 1024 },
    client: { idle: held.idle, peakRss: done?.peakRss ?? 0 },
  };
}

/** The figures as a few human-readable lines. */
export function formatMany(r) {
  const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
  const kib = (n) => `${(n / 1024).toFixed(2)} KiB`;
  const each = (x) => `RSS ${kib(x.rss)}, heap ${kib(x.heap)}, ArrayBuffer ${kib(x.arrayBuffers)}`;
  return [
    `many connections:   ${r.connections} of ${r.expected} held at once (${r.roundTrips} of ${r.expectedRoundTrips} round trips, ${(r.durationMs / 1000).toFixed(1)} s)`,
    `errors:             ${r.errors}`,
    `server, per idle accepted stream (readUntil pending, after GC): ${each(r.server.idle)}`,
    `client, per idle connected stream (readUntil pending, after GC): ${each(r.client.idle)}`,
    `peak RSS:           server ${mib(r.server.peakRss)} (${mib(r.server.rssAtIdle)} with all idle), client ${mib(r.client.peakRss)}`,
  ].join('\n');
}

if (process.argv[2] === '--client') {
  const [port, connections, roundTrips] = process.argv.slice(3).map(Number);
  await client(port, connections, roundTrips);
  process.exit(0);
}
