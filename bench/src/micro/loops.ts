/**
 * The measured loops of `pnpm bench:micro`: W2 and W4 read in memory (no TCP), the
 * hand-written parser over the same slices, and the Node costs every read pays (an
 * await, resolving a promise with a Buffer, making a Buffer view). Each returns
 * nanoseconds per unit; each runs in a fresh process (see main.ts).
 */
import { Buffer } from 'node:buffer';
import { bufferView, type FrameFormat, IOStream } from '@iostream/core';
import { buildFrames, buildLines, FRAME_BODY, LINE_SIZE } from '../data.js';
import { FrameParser } from '../frame-parser.js';
import { LendingTransport } from './lending-transport.js';
import { SLICE_SIZE, SliceTransport } from './slice-transport.js';

const LINES = 2_000_000;
const FRAMES = 2_000_000;
const FLOOR_OPS = 5_000_000;
/** `readInto` loops: reads of this many bytes into one reused buffer (small, so the copy a real read makes stays out of the figure). */
const INTO_READS = 2_000_000;
const INTO_SIZE = 1024;

type Loop = () => Promise<number>;

function nsPer(t0: bigint, units: number): number {
  return Number(process.hrtime.bigint() - t0) / units;
}

function check(bad: number, what: string): void {
  if (bad !== 0) throw new Error(`${what}: ${bad} malformed results`);
}

async function linesAwait(): Promise<number> {
  const s = new IOStream(new SliceTransport(buildLines(LINES)));
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) if ((await s.readUntil('\r\n')).length !== LINE_SIZE) bad++;
  const ns = nsPer(t0, LINES);
  check(bad, 'lines-await');
  return ns;
}

async function linesTry(): Promise<number> {
  const s = new IOStream(new SliceTransport(buildLines(LINES)));
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) {
    const line = s.tryReadUntil('\r\n') ?? (await s.readUntil('\r\n'));
    if (line.length !== LINE_SIZE) bad++;
  }
  const ns = nsPer(t0, LINES);
  check(bad, 'lines-try');
  return ns;
}

/** The try form bounded, as a server facing untrusted peers writes it. */
async function linesTryMaxBytes(): Promise<number> {
  const s = new IOStream(new SliceTransport(buildLines(LINES)));
  const bounded = { maxBytes: 1024 };
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) {
    const line = s.tryReadUntil('\r\n', bounded) ?? (await s.readUntil('\r\n', bounded));
    if (line.length !== LINE_SIZE) bad++;
  }
  const ns = nsPer(t0, LINES);
  check(bad, 'lines-try-maxBytes');
  return ns;
}

async function framesAwait(): Promise<number> {
  const s = new IOStream(new SliceTransport(buildFrames(FRAMES)));
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i++) {
    const n = (await s.readBytes(4)).readUInt32BE(0);
    if ((await s.readBytes(n)).length !== FRAME_BODY) bad++;
  }
  const ns = nsPer(t0, FRAMES);
  check(bad, 'frames-await');
  return ns;
}

async function framesTry(): Promise<number> {
  const s = new IOStream(new SliceTransport(buildFrames(FRAMES)));
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i++) {
    const n = (s.tryReadBytes(4) ?? (await s.readBytes(4))).readUInt32BE(0);
    const body = s.tryReadBytes(n) ?? (await s.readBytes(n));
    if (body.length !== FRAME_BODY) bad++;
  }
  const ns = nsPer(t0, FRAMES);
  check(bad, 'frames-try');
  return ns;
}

const U32: FrameFormat = { lengthBytes: 4 };

async function framesReadFrame(): Promise<number> {
  const s = new IOStream(new SliceTransport(buildFrames(FRAMES)));
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i++) if ((await s.readFrame(U32)).length !== FRAME_BODY) bad++;
  const ns = nsPer(t0, FRAMES);
  check(bad, 'frames-readFrame');
  return ns;
}

