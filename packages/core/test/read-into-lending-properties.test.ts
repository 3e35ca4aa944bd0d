/**
 * Property: over a transport that reads straight into lent `readInto` targets, any mix
 * of `readInto` and `readBytes` (partial or not), however the peer's bytes are cut and
 * whether the transport takes each loan or not (and hands a filled target back as itself
 * or as a view), returns the stream's bytes in order;
 * results the caller holds never change, even as the caller reuses its `readInto`
 * targets; and no byte is written outside a target.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IOStream, StreamClosedError } from '../src/index.js';
import { LendingTransport } from './helpers/lending-transport.js';
import { state } from './helpers/scripted-transport.js';

type Op = { kind: 'into' | 'bytes'; size: number; partial: boolean };

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<'into' | 'bytes'>('into', 'bytes'),
  size: fc.integer({ min: 1, max: 60 }),
  partial: fc.boolean(),
});
/** One piece the peer sends, and whether the transport takes loans from then on. */
const pieceArb = fc.record({ size: fc.integer({ min: 1, max: 40 }), accepting: fc.boolean() });

const SENTINEL = 0xa5;
const SCRIBBLE = 0x5a;

async function run(
  data: Uint8Array,
  pieces: { size: number; accepting: boolean }[],
  ops: Op[],
  chunk: number,
  handsBackTarget = false,
) {
  const t = new LendingTransport();
  t.handsBackTarget = handsBackTarget;
  const stream = new IOStream(t, { readChunkSize: chunk });
  // Every readInto target is a slice of one backing buffer, with a sentinel byte either side.
  const backing = new Uint8Array(ops.reduce((n, op) => n + op.size + 1, 1)).fill(SENTINEL);
  let sent = 0;
  let piece = 0;
  let ended = false;
  const sendNext = () => {
    const p = pieces[piece++ % pieces.length] as { size: number; accepting: boolean };
    t.accepting = p.accepting;
    const end = Math.min(data.length, sent + p.size);
    t.send(data.subarray(sent, end));
    sent = end;
  };
  const got: Buffer[] = [];
  const held: { result: Buffer; copy: Buffer }[] = [];
  const targets: Uint8Array[] = [];
  let at = 1;
  for (const op of ops) {
    const target = backing.subarray(at, at + op.size);
    at += op.size + 1;
    const p: Promise<number | Buffer> =
      op.kind === 'into'
        ? stream.readInto(target, { partial: op.partial })
        : stream.readBytes(op.size, { partial: op.partial });
    while ((await state(p)) === 'pending') {
      if (sent < data.length) sendNext();
      else if (!ended) {
        ended = true;
        t.pushEof();
      }
    }
    let result: number | Buffer;
    try {
      result = await p;
    } catch (error) {
      expect(error).toBeInstanceOf(StreamClosedError);
      break;
    }
    if (typeof result === 'number') {
      got.push(Buffer.from(target.subarray(0, result)));
      targets.push(target);
      // The caller reuses its buffer at once: nothing the stream keeps may change with it.
      target.fill(SCRIBBLE);
    } else {
      got.push(Buffer.from(result));
      held.push({ result, copy: Buffer.from(result) });
    }
  }
  while (sent < data.length) sendNext();
  if (!ended) t.pushEof();
  const rest = await stream.readUntilClose();
  expect(Buffer.concat([...got, rest])).toEqual(Buffer.from(data));
  for (const h of held) expect(h.result).toEqual(h.copy);
  // Outside the targets, every byte is still a sentinel.
  let pos = 0;
  for (const op of ops) {
    expect(backing[pos]).toBe(SENTINEL);
    pos += op.size + 1;
  }
  expect(backing[pos]).toBe(SENTINEL);
  return t;
}

describe('properties: readInto with lent targets', () => {
  it('mixed readInto and readBytes over a lending transport: bytes in order, held results unchanged, nothing written past a target', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        fc.array(pieceArb, { minLength: 1, maxLength: 12 }),
        fc.array(opArb, { maxLength: 25 }),
        fc.integer({ min: 1, max: 128 }),
        fc.boolean(),
        async (data, pieces, ops, chunk, handsBack) => {
          await run(data, pieces, ops, chunk, handsBack);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the transport is lent every readInto target that starts with nothing buffered', async () => {
    // A whole-target loan, and only readInto: each read starts empty, so each is lent.
    const data = new Uint8Array(200).map((_, i) => i);
    const ops: Op[] = Array.from({ length: 10 }, () => ({ kind: 'into', size: 20, partial: false }));
    const t = await run(data, [{ size: 20, accepting: true }], ops, 64);
    expect(t.loans.filter((l) => l !== null && l.length === 20)).toHaveLength(10);
    expect(t.readCalls).toBeGreaterThan(0);
  });
});
