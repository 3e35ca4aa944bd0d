/** W4 baseline: the hand-written length-prefix parser (../frame-parser.ts) over `'data'`. */
import net from 'node:net';
import { FRAME_BODY, FRAME_SIZE } from '../data.js';
import { FrameParser } from '../frame-parser.js';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, port, count } = childArgs();
if (variant !== 'parser') fail(`recv-frames-raw: unknown variant ${variant}`);
let frames = 0;
let bad = 0;
const stop = startClock();

function onFrame(body: Buffer): void {
  frames++;
  if (body.length !== FRAME_BODY) bad++;
}

const parser = new FrameParser(onFrame);
const socket = net.connect({ host: HOST, port: port as number });
socket.on('error', (e) => fail(`${variant}: ${e.message}`));
socket.on('data', (chunk: Buffer) => parser.push(chunk));
socket.on('end', () => {
  if (frames !== count || bad !== 0 || parser.leftover !== 0)
    fail(`${variant}: ${frames} frames (${bad} malformed, ${parser.leftover} bytes left over), expected ${count}`);
  stop(frames, frames * FRAME_SIZE);
});
