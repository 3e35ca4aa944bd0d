/**
 * W2, ours: read `count` `\r\n`-terminated lines through an `IOStream`.
 * `ours-await`: `await readUntil('\r\n')` per line.
 * `ours-try`: `tryReadUntil('\r\n') ?? await readUntil('\r\n')`, the synchronous fast path.
 */
import { connect } from '@iostream/tcp';
import { LINE_SIZE } from '../data.js';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, port, count } = childArgs();
const stop = startClock();
const s = await connect({ host: HOST, port: port as number });
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
