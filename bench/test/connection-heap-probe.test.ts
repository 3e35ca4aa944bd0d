// The connection-heap probe (src/probes/connection-heap.ts) runs end to end on a few real
// loopback connections and attributes heap to the objects each side holds: ours shows the
// stream, its transport and the pending read; raw Node shows none of them, and raw Node
// awaiting a line (W7's reference) shows the promise and the handler's suspended frame.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const probe = join(fileURLToPath(new URL('../dist/', import.meta.url)), 'probes', 'connection-heap.js');

/** The probe's output for `who` with `count` connections (throws with its stderr if it failed). */
function runProbe(who: string, count: number, flags = ['--expose-gc']): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [...flags, probe, who, String(count)], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

/** Rows `  <bytes> B <objects> objects  <label>` of the output, by label. */
function rows(out: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const match of out.matchAll(/^ *(\d+) B +[\d.]+ objects {2}(.+)$/gm)) {
    found.set(match[2] as string, Number(match[1]));
  }
  return found;
}

it('names what each idle connection of ours holds, per connection', () => {
  const { status, out } = runProbe('ours', 50);
  expect(status, out).toBe(0);
  expect(out).toMatch(/^ours, 50 idle connections with a read pending: \d+ B of heap each$/m);
  const held = rows(out);
  for (const label of ['IOStream', 'SocketTransport', 'UntilRead', 'SlabReader', 'Socket']) {
    expect(held.get(label), `${label} in\n${out}`).toBeGreaterThan(0);
  }
  // Made by the first write: an idle stream holds none.
  expect(held.has('RetainedWrites')).toBe(false);
  expect(out).toMatch(/^after GC, before the snapshots were read, per connection: RSS -?\d+ B/m);
});

it("raw Node's connections hold sockets and none of our objects", () => {
  const { status, out } = runProbe('raw', 50);
  expect(status, out).toBe(0);
  const held = rows(out);
  expect(held.get('Socket')).toBeGreaterThan(0);
  expect(held.has('IOStream')).toBe(false);
});

it('raw Node awaiting a line holds a promise and the suspended handler per connection, none of ours', () => {
  const { status, out } = runProbe('raw-await', 50);
  expect(status, out).toBe(0);
  expect(out).toMatch(/^raw-await, 50 idle connections with a read pending: \d+ B of heap each$/m);
  const held = rows(out);
  for (const label of ['Socket', 'Promise', 'Generator'])
    expect(held.get(label), `${label} in\n${out}`).toBeGreaterThan(0);
  expect(held.has('IOStream')).toBe(false);
});

it('refuses bad arguments and a missing --expose-gc with an error', () => {
  expect(runProbe('neither', 5).out).toMatch(/first argument must be ours, raw or raw-await/);
  expect(runProbe('ours', 0).out).toMatch(/count must be a positive integer/);
  expect(runProbe('ours', 5, []).out).toMatch(/run with node --expose-gc/);
});
