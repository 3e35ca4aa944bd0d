/**
 * W4, ours: read `count` length-prefixed frames (u32 big-endian length, body) through an `IOStream`.
 * `ours-await`: `await readBytes(4)`, then `await readBytes(n)`.
 * `ours-try`: the same with `tryReadBytes(…) ?? await readBytes(…)`.
 * `ours-frame-await`: `await readFrame({ lengthBytes: 4 })`, one read per frame.
 * `ours-frame-try`: `tryReadFrame(format) ?? await readFrame(format)`.
 */
import type { FrameFormat } from '@iostream/core';
import { connect } from '@iostream/tcp';
import { FRAME_BODY, FRAME_SIZE } from '../data.js';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, port, count } = childArgs();
const stop = startClock();
const s = await connect({ host: HOST, port: port as number });
let frames = 0;
let bad = 0;
// One object for every call: the stream checks a format once and remembers it by identity.
const U32: FrameFormat = { lengthBytes: 4 };
if (variant === 'ours-await') {
  for (; frames < count; frames++) {
    const n = (await s.readBytes(4)).readUInt32BE(0);
    const body = await s.readBytes(n);
    if (body.length !== FRAME_BODY) bad++;
  }
} else if (variant === 'ours-try') {
  for (; frames < count; frames++) {
    const n = (s.tryReadBytes(4) ?? (await s.readBytes(4))).readUInt32BE(0);
    const body = s.tryReadBytes(n) ?? (await s.readBytes(n));
    if (body.length !== FRAME_BODY) bad++;
  }
} else if (variant === 'ours-frame-await') {
  for (; frames < count; frames++) if ((await s.readFrame(U32)).length !== FRAME_BODY) bad++;
} else if (variant === 'ours-frame-try') {
  for (; frames < count; frames++) {
    const body = s.tryReadFrame(U32) ?? (await s.readFrame(U32));
    if (body.length !== FRAME_BODY) bad++;
  }
} else fail(`recv-frames-ours: unknown variant ${variant}`);
const rest = (await s.readUntilClose()).length;
if (bad !== 0 || rest !== 0) fail(`${variant}: ${bad} malformed frames, ${rest} bytes past the last frame`);
stop(frames, frames * FRAME_SIZE);
