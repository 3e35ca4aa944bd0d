/**
 * W4 baseline: a hand-written length-prefix parser over `'data'`: each frame
 * is a big-endian u32 length and that many bytes. Frames inside a chunk are
 * views; only a frame that straddles chunks is assembled by copying.
 */
import net from 'node:net';
import { FRAME_BODY, FRAME_SIZE } from '../data.js';
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

let carry: Buffer | null = null;
const socket = net.connect({ host: HOST, port: port as number });
socket.on('error', (e) => fail(`${variant}: ${e.message}`));
socket.on('data', (chunk: Buffer) => {
  let pos = 0;
  if (carry !== null) {
    // Complete the straddling frame: its header first, then its body.
    if (carry.length < 4) {
      pos = Math.min(4 - carry.length, chunk.length);
      carry = Buffer.concat([carry, chunk.subarray(0, pos)]);
      if (carry.length < 4) return;
    }
    const need = 4 + carry.readUInt32BE(0) - carry.length;
    if (chunk.length - pos < need) {
      carry = Buffer.concat([carry, chunk.subarray(pos)]);
      return;
    }
    onFrame(Buffer.concat([carry, chunk.subarray(pos, pos + need)]).subarray(4));
    pos += need;
    carry = null;
  }
  const len = chunk.length;
  while (len - pos >= 4) {
    const n = chunk.readUInt32BE(pos);
    if (len - pos - 4 < n) break;
    onFrame(chunk.subarray(pos + 4, pos + 4 + n));
    pos += 4 + n;
  }
  if (pos < len) carry = chunk.subarray(pos);
});
socket.on('end', () => {
  if (frames !== count || bad !== 0 || carry !== null)
    fail(`${variant}: ${frames} frames (${bad} malformed, ${carry?.length ?? 0} bytes left over), expected ${count}`);
  stop(frames, frames * FRAME_SIZE);
});
