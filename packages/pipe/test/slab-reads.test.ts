// A pipe's socket reads into slabs (readStartedSocketIntoSlabs) and lends readInto targets to its
// handle, instead of Node's 'data' events. Checked over real pipes to `cat`: every byte intact
// and in order under any mix of readInto, readBytes and partial reads with every result kept to
// the end (slab memory reused under a result still held would show), and readInto targets read
// into directly.
import { spawn } from 'node:child_process';
import type { IOStream } from '@iostream/core';
import { type MixedRead, runMixedReads, waitFor } from '@iostream/testkit';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { fromChildProcess } from '../src/index.js';

const byteAt = (i: number) => (i * 7 + (i >>> 11)) % 253;
function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = byteAt(i);
  return b;
}

/** `cat` with both pipes wrapped; closed (and reaped) by the returned function. */
function cat(): { stdin: IOStream; stdout: IOStream; done: () => Promise<void> } {
  const child = spawn('cat', [], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { stdin, stdout } = fromChildProcess(child);
  if (stdin === undefined || stdout === undefined) throw new Error('cat without pipes');
  return {
    stdin,
    stdout,
    done: async () => {
      stdin.close();
      stdout.close();
      child.kill();
      await exited;
    },
  };
}

const readArb: fc.Arbitrary<MixedRead> = fc.record({
  kind: fc.constantFrom<MixedRead['kind']>('into', 'bytes', 'partial'),
  // Across read (64 KiB) boundaries.
  size: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 140_000 })),
});

it('mixed readInto / readBytes / partial reads from a pipe get every byte in order, and kept results stay intact', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(readArb, { minLength: 1, maxLength: 40 }),
      fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 12 }),
      async (reads, writeSizes) => {
        const { stdin, stdout, done } = cat();
        try {
          // Reads the rest after partial reads that took less than their size: cat blocks
          // once nobody reads its output, and the writer with it.
          const { data, kept } = await runMixedReads(stdin, stdout, reads, writeSizes);
          // Every result, checked only now: later reads must not have written over earlier ones.
          for (const { at: from, bytes } of kept)
            expect(bytes.equals(data.subarray(from, from + bytes.length))).toBe(true);
        } finally {
          await done();
        }
      },
    ),
    { numRuns: 15 },
  );
  // Generous: each run spawns a real cat, and CI runs four suites at once on two cores.
}, 90_000);

it("readInto from a child's stdout reads straight into the caller memory, intact", async () => {
  const { stdin, stdout, done } = cat();
  try {
    const total = 4 * 1024 * 1024 + 4321;
    const data = pattern(total);
    const target = Buffer.alloc(64 * 1024);
    // Which buffers the chunks core pulls from the transport live in.
    const transport = stdout.getTransport();
    const read = transport.readFromFd.bind(transport);
    let intoTarget = 0;
    transport.readFromFd = () => {
      const chunk = read();
      if (chunk instanceof Uint8Array && chunk.buffer === target.buffer) intoTarget += chunk.length;
      return chunk;
    };
    // Where the pipe's handle is pointed from outside a read.
    const handle = (transport as unknown as { socket: { _handle: { useUserBuffer(b: Uint8Array): void } } }).socket
      ._handle;
    const original = handle.useUserBuffer;
    let pointedAtTarget = 0;
    handle.useUserBuffer = function (this: unknown, b: Uint8Array) {
      if (b === target) pointedAtTarget++;
      return original.call(this, b);
    };
    const sending = stdin.write(data).then(() => stdin.end());
    const received: Buffer[] = [];
    let reads = 0;
    for (let got = 0; got < total; reads++) {
      const n = await stdout.readInto(total - got >= target.length ? target : target.subarray(0, total - got));
      received.push(Buffer.from(target.subarray(0, n)));
      got += n;
    }
    await sending;
    expect(Buffer.concat(received).equals(data)).toBe(true);
    // Most bytes were read into the caller's buffer, not into Node's buffers and copied.
    expect(intoTarget).toBeGreaterThan(total / 2);
    // The loop lends the same buffer each time: the handle stays on it after each filled read
    // (the lender's standing target) instead of being pointed at it again per readInto.
    expect(reads).toBeGreaterThan(60);
    expect(pointedAtTarget).toBeLessThanOrEqual(2);
  } finally {
    await done();
  }
});

it('bytes Node read from the pipe before the stream took it over come first, then the rest, intact', async () => {
  const data = pattern(200_000);
  // The child writes the same pattern: 1000 bytes, then after a pause the rest.
  const script = `const b = Buffer.alloc(${data.length}); for (let i = 0; i < b.length; i++) b[i] = (i * 7 + (i >>> 11)) % 253;
process.stdout.write(b.subarray(0, 1000), () => setTimeout(() => process.stdout.write(b.subarray(1000)), 50));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const raw = child.stdout;
  // Node reads a child's stdout as soon as it makes the socket: wait until it holds the first bytes.
  await waitFor(() => raw.readableLength >= 1000, 'the first bytes in the socket buffer');
  const { stdout } = fromChildProcess(child);
  try {
    expect((await (stdout as IOStream).readUntilClose()).equals(data)).toBe(true);
  } finally {
    stdout?.close();
    await exited;
  }
});
