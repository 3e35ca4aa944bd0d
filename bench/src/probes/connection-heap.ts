/**
 * Where an idle connection's memory goes: a server holding `count` accepted connections,
 * each with a read pending (ours: `listen` + `readUntil('\n')`; raw: `net.createServer`
 * with a `'data'` listener; raw-await: `net.createServer` whose handler awaits a promise
 * per line resolved from a `'data'` listener; as W7's contenders), clients opened by a
 * child process. It
 * writes a heap snapshot before and after the connections arrive and prints the heap
 * bytes per connection by what V8 calls each object (constructor name, closure or
 * internal kind), largest first; then RSS and V8's heap spaces per connection after a
 * full collection, which shows how much of the RSS is young-generation pages the burst
 * of connections touched rather than objects that stay.
 *
 *   node --expose-gc bench/dist/probes/connection-heap.js [ours|raw|raw-await, default ours] [count, default 2000]
 *
 * Snapshots go to a temporary directory and are removed. 2,000 connections take a few
 * seconds; the descriptor limit bounds `count` (two descriptors a connection here). The
 * RSS line is rough at a few thousand connections (how far V8 grew its young generation
 * dominates it); W7 measures RSS per connection at 10,000 and more.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { listen } from '@iostream/tcp';
import { nextLine, until } from '../child/idle-memory.js';
import { HOST } from '../protocol.js';

const who = process.argv[2] ?? 'ours';
const count = Number(process.argv[3] ?? 2000);
if (who !== 'ours' && who !== 'raw' && who !== 'raw-await')
  throw new TypeError(`first argument must be ours, raw or raw-await, got ${who}`);
if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

/** Heap bytes and object counts by label (`Socket`, `closure:fail`, `array`, …) in one snapshot. */
function heapByLabel(file: string): Map<string, { bytes: number; count: number }> {
  type Snapshot = {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
  const out = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt] as number] as string;
    const name = snap.strings[snap.nodes[i + nameAt] as number] as string;
    const label = type === 'object' ? name : type === 'closure' ? `closure:${name || '(anonymous)'}` : `(${type})`;
    const entry = out.get(label) ?? { bytes: 0, count: 0 };
    entry.bytes += snap.nodes[i + sizeAt] as number;
    entry.count++;
    out.set(label, entry);
  }
  return out;
}

/** A full collection, a few times with turns in between so that weak callbacks and finalizers run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const held: unknown[] = [];
let port: number;
let close: () => Promise<void>;
if (who === 'raw' || who === 'raw-await') {
  const server = net.createServer(
    who === 'raw'
      ? (socket) => {
          held.push(socket);
          socket.on('data', () => {});
          socket.on('error', () => {});
        }
      : async (socket) => {
          held.push(socket);
          socket.on('error', () => {});
          await nextLine(socket);
        },
  );
  server.listen({ host: HOST, port: 0, backlog: 4096 });
  await once(server, 'listening');
  port = (server.address() as net.AddressInfo).port;
  close = async () => {
    for (const socket of held as net.Socket[]) socket.destroy();
    // Idempotent, as ours is: called again on the way out.
    if (server.listening) server.close();
  };
} else {
  const server = await listen({ host: HOST, port: 0, backlog: 4096 }, async (stream) => {
    held.push(stream);
    await stream.readUntil('\n', { maxBytes: 4096 });
  });
  port = server.address().port;
  close = () => server.close({ closeStreams: true });
}

const dir = mkdtempSync(join(tmpdir(), 'connection-heap-'));
try {
  // Written first and read at the end: reading a snapshot grows the heap, which would
  // count as the connections' memory.
  const beforeFile = v8.writeHeapSnapshot(join(dir, 'before.heapsnapshot'));
  await settle();
  const memoryBefore = process.memoryUsage();
  const spacesBefore = v8.getHeapSpaceStatistics();
  // The clients live in another process (W7's peer), so only the server's side is measured.
  const peer = fileURLToPath(new URL('../child/idle-peer.js', import.meta.url));
  const clients = spawn(process.execPath, [peer, JSON.stringify({ variant: 'accepted-idle', count, port })], {
    stdio: 'inherit',
  });
  const deadline = Date.now() + 60_000;
  await until(() => held.length === count || Date.now() > deadline);
  if (held.length < count) throw new Error(`only ${held.length} of ${count} connections arrived in 60 s`);
  await settle();
  const memoryAfter = process.memoryUsage();
  const spacesAfter = v8.getHeapSpaceStatistics();
  const after = heapByLabel(v8.writeHeapSnapshot(join(dir, 'after.heapsnapshot')));
  const before = heapByLabel(beforeFile);

  const rows: [string, number, number][] = [];
  let total = 0;
  for (const [label, { bytes, count: objects }] of after) {
    const was = before.get(label) ?? { bytes: 0, count: 0 };
    total += bytes - was.bytes;
    rows.push([label, (bytes - was.bytes) / count, (objects - was.count) / count]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  console.log(`${who}, ${count} idle connections with a read pending: ${(total / count).toFixed(0)} B of heap each`);
  for (const [label, bytes, objects] of rows) {
    if (bytes < 8) continue;
    console.log(`${bytes.toFixed(0).padStart(7)} B ${objects.toFixed(2).padStart(6)} objects  ${label}`);
  }
  const per = (a: number, b: number) => ((b - a) / count).toFixed(0);
  console.log(
    `after GC, before the snapshots were read, per connection: RSS ${per(memoryBefore.rss, memoryAfter.rss)} B, heap used ${per(memoryBefore.heapUsed, memoryAfter.heapUsed)} B`,
  );
  const spaces = spacesAfter
    .map((space) => {
      const was = spacesBefore.find((s) => s.space_name === space.space_name)?.space_size ?? 0;
      return `${space.space_name} ${per(was, space.space_size)}`;
    })
    .filter((text) => !text.endsWith(' 0'));
  console.log(`V8 heap spaces reserved, B per connection: ${spaces.join(', ')}`);
  // The peer exits once every connection is closed.
  const exited = once(clients, 'exit');
  await close();
  await exited;
} finally {
  await close();
  rmSync(dir, { recursive: true, force: true });
}
