/**
 * W2 baselines: count `\r\n`-terminated 64-byte lines with raw Node.
 * `readline`: `readline.createInterface` over the socket, `'line'` events; with
 *   `readline-await`, the only ones over TLS (T2) and pipes (P2, over the child's stdout).
 * `readline-await`: the same interface read with `for await`, Node's own way to await
 *   each line (a reference for our await form: no target).
 * `splitter`: a hand-tuned splitter over `'data'` that finds `\r` with
 * `indexOf(0x0d)` and yields each line as a view; only a line that straddles two
 * chunks is copied.
 */
import readline from 'node:readline';
import { LINE_SIZE } from '../data.js';
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

/** Index of the first `\r\n` in `buf` at or after `from`, or -1. */
function crlf(buf: Buffer, from: number): number {
  for (;;) {
    const cr = buf.indexOf(0x0d, from);
    if (cr < 0 || cr + 1 >= buf.length) return -1;
    if (buf[cr + 1] === 0x0a) return cr;
    from = cr + 1;
  }
}

/** One line without its `\r\n`: a Buffer from the splitter, a string from readline. */
function onLine(line: { readonly length: number }): void {
  lines++;
  if (line.length !== LINE_SIZE - 2) bad++;
}

/** The tuned splitter over `'data'`: each line (a view, or a copy if it straddles chunks) to `line`, then `end`. */
function splitLines(line: (line: Buffer) => void, end: () => void): void {
  let carry: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    let pos = 0;
    if (carry !== null) {
      const cr = crlf(chunk, 0);
      if (carry[carry.length - 1] === 0x0d && chunk[0] === 0x0a) {
        line(carry.subarray(0, carry.length - 1));
        pos = 1;
      } else if (cr >= 0) {
        line(Buffer.concat([carry, chunk.subarray(0, cr)]));
        pos = cr + 2;
      } else {
        carry = Buffer.concat([carry, chunk]);
        return;
      }
      carry = null;
    }
    for (let cr = crlf(chunk, pos); cr >= 0; cr = crlf(chunk, pos)) {
      line(chunk.subarray(pos, cr));
      pos = cr + 2;
    }
    if (pos < chunk.length) carry = chunk.subarray(pos);
  });
  socket.on('end', () => {
    if (carry !== null) bad++;
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
