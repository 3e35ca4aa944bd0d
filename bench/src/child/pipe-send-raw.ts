/**
 * P5 baseline, the measured writer: spawns `cat` with its stdout on /dev/null and
 * writes `count` bytes to its stdin in 64 KiB `write`s, waiting for `'drain'`
 * whenever `write` returns false (`raw-drain`), or awaiting each write's callback
 * (`raw-await`, a reference); then ends stdin and waits for `cat` to exit (it has then
 * read every byte).
 */
import { once } from 'node:events';
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';
import { spawnPipeChild } from './pipe-child.js';
import { pumpRaw, pumpRawAwait } from './send-bulk.js';

failOnStrayErrors();
const args = childArgs();
const { variant, count } = args;
if (variant !== 'raw-drain' && variant !== 'raw-await') fail(`pipe-send-raw: unknown variant ${variant}`);
const child = await spawnPipeChild('sink', args);
const exited = once(child, 'exit');
const stop = startClock();
const stdin = child.stdin;
if (stdin === null) fail(`${variant}: cat has no stdin pipe`);
stdin.on('error', (e) => fail(`${variant}: ${e.message}`));
if (variant === 'raw-await') pumpRawAwait(stdin, count).catch((e: Error) => fail(`${variant}: ${e.message}`));
else pumpRaw(stdin, count);
const [code] = await exited;
if (code !== 0) fail(`${variant}: cat exited with ${code}`);
stop(count, count);
