/**
 * W1 baselines: receive `count` bytes with raw Node, counting them.
 * `onread`: `net.connect({ onread })` into one reused 64 KiB buffer (no allocation per read).
 * `onread-fresh`: `onread` into a new 64 KiB buffer for every read, what a reader
 *   whose results the caller may keep (such as `readBytes`) needs at the least.
 * `onread-await`: `onread` into one reused buffer, each read waking a loop that awaits a
 *   promise per read: the least any awaited read API (such as `await readInto(buf)`) costs.
 * `onread-exact`: `onread` filling 64 KiB targets exactly, as `readInto(buf)` must (a short
 *   read's next one fills the rest of its target: see exact-targets.ts).
 * `onread-exact-await`: the same, each filled target waking a loop that awaits a promise
 *   per target: the least `await readInto(buf)` itself can cost.
 * `onread-exact-fresh-await`: the same into a new 64 KiB buffer per target, as
 *   `await readBytes(65536)` must fill them (its caller may keep each one).
 * `data`: plain `'data'` events; the only one over TLS (T1) and pipes (P1).
 */
import net from 'node:net';
import type { Readable } from 'node:stream';
import { childArgs, HOST } from '../protocol.js';
import { Arrivals } from './arrivals.js';
import { exactTargets } from './exact-targets.js';
import { fail, failOnStrayErrors, startBulkClock } from './measure.js';
import { pipeChildFor } from './pipe-child.js';
import { rawEnds } from './raw-ends.js';

failOnStrayErrors();
const args = childArgs();
const { variant, port, count } = args;
let bytes = 0;
const child = await pipeChildFor(args, 'source', 'bulk');
const clock = startBulkClock(count);
/** What arrived so far, as the variant counts it. */
let received = () => bytes;
const finish = () => {
  bytes = received();
  if (bytes !== count) fail(`${variant}: received ${bytes} bytes, expected ${count}`);
  clock.stop(bytes, bytes);
};

const countBytes = (n: number) => {
  bytes += n;
  clock.seen(bytes);
  return true;
};

/**
 * The await-shaped rows' loop: one promise per arrival, awaited, resuming in the microtasks
 * right after it (as a loop of `await readInto(buf)` resumes after each read), until EOF.
 */
function awaitEachArrival(socket: Readable, input: Arrivals): void {
  socket.once('end', () => input.end());
  void (async () => {
    while (!input.ended) await input.next();
  })();
}

let socket: Readable;
if (variant === 'onread') {
  socket = net.connect({
    host: HOST,
    port: port as number,
    onread: { buffer: Buffer.allocUnsafe(65536), callback: countBytes },
  });
} else if (variant === 'onread-fresh') {
  socket = net.connect({
    host: HOST,
    port: port as number,
    onread: { buffer: () => Buffer.allocUnsafeSlow(65536), callback: countBytes },
  });
} else if (variant === 'onread-await') {
  const input = new Arrivals();
  socket = net.connect({
    host: HOST,
    port: port as number,
    onread: {
      buffer: Buffer.allocUnsafe(65536),
      callback: (n: number) => {
        countBytes(n);
        input.arrived();
        return true;
      },
    },
  });
  awaitEachArrival(socket, input);
} else if (variant === 'onread-exact' || variant === 'onread-exact-await' || variant === 'onread-exact-fresh-await') {
  const input = variant === 'onread-exact' ? null : new Arrivals();
  const fresh = variant === 'onread-exact-fresh-await';
  const exact = exactTargets(
    count,
    (filled) => {
      clock.seen(filled);
      input?.arrived();
    },
    fresh,
  );
  received = exact.received;
  socket = net.connect({ host: HOST, port: port as number, onread: exact.onread });
  if (input !== null) awaitEachArrival(socket, input);
} else if (variant === 'data') {
  socket = rawEnds(args, child).input;
  socket.on('data', (chunk: Buffer) => countBytes(chunk.length));
} else fail(`recv-bulk-raw: unknown variant ${variant}`);
socket.on('end', finish);
socket.on('error', (e) => fail(`${variant}: ${e.message}`));