async function framesTryReadFrame(): Promise<number> {
  const s = new IOStream(new SliceTransport(buildFrames(FRAMES)));
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i++) {
    const body = s.tryReadFrame(U32) ?? (await s.readFrame(U32));
    if (body.length !== FRAME_BODY) bad++;
  }
  const ns = nsPer(t0, FRAMES);
  check(bad, 'frames-tryReadFrame');
  return ns;
}

/** The try form with the format written as a literal in each call: a new object every frame. */
async function framesTryReadFrameLiteral(): Promise<number> {
  const s = new IOStream(new SliceTransport(buildFrames(FRAMES)));
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i++) {
    const body = s.tryReadFrame({ lengthBytes: 4 }) ?? (await s.readFrame({ lengthBytes: 4 }));
    if (body.length !== FRAME_BODY) bad++;
  }
  const ns = nsPer(t0, FRAMES);
  check(bad, 'frames-tryReadFrame-literal');
  return ns;
}

/** W4's hand-written parser (../frame-parser.ts) over the same 64 KiB slices. */
async function framesParser(): Promise<number> {
  const data = buildFrames(FRAMES);
  let frames = 0;
  let bad = 0;
  const parser = new FrameParser((body) => {
    frames++;
    if (body.length !== FRAME_BODY) bad++;
  });
  const t0 = process.hrtime.bigint();
  for (let p = 0; p < data.length; p += SLICE_SIZE) parser.push(data.subarray(p, p + SLICE_SIZE));
  const ns = nsPer(t0, FRAMES);
  check(bad + (frames === FRAMES && parser.leftover === 0 ? 0 : 1), 'frames-parser');
  return ns;
}

/**
 * `await readInto(buf)` into one reused buffer, each read landing in the microtasks after
 * core lent `buf` (see lending-transport.ts): W1 `readInto`'s read path in memory.
 */
async function intoLent(): Promise<number> {
  const transport = new LendingTransport(INTO_READS * INTO_SIZE, INTO_SIZE);
  const s = new IOStream(transport);
  const buf = Buffer.alloc(INTO_SIZE);
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < INTO_READS; i++) if ((await s.readInto(buf)) !== INTO_SIZE || buf[0] !== (i & 255)) bad++;
  const ns = nsPer(t0, INTO_READS);
  check(bad, 'into-lent');
  // Every read went into the lent buffer: the path measured is the zero-copy one, not a copy.
  check(INTO_READS - transport.lentReads, 'into-lent (reads not lent)');
  return ns;
}

/**
 * The least an awaited read into the caller's memory costs: a promise per read, settled
 * from the microtasks by a "read" that writes into the buffer, as into-lent's are.
 */
async function intoFloor(): Promise<number> {
  const buf = Buffer.alloc(INTO_SIZE);
  let seq = 0;
  let settle: (n: number) => void = () => {};
  const land = (): void => {
    buf[0] = seq++ & 255;
    settle(INTO_SIZE);
  };
  const read = (resolve: (n: number) => void): void => {
    settle = resolve;
    queueMicrotask(land);
  };
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < INTO_READS; i++) if ((await new Promise(read)) !== INTO_SIZE || buf[0] !== (i & 255)) bad++;
  const ns = nsPer(t0, INTO_READS);
  check(bad, 'into-floor');
  return ns;
}

// ---- what Node charges per read, whatever the library ----

const slab = Buffer.allocUnsafeSlow(64 * 1024);
const slabArray = slab.buffer;

async function awaitSettled(): Promise<number> {
  const settled = Promise.resolve(1);
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FLOOR_OPS; i++) sum += await settled;
  const ns = nsPer(t0, FLOOR_OPS);
  if (sum !== FLOOR_OPS) throw new Error('await-settled: wrong sum');
  return ns;
}

async function resolveWith(value: unknown): Promise<number> {
  let same = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FLOOR_OPS; i++) if ((await Promise.resolve(value)) === value) same++;
  const ns = nsPer(t0, FLOOR_OPS);
  if (same !== FLOOR_OPS) throw new Error('resolve: wrong value');
  return ns;
}

