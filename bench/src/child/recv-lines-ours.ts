/**
 * W2 (T2 over TLS, P2 over pipes), ours: read `count` `\r\n`-terminated lines through an `IOStream`.
 * `ours-await`: `await readUntil('\r\n')` per line.
 * `ours-try`: `tryReadUntil('\r\n') ?? await readUntil('\r\n')`, the synchronous fast path.
 */
import { LINE_SIZE } from '../data.js';
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';
import { oursEnds } from './ours-ends.js';
import { pipeChildFor } from './pipe-child.js';

failOnStrayErrors();
const args = childArgs();
const { variant, count } = args;
const child = await pipeChildFor(args, 'source', 'lines');
const stop = startClock();
const { reader: s } = await oursEnds(args, child);
let lines = 0;
let bad = 0;
if (variant === 'ours-await') {
  for (; lines < count; lines++) {
    const line = await s.readUntil('\r\n');
    if (line.length !== LINE_SIZE) bad++;
  }
} else if (variant === 'ours-try') {
  for (; lines < count; lines++) {
    const line = s.tryReadUntil('\r\n') ?? (await s.readUntil('\r\n'));
    if (line.length !== LINE_SIZE) bad++;
  }
} else fail(`recv-lines-ours: unknown variant ${variant}`);
const rest = (await s.readUntilClose()).length;
if (bad !== 0 || rest !== 0) fail(`${variant}: ${bad} malformed lines, ${rest} bytes past the last line`);
stop(lines, lines * LINE_SIZE);
