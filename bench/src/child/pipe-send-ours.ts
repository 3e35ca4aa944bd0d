/**
 * P5, ours, the measured writer: spawns `cat` with its stdout on /dev/null and sends
 * `count` bytes in 64 KiB writes through an `@iostream/pipe` stream over its stdin.
 * `ours-await`: `await write(chunk)` in a loop.
 * `ours-drained`: `write(chunk)` without awaiting, and `await drained()` whenever `needsDrain`.
 * Then `end()` and wait for `cat` to exit (it has then read every byte).
 */
import { once } from 'node:events';
import { fromChildProcess } from '@iostream/pipe';
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';
import { spawnPipeChild } from './pipe-child.js';
import { sendOurs } from './send-bulk.js';

failOnStrayErrors();
const args = childArgs();
const { variant, count } = args;
if (variant !== 'ours-await' && variant !== 'ours-drained') fail(`pipe-send-ours: unknown variant ${variant}`);
const child = await spawnPipeChild('sink', args);
const exited = once(child, 'exit');
const stop = startClock();
const { stdin: s } = fromChildProcess(child);
if (s === undefined) fail(`${variant}: cat has no stdin pipe`);
await sendOurs(s, variant === 'ours-await', count);
const [code] = await exited;
if (code !== 0) fail(`${variant}: cat exited with ${code}`);
stop(count, count);
