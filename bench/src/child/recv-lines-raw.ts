/**
 * W2 baselines (T2 over TLS, P2 over the child's stdout pipe): count `\r\n`-terminated
 * 64-byte lines with raw Node.
 * `readline`: `readline.createInterface` over the socket, `'line'` events.
 * `readline-await`: the same interface read with `for await`, Node's own way to await
 *   each line (a reference for our await form: no target).
 * `splitter`: a hand-tuned splitter over `'data'` that finds `\r` with
 *   `indexOf(0x0d)` and yields each line as a view; only a line that straddles two
 *   chunks is copied.
 * `splitter-await`: the splitter's lines, each awaited by the reading loop: raw Node doing
 *   our await form's job (a reference: no target).
 */
import readline from 'node:readline';
import { LINE_SIZE } from '../data.js';
import { LineSplitter } from '../line-splitter.js';
import { childArgs } from '../protocol.js';
import { Arrivals } from './arrivals.js';
import { fail, failOnStrayErrors, startClock } from './measure.js';
import { pipeChildFor } from './pipe-child.js';
import { rawEnds } from './raw-ends.js';

failOnStrayErrors();
const args = childArgs();
const { variant, count } = args;
let lines = 0;
let bad = 0;
const child = await pipeChildFor(args, 'source', 'lines');
const stop = startClock();
const socket = rawEnds(args, child).input;
socket.on('error', (e) => fail(`${variant}: ${e.message}`));
const finish = () => {
  if (lines !== count || bad !== 0) fail(`${variant}: ${lines} lines (${bad} malformed), expected ${count}`);
  stop(lines, lines * LINE_SIZE);
};

/** One line without its `\r\n`: a Buffer from the splitter, a string from readline. */
function onLine(line: { readonly length: number }): void {
  lines++;
  if (line.length !== LINE_SIZE - 2) bad++;
}

/** The tuned splitter over the socket's `'data'`: each line to `line`, then `end` (a cut last line counts as malformed). */
function splitLines(line: (line: Buffer) => void, end: () => void): void {
  const splitter = new LineSplitter(line);
  socket.on('data', (chunk: Buffer) => splitter.push(chunk));
  socket.on('end', () => {
    if (splitter.leftover !== 0) bad++;
    end();
  });
}

/** `readline` over the socket, as both readline variants read it. */
const lineReader = () => readline.createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });

if (variant === 'readline') {
  const rl = lineReader();
  rl.on('line', onLine);
  rl.on('close', finish);
} else if (variant === 'readline-await') {
  for await (const line of lineReader()) onLine(line);
  finish();
} else if (variant === 'splitter') {
  splitLines(onLine, finish);
} else if (variant === 'splitter-await') {
  // The splitter's lines, each one awaited by the reading loop as ours' await form awaits
  // a `readUntil` per line: raw Node doing that form's job (one promise per line).
  const queue: Buffer[] = [];
  let head = 0;
  const input = new Arrivals();
  splitLines(
    (line) => {
      queue.push(line);
      input.arrived();
    },
    () => input.end(),
  );
  // Not an async function: a line already queued is handed over as `Promise.resolve(line)`,
  // the cheapest promise of a value there is; only an empty queue waits for the next chunk.
  const nextLine = (): Promise<Buffer | null> => {
    if (head < queue.length) return Promise.resolve(queue[head++] as Buffer);
    queue.length = 0;
    head = 0;
    return input.ended ? Promise.resolve(null) : input.next().then(nextLine);
  };
  for (let line = await nextLine(); line !== null; line = await nextLine()) onLine(line);
  finish();
} else fail(`recv-lines-raw: unknown variant ${variant}`);
