/**
 * The bulk clock must not disturb what it measures: the first read past half the count
 * takes `seen()`'s half-way branch, and if V8 had no type feedback for that branch it
 * would deoptimise the receive loop `seen()` is inlined into and compile it again, inside
 * the second half it is timing. The clock takes that branch before it starts; this runs a
 * hot loop through a real clock under `--trace-opt --trace-deopt-verbose` and checks that nothing
 * deoptimises at the clock's code. No timing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const measure = fileURLToPath(new URL('../dist/child/measure.js', import.meta.url));

// Many calls of a small function that feeds the clock, so that V8 optimises it (with
// seen() inlined) well before the half-way read; stop() prints the measurement and exits.
const script = `
import { startBulkClock } from ${JSON.stringify(measure)};
const count = 4_000_000;
const clock = startBulkClock(count);
function read(bytes) { clock.seen(bytes); return bytes + 1; }
let bytes = 0;
while (bytes < count) bytes = read(bytes);
clock.stop(bytes, bytes);
`;

describe('startBulkClock', () => {
  it('reaches the second half without deoptimising the loop that feeds it', () => {
    const run = spawnSync(
      process.execPath,
      ['--trace-opt', '--trace-deopt-verbose', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    const m = JSON.parse(lines.find((l) => l.startsWith('{')) ?? 'null') as { secondHalf?: { bytes: number } };
    expect(m.secondHalf?.bytes).toBe(2_000_000);
    // The loop was optimised (else the check below proves nothing) ...
    expect(run.stdout).toMatch(/completed optimizing .*read/);
    // ... and no deopt points into the clock.
    expect(lines.filter((l) => l.includes('deoptimize at') && l.includes('measure.js'))).toEqual([]);
  });
});