/**
 * A Buffer class whose prototype answers `then` itself, so resolving a promise with one
 * skips V8's walk up Buffer's prototype chain. Measured only, to show what that walk costs:
 * core does not hand these out, because `assert.deepStrictEqual` compares prototypes and
 * would then reject a result against an equal `Buffer`.
 */
class ThenAnsweringBuffer extends Uint8Array {}
Object.setPrototypeOf(ThenAnsweringBuffer.prototype, Buffer.prototype);
Object.defineProperty(ThenAnsweringBuffer.prototype, 'then', { value: undefined });

async function viewWith(make: (at: number) => Uint8Array): Promise<number> {
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FLOOR_OPS; i++) sum += make((i * 64) & 0xffff).length;
  const ns = nsPer(t0, FLOOR_OPS);
  if (sum !== FLOOR_OPS * 64) throw new Error('view: wrong length');
  return ns;
}

/** Every loop, by name, with what it measures. */
export const LOOPS: Record<string, { what: string; unit: string; run: Loop }> = {
  'lines-await': { what: "await readUntil('\\r\\n')", unit: 'line', run: linesAwait },
  'lines-try': { what: "tryReadUntil('\\r\\n') ?? await readUntil", unit: 'line', run: linesTry },
  'lines-try-maxBytes': { what: 'the same with { maxBytes: 1024 }', unit: 'line', run: linesTryMaxBytes },
  'frames-await': { what: 'await readBytes(4), await readBytes(n)', unit: 'frame', run: framesAwait },
  'frames-try': { what: 'tryReadBytes(…) ?? await readBytes(…), twice', unit: 'frame', run: framesTry },
  'frames-readFrame': { what: 'await readFrame({ lengthBytes: 4 })', unit: 'frame', run: framesReadFrame },
  'frames-tryReadFrame': { what: 'tryReadFrame(…) ?? await readFrame(…)', unit: 'frame', run: framesTryReadFrame },
  'frames-tryReadFrame-literal': {
    what: 'the same, the format a literal in each call',
    unit: 'frame',
    run: framesTryReadFrameLiteral,
  },
  'frames-parser': { what: 'hand-written length-prefix parser', unit: 'frame', run: framesParser },
  'into-lent': { what: 'await readInto(buf), each read landing in the lent buf', unit: 'read', run: intoLent },
  'into-floor': { what: 'a promise per read, settled by a write into buf', unit: 'read', run: intoFloor },
  'await-settled': { what: 'await a settled promise', unit: 'await', run: awaitSettled },
  'resolve-number': { what: 'await Promise.resolve(number)', unit: 'await', run: () => resolveWith(1) },
  'resolve-buffer': {
    what: 'await Promise.resolve(Buffer)',
    unit: 'await',
    run: () => resolveWith(slab.subarray(0, 64)),
  },
  'resolve-then-own': {
    what: 'await Promise.resolve(Buffer whose prototype has then)',
    unit: 'await',
    run: () => resolveWith(new ThenAnsweringBuffer(slabArray, slab.byteOffset, 64)),
  },
  'view-subarray': {
    what: 'buf.subarray(at, at + 64)',
    unit: 'view',
    run: () => viewWith((at) => slab.subarray(at, at + 64)),
  },
  'view-from': {
    what: 'Buffer.from(arrayBuffer, at, 64)',
    unit: 'view',
    run: () => viewWith((at) => Buffer.from(slabArray, slab.byteOffset + at, 64)),
  },
  'view-core': {
    what: "bufferView(arrayBuffer, at, 64) (core: Node's Buffer class directly)",
    unit: 'view',
    run: () => viewWith((at) => bufferView(slabArray, slab.byteOffset + at, 64)),
  },
  'view-uint8array': {
    what: 'new Uint8Array(arrayBuffer, at, 64) (not a Buffer)',
    unit: 'view',
    run: () => viewWith((at) => new Uint8Array(slabArray, slab.byteOffset + at, 64)),
  },
};
