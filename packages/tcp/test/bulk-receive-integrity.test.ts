// connect() and listen() streams read through SlabReader: Node reads straight into slabs,
// core keeps views of them, and slabs whose bytes were all copied out (readInto) are reused.
// Every byte must arrive intact and in order, whatever the read sizes, views kept while
// later reads land (also into reused slabs), and read interest switched on and off.
import net from 'node:net';
import type { IOStream } from '@iostream/core';
import { expect, it } from 'vitest';
import { connect, listen } from '../src/index.js';
import { turn, useRawServer } from './helpers.js';

const TOTAL = 24 * 1024 * 1024;

const server = useRawServer();

/** Byte at stream offset i: a pattern that does not repeat at any power-of-two period. */
const byteAt = (i: number) => (i * 7 + (i >>> 11)) % 253;

/** The test pattern, TOTAL bytes of it. */
function pattern(): Buffer {
  const block = Buffer.alloc(TOTAL);
  for (let i = 0; i < TOTAL; i++) block[i] = byteAt(i);
  return block;
}

/** Read TOTAL bytes in mixed ways, checking each, then EOF; views kept along the way must stay intact. */
async function receiveAndCheck(stream: IOStream): Promise<void> {
  const kept: { at: number; view: Buffer }[] = [];
  const into = Buffer.alloc(50000);
  let at = 0;
  let step = 0;
  const sizes = [65536, 1, 70000, 4096, 300000, 17, 65536 * 3];
  while (at < TOTAL) {
    const n = Math.min(sizes[step % sizes.length] as number, TOTAL - at);
    step++;
    // The middle third only copies out, so whole slabs are recycled and reused.
    const copying = at >= TOTAL / 3 && at < (2 * TOTAL) / 3;
    if (copying || step % 3 === 0) {
      const m = Math.min(into.length, TOTAL - at);
      const target = into.subarray(0, m);
      expect(await stream.readInto(target)).toBe(m);
      for (let j = 0; j < m; j += 997) expect(target[j]).toBe(byteAt(at + j));
      at += m;
    } else {
      const out = await stream.readBytes(n);
      expect(out.length).toBe(n);
      if (step % 5 === 0) kept.push({ at, view: out });
      at += n;
    }
    // Now and then let the buffer fill, so read interest goes off and on again.
    if (step % 50 === 0) for (let i = 0; i < 20; i++) await turn();
  }
  expect((await stream.readUntilClose()).length).toBe(0);
  // Views handed out earlier were never overwritten by later reads.
  for (const { at: start, view } of kept)
    for (let j = 0; j < view.length; j += 101) expect(view[j]).toBe(byteAt(start + j));
}

it('delivers a bulk transfer intact to a connect() stream', async () => {
  await using stream = await connect({ host: '127.0.0.1', port: server.port });
  const sender = await server.accepted();
  sender.end(pattern());
  await receiveAndCheck(stream);
});

it('delivers a bulk transfer intact to a listen() stream', async () => {
  let accept!: (stream: IOStream) => void;
  const accepted = new Promise<IOStream>((resolve) => {
    accept = resolve;
  });
  const tcpServer = await listen({ host: '127.0.0.1', port: 0 }, (stream) => accept(stream));
  const sender = net.connect(tcpServer.address().port, '127.0.0.1');
  try {
    sender.end(pattern());
    const stream = await accepted;
    await receiveAndCheck(stream);
    stream.close();
  } finally {
    sender.destroy();
    await tcpServer.close({ closeStreams: true });
  }
});
