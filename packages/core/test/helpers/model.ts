/**
 * The reference model for the property tests: the whole inbound byte string as
 * one plain Buffer, a read position, and Buffer#indexOf / RegExp#exec. It knows
 * nothing about chunks, flow control or timing; core must agree with it.
 */
import fc from 'fast-check';
import { EOF, IOStream, IOStreamError, StreamClosedError } from '../../src/index.js';
import { ScriptedTransport } from './scripted-transport.js';

export type Op =
  | { kind: 'bytes'; n: number }
  | { kind: 'bytesPartial'; n: number }
  | { kind: 'bytesOnChunk'; n: number }
  | { kind: 'until'; delim: Buffer; asString: boolean; maxBytes: number | undefined }
  | { kind: 'regex'; source: string; flags: string; maxBytes: number | undefined }
  | { kind: 'into'; size: number }
  | { kind: 'intoPartial'; size: number }
  | { kind: 'tryBytes'; n: number }
  | { kind: 'tryUntil'; delim: Buffer; maxBytes: number | undefined }
  | { kind: 'tryInto'; size: number }
  | { kind: 'untilClose'; streaming: boolean };

/** Ops whose outcome the model predicts exactly whatever was buffered (no partial, no try). */
export const EXACT: ReadonlySet<Op['kind']> = new Set([
  'bytes',
  'bytesOnChunk',
  'until',
  'regex',
  'into',
  'untilClose',
]);

// Bytes that make delimiters and matches frequent, plus the occasional arbitrary byte.
const SMALL = [0x61, 0x62, 0x0d, 0x0a, 0x00, 0xff];
const smallByte = fc.constantFrom(...SMALL);
export const byteArb = fc.oneof(
  { weight: 5, arbitrary: smallByte },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
);
export const dataArb = (maxLength: number) => fc.array(byteArb, { maxLength, size: 'max' }).map((a) => Buffer.from(a));
/**
 * Long inputs as a short random pattern repeated to a random length: cheap to
 * generate, and cheap to shrink when a property fails (shrinking thousands of
 * independent bytes one by one would take minutes).
 */
export const longDataArb = (maxLength: number) =>
  fc
    .record({
      pattern: fc.array(byteArb, { minLength: 1, maxLength: 97 }),
      length: fc.integer({ min: 0, max: maxLength }),
    })
    .map(({ pattern, length }) => Buffer.from(Array.from({ length }, (_, i) => pattern[i % pattern.length] as number)));
const delimArb = fc.array(smallByte, { minLength: 1, maxLength: 4 }).map((a) => Buffer.from(a));
const maxBytesArb = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: undefined });
const hex = (b: number) => `\\x${b.toString(16).padStart(2, '0')}`;
// Fixed-length patterns only, so the first match in any prefix is the first match overall
// (a greedy `a+` would legitimately depend on how much has arrived, in Tornado too).
const regexToken = fc.oneof(smallByte.map(hex), fc.constantFrom('[ab]', '[\\r\\n]', '.', '[^a]', '\\x00'));
const regexArb = (maxN: number) =>
  fc.record({
    source: fc.array(regexToken, { minLength: 1, maxLength: 3 }).map((t) => t.join('')),
    flags: fc.constantFrom('', 'g', 'i'),
    maxBytes: maxBytesArb(Math.floor(maxN * 1.5)),
  });

/** Read operations with sizes up to `maxN` bytes. */
export const opArbOf = (maxN: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('bytes' as const), n: fc.integer({ min: 0, max: maxN }) }) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('bytesPartial' as const), n: fc.integer({ min: 1, max: maxN }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('bytesOnChunk' as const), n: fc.integer({ min: 0, max: maxN }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('until' as const),
        delim: delimArb,
        asString: fc.boolean(),
        maxBytes: maxBytesArb(Math.floor(maxN * 1.5)),
      }),
    },
    { weight: 4, arbitrary: regexArb(maxN).map((r) => ({ kind: 'regex' as const, ...r })) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('into' as const), size: fc.integer({ min: 1, max: maxN }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('intoPartial' as const), size: fc.integer({ min: 1, max: maxN }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('tryBytes' as const), n: fc.integer({ min: 0, max: maxN }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('tryUntil' as const),
        delim: delimArb,
        maxBytes: maxBytesArb(Math.floor(maxN * 1.5)),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('tryInto' as const), size: fc.integer({ min: 1, max: maxN }) }),
    },
    // Rare: it consumes everything, so it ends the interesting part of a sequence.
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('untilClose' as const), streaming: fc.boolean() }) },
  );
export const opArb = opArbOf(40);

/** Split `data` into chunks whose sizes cycle through `sizes` (each at least 1). */
export function cut(data: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = Math.max(1, sizes.length === 0 ? data.length : (sizes[i % sizes.length] as number));
    out.push(Buffer.from(data.subarray(at, at + n)));
    at += n;
  }
  return out;
}

export interface DriveOptions {
  readChunkSize: number;
  /** 'upfront': every chunk and EOF queued before the stream exists; 'trickle': one chunk at a time while a read waits. */
  mode: 'upfront' | 'trickle';
}

