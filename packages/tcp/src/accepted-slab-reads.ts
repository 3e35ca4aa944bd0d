import net from 'node:net';
import { SlabReader } from './slab-reader.js';

/**
 * The three per-socket slots through which `net.Socket` implements its `onread`
 * option. Node keeps them under private symbols; they are found by name on a probe
 * socket made with `onread`, and trusted only if they hold what the probe was given.
 */
export interface OnreadSlots {
  /** The buffer Node reads into next (or `true` before the first one is made). */
  buffer: symbol;
  /** `onread.callback`. */
  callback: symbol;
  /** `onread.buffer` when it is a function (else `null`). */
  generator: symbol;
}

/** Found once per process: `null` when this Node does not keep `onread` as expected. */
let slots: OnreadSlots | null | undefined;

function findOnreadSlots(): OnreadSlots | null {
  const generator = () => Buffer.alloc(1);
  const callback = () => true;
  // The constructor takes `onread` (net.connect passes it on), though Node 20's typings list it for connect only.
  const options: net.SocketConstructorOpts & { onread: net.OnReadOpts } = { onread: { buffer: generator, callback } };
  // A socket with no handle: it opens nothing and needs no clean-up.
  const probe = new net.Socket(options) as unknown as Record<symbol, unknown>;
  const named = (name: string) =>
    Object.getOwnPropertySymbols(probe).find((symbol) => symbol.description === name) ?? null;
  const found = { buffer: named('kBuffer'), callback: named('kBufferCb'), generator: named('kBufferGen') };
  if (found.buffer === null || found.callback === null || found.generator === null) return null;
  const matches =
    probe[found.buffer] === true && probe[found.callback] === callback && probe[found.generator] === generator;
  return matches ? (found as OnreadSlots) : null;
}

/** Node's `onread` slots, found once per process; `null` when this Node keeps `onread` differently. */
export function onreadSlots(): OnreadSlots | null {
  if (slots === undefined) slots = findOnreadSlots();
  return slots;
}

/** The TCP handle under a socket, as far as this module uses it. */
interface ReadHandle {
  reading?: unknown;
  useUserBuffer?: unknown;
}

/**
 * Switch a socket that a `net.Server` accepted with `pauseOnConnect` to read into a
 * {@link SlabReader}'s slabs, as `net.connect({ onread })` does for the sockets
 * `connect()` makes. Node's server has no `onread` option, so this sets the socket's
 * `onread` slots itself, before anything was read, and points the handle at the first
 * slab (what Node does when it sets up a socket made with `onread`).
 *
 * Returns the reader, or `undefined` (the socket is left untouched and reads through
 * `'data'` events) when this Node keeps `onread` differently, or the socket has no
 * handle or is already reading.
 *
 * Why: `'data'` events cost a `Buffer` and a trip through the stream machinery per
 * read. On the W3 echo server (16-byte lines, `readUntil` + `write`) slab reads took
 * each round trip from 21,500 to 17,400 instructions (callgrind, steady state).
 */
export function readAcceptedIntoSlabs(socket: net.Socket): SlabReader | undefined {
  const found = onreadSlots();
  const handle = (socket as unknown as { _handle?: ReadHandle | null })._handle;
  if (found === null || !handle || handle.reading !== false || typeof handle.useUserBuffer !== 'function') {
    return undefined;
  }
  const reader = new SlabReader();
  const onread = reader.onread();
  const generate = onread.buffer;
  const first = generate();
  // The handle first: if it refuses, the slots stay empty and the socket reads as before
  // (slots set over a handle that still hands out its own buffers would misread every chunk).
  try {
    (handle.useUserBuffer as (buffer: Uint8Array) => void).call(handle, first);
  } catch {
    return undefined;
  }
  const target = socket as unknown as Record<symbol, unknown>;
  target[found.generator] = generate;
  target[found.callback] = onread.callback;
  target[found.buffer] = first;
  return reader;
}
