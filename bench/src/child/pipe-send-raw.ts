/**
 * P5 baseline, the measured writer: spawns `cat` with its stdout on /dev/null and
 * writes `count` bytes to its stdin in 64 KiB `write`s, waiting for `'drain'`
 * whenever `write` returns false; then ends stdin and waits for `cat` to exit (it
 * has then read every byte).
 */
import { once } from 'node:events';
import { childArgs } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';
import { spawnPipeChild } from './pipe-child.js';
import { pumpRaw } from './send-bulk.js';

failOnStrayErrors();
const args = childArgs();
const { variant, count } = args;
if (variant !== 'raw-drain') fail(`pipe-send-raw: unknown variant ${variant}`);
const child = await spawnPipeChild('sink', args);
const exited = once(child, 'exit');
const stop = startClock();
const stdin = child.stdin;
if (stdin === null) fail('raw-drain: cat has no stdin pipe');
stdin.on('error', (e) => fail(`raw-drain: ${e.message}`));
pumpRaw(stdin, count);
const [code] = await exited;
if (code !== 0) fail(`raw-drain: cat exited with ${code}`);
stop(count, count);
