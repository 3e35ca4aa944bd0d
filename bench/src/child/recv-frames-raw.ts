/**
 * W4 baselines, hand-written length-prefix parsers (../frame-parser.ts) over `'data'`:
 * `parser`: each frame goes to a callback, as such parsers are usually written.
 * `parser-await`: the same format pulled a frame at a time by an async loop that takes each
 * frame with an `await` of a promise resolved with it: what any one-promise-per-frame read
 * costs at least, with no stream under it (the bound for `await readFrame`).
 */
import net from 'node:net';
import { FRAME_BODY, FRAME_SIZE } from '../data.js';
import { FrameParser, FramePuller } from '../frame-parser.js';
import { childArgs, HOST } from '../protocol.js';
import { Arrivals } from './arrivals.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, port, count } = childArgs();
if (variant !== 'parser' && variant !== 'parser-await') fail(`recv-frames-raw: unknown variant ${variant}`);
let frames = 0;
let bad = 0;
const stop = startClock();

function finish(leftover: number): void {
  if (frames !== count || bad !== 0 || leftover !== 0)
    fail(`${variant}: ${frames} frames (${bad} malformed, ${leftover} bytes left over), expected ${count}`);
  stop(frames, frames * FRAME_SIZE);
}

const socket = net.connect({ host: HOST, port: port as number });
socket.on('error', (e) => fail(`${variant}: ${e.message}`));

if (variant === 'parser') {
  const parser = new FrameParser((body) => {
    frames++;
    if (body.length !== FRAME_BODY) bad++;
  });
  socket.on('data', (chunk: Buffer) => parser.push(chunk));
  socket.on('end', () => finish(parser.leftover));
} else {
  const puller = new FramePuller();
  const input = new Arrivals();
  socket.on('data', (chunk: Buffer) => {
    puller.push(chunk);
    input.arrived();
  });
  socket.on('end', () => input.end());
  // In a function, as a parsing loop is written: its counters are locals, not module bindings.
  const take = async (): Promise<void> => {
    let n = 0;
    let malformed = 0;
    for (;;) {
      const frame = puller.next();
      if (frame === null) {
        if (input.ended) break;
        await input.next();
        continue;
      }
      if ((await Promise.resolve(frame)).length !== FRAME_BODY) malformed++;
      n++;
    }
    frames = n;
    bad = malformed;
  };
  await take();
  finish(puller.leftover);
}