class Mismatch extends Error {}
function check(cond: boolean, what: string): void {
  if (!cond) throw new Mismatch(what);
}

function errorCode(e: unknown): string {
  check(e instanceof IOStreamError, `expected an IOStreamError, got ${String(e)}`);
  const error = e as IOStreamError;
  if (error instanceof StreamClosedError) check(error.realError === null, 'a clean EOF has realError null');
  return `err:${error.code}`;
}

/** Where `delim` ends within `hay` (-1 if absent). */
function endOf(hay: Buffer, delim: Buffer): number {
  const i = hay.indexOf(delim);
  return i < 0 ? -1 : i + delim.length;
}

/**
 * Run `ops` against a stream fed `data` in the given chunks, checking every
 * outcome against the model as it goes; returns the outcomes as strings.
 */
export async function drive(data: Buffer, chunks: readonly Buffer[], ops: readonly Op[], o: DriveOptions) {
  const t = new ScriptedTransport();
  let next = 0;
  let eofSent = false;
  if (o.mode === 'upfront') {
    t.inbound.push(...chunks, EOF);
    next = chunks.length;
    eofSent = true;
  }
  const stream = new IOStream(t, { readChunkSize: o.readChunkSize });
  let delivered = o.mode === 'upfront' ? data.length : 0;
  let pos = 0;
  /**
   * Deliver chunks one at a time until `p` settles. `ready(available)` says whether the
   * bytes delivered so far already decide the read; if so it must have settled by now
   * (a read settles as soon as it can, not at the next chunk or at EOF).
   */
  const feedUntilSettled = async (p: Promise<unknown>, ready: (available: Buffer) => boolean) => {
    let done = false;
    p.then(
      () => (done = true),
      () => (done = true),
    );
    await null;
    while (!done && !eofSent) {
      check(!ready(data.subarray(pos, delivered)), 'a read settles as soon as the delivered bytes decide it');
      if (next < chunks.length) {
        const chunk = chunks[next++] as Buffer;
        delivered += chunk.length;
        t.push(chunk);
      } else {
        t.pushEof();
        eofSent = true;
      }
      await null;
    }
  };
  const settle = async <T>(
    p: Promise<T>,
    ready: (available: Buffer) => boolean = () => false,
  ): Promise<{ value: T } | { error: unknown }> => {
    await feedUntilSettled(p, ready);
    try {
      return { value: await p };
    } catch (error) {
      return { error };
    }
  };

  const outcomes: string[] = [];
  for (const op of ops) {
    const rest = data.subarray(pos);
    const buffered = stream.readableLength;
    const wasClosed = stream.closed();
    check(buffered <= rest.length, 'never buffers more than was sent');
    check(!stream.reading(), 'no read left pending');
    let outcome: string;
    let stop = false;
    switch (op.kind) {
      case 'bytes': {
        const r = await settle(stream.readBytes(op.n), (a) => a.length >= op.n);
        if (rest.length >= op.n) {
          check('value' in r && r.value.equals(rest.subarray(0, op.n)), 'readBytes result');
          pos += op.n;
          outcome = `ok:${rest.subarray(0, op.n).toString('hex')}`;
        } else {
          outcome = 'error' in r ? errorCode(r.error) : 'resolved';
          check(outcome === 'err:ERR_STREAM_CLOSED', 'readBytes past the end rejects');
        }
        break;
      }
      case 'bytesPartial': {
        const r = await settle(stream.readBytes(op.n, { partial: true }), (a) => a.length > 0);
        if (rest.length === 0) {
          outcome = 'error' in r ? errorCode(r.error) : 'resolved';
          check(outcome === 'err:ERR_STREAM_CLOSED', 'partial read at the end rejects');
        } else {
          check('value' in r, 'partial read resolves');
          const got = (r as { value: Buffer }).value;
          check(got.length >= 1 && got.length <= Math.min(op.n, rest.length), 'partial length');
          check(got.equals(rest.subarray(0, got.length)), 'partial bytes');
          pos += got.length;
          outcome = `partial:${got.length}`;
        }
        break;
      }
      case 'bytesOnChunk': {
        const pieces: Buffer[] = [];
        const r = await settle(
          stream.readBytes(op.n, { onChunk: (c) => pieces.push(Buffer.from(c)) }),
          (a) => a.length >= op.n,
        );
        check(
          pieces.every((p) => p.length > 0),
          'onChunk pieces are non-empty',
        );
        const got = Buffer.concat(pieces);
        if (rest.length >= op.n) {
          check('value' in r && r.value.length === 0 && got.equals(rest.subarray(0, op.n)), 'onChunk result');
          pos += op.n;
          outcome = `ok:${got.toString('hex')}`;
        } else {
          outcome = 'error' in r ? errorCode(r.error) : 'resolved';
          check(outcome === 'err:ERR_STREAM_CLOSED' && got.equals(rest), 'onChunk past the end');
          pos = data.length;
        }
        break;
      }
      case 'until':
      case 'regex': {
        let end: number;
        let r: { value: Buffer } | { error: unknown };
        const opts = op.maxBytes === undefined ? {} : { maxBytes: op.maxBytes };
        // Found, or more than maxBytes without a match: either way the read is decided.
        const decided = (found: number, a: Buffer) =>
          found >= 0 || (op.maxBytes !== undefined && a.length > op.maxBytes);
        if (op.kind === 'until') {
          end = endOf(rest, op.delim);
          // A string delimiter is UTF-8: use the string form only when it encodes to the same bytes.
          const text = op.delim.toString('latin1');
          const asText = op.asString && Buffer.from(text, 'utf8').equals(op.delim);
          r = await settle(stream.readUntil(asText ? text : op.delim, opts), (a) => decided(endOf(a, op.delim), a));
        } else {
          const m = new RegExp(op.source, op.flags).exec(rest.toString('latin1'));
          end = m === null ? -1 : m.index + m[0].length;
          r = await settle(stream.readUntilRegex(new RegExp(op.source, op.flags), opts), (a) => {
            const am = new RegExp(op.source, op.flags).exec(a.toString('latin1'));
            return decided(am === null ? -1 : am.index + am[0].length, a);
          });
        }
        const max = op.maxBytes;
        if (end >= 0 && (max === undefined || end <= max)) {
          check('value' in r && r.value.equals(rest.subarray(0, end)), `${op.kind} result`);
          pos += end;
          outcome = `ok:${rest.subarray(0, end).toString('hex')}`;
        } else {
          outcome = 'error' in r ? errorCode(r.error) : 'resolved';
          if (max !== undefined && (end >= 0 || rest.length > max)) {
            check(outcome === 'err:ERR_UNSATISFIABLE_READ', `${op.kind} past maxBytes`);
            check(stream.closed(), 'an unsatisfiable read closes the stream');
            stop = true; // what stays buffered now depends on timing; the model ends here
          } else check(outcome === 'err:ERR_STREAM_CLOSED', `${op.kind} without a match`);
        }
        break;
      }
      case 'into':
      case 'intoPartial': {
        const target = Buffer.alloc(op.size, 0xee);
        const partial = op.kind === 'intoPartial';
        const r = await settle(stream.readInto(target, { partial }), (a) => a.length >= (partial ? 1 : op.size));
        if (rest.length >= op.size || (partial && rest.length > 0)) {
          check('value' in r, 'readInto resolves');
          const k = (r as { value: number }).value;
          check(partial ? k >= 1 && k <= Math.min(op.size, rest.length) : k === op.size, 'readInto count');
          check(target.subarray(0, k).equals(rest.subarray(0, k)), 'readInto bytes');
          pos += k;
          outcome = partial ? `partial:${k}` : `into:${rest.subarray(0, k).toString('hex')}`;
        } else {
          outcome = 'error' in r ? errorCode(r.error) : 'resolved';
          check(outcome === 'err:ERR_STREAM_CLOSED', 'readInto past the end rejects, giving bytes back');
        }
        break;
      }
      case 'tryBytes': {
        const got = stream.tryReadBytes(op.n);
        if (buffered >= op.n) {
          check(got?.equals(rest.subarray(0, op.n)) === true, 'tryReadBytes result');
          pos += op.n;
        } else check(got === null, 'tryReadBytes null');
        outcome = got === null ? 'null' : `ok:${got.toString('hex')}`;
        break;
      }
      case 'tryUntil': {
        const got = stream.tryReadUntil(op.delim, op.maxBytes === undefined ? {} : { maxBytes: op.maxBytes });
        const end = endOf(rest.subarray(0, buffered), op.delim);
        if (end >= 0 && (op.maxBytes === undefined || end <= op.maxBytes)) {
          check(got?.equals(rest.subarray(0, end)) === true, 'tryReadUntil result');
          pos += end;
        } else check(got === null && stream.closed() === wasClosed, 'tryReadUntil null, with no error');
        outcome = got === null ? 'null' : `ok:${got.toString('hex')}`;
        break;
      }
      case 'tryInto': {
        const target = Buffer.alloc(op.size);
        const got = stream.tryReadInto(target);
        if (buffered >= op.size) {
          check(got === op.size && target.equals(rest.subarray(0, op.size)), 'tryReadInto result');
          pos += op.size;
        } else check(got === null, 'tryReadInto null');
        outcome = got === null ? 'null' : `into:${target.toString('hex')}`;
        break;
      }
      case 'untilClose': {
        const pieces: Buffer[] = [];
        const r = await settle(
          op.streaming
            ? stream.readUntilClose({ onChunk: (c) => pieces.push(Buffer.from(c)) })
            : stream.readUntilClose(),
        );
        check('value' in r, 'readUntilClose resolves');
        const got = op.streaming ? Buffer.concat(pieces) : (r as { value: Buffer }).value;
        if (op.streaming) check((r as { value: Buffer }).value.length === 0, 'streaming readUntilClose resolves empty');
        check(got.equals(rest), 'readUntilClose returns everything left');
        check(stream.closed() && stream.error === null, 'closed cleanly');
        pos = data.length;
        outcome = `ok:${got.toString('hex')}`;
        break;
      }
    }
    outcomes.push(`${op.kind}:${outcome}`);
    if (stop) break;
  }
  stream.close();
  return outcomes;
}
