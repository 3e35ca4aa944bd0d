// connect() and listen() streams have Node decrypt into a slab reader's memory (tls.connect's
// onread; an accepted socket is switched once its handshake is done), so 16 KiB records land
// side by side (a 64 KiB readBytes is a view, not a join) and readInto hands Node the caller's
// buffer. Checked over real TLS, on both ends: every byte intact and in order under any mix of
// readInto, readBytes and partial reads, with every result kept to the end (a slab reused under
// a result the caller still holds would show here), readInto targets read into directly, and
// bytes a client sends right behind its handshake (read before the switch) delivered first.
import tls, { type TLSSocket } from 'node:tls';
import type { SocketTransport } from '@iostream/tcp';
import { type MixedRead, runMixedReads } from '@iostream/testkit';
import fc from 'fast-check';
import { expect, it, onTestFinished } from 'vitest';
import { listen, type TlsStream } from '../src/index.js';
import { useCerts } from './certs.js';
import { tlsPair, tlsPairForTest } from './helpers.js';

const certs = useCerts();

const byteAt = (i: number) => (i * 7 + (i >>> 11)) % 253;
function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = byteAt(i);
  return b;
}

const readArb: fc.Arbitrary<MixedRead> = fc.record({
  kind: fc.constantFrom<MixedRead['kind']>('into', 'bytes', 'partial'),
  // Across record (16 KiB) and slab (64 KiB) boundaries.
  size: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 140_000 })),
});

it('mixed readInto / readBytes / partial reads over TLS get every byte in order, and kept results stay intact', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(readArb, { minLength: 1, maxLength: 40 }),
      fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 12 }),
      fc.boolean(),
      async (reads, writeSizes, serverReads) => {
        const pair = await tlsPair(certs);
        const { server } = pair;
        // The connect() stream reads, or the listen() one.
        const [client, accepted] = serverReads ? [pair.accepted, pair.client] : [pair.client, pair.accepted];
        try {
          // The peer writes in its own sizes, unrelated to the reads.
          const { data, kept, read: at } = await runMixedReads(accepted, client, reads, writeSizes);
          // Every result, checked only now: later reads must not have written over earlier ones.
          for (const { at: from, bytes } of kept)
            expect(bytes.equals(data.subarray(from, from + bytes.length))).toBe(true);
          expect(at).toBeLessThanOrEqual(data.length);
        } finally {
          client.close();
          await server.close({ closeStreams: true });
        }
      },
    ),
    { numRuns: 20 },
  );
  // Generous: each run is a real TLS connection, and CI runs four suites at once on two cores.
}, 90_000);

it.each([
  ['connect()', false],
  ['listen()', true],
])(
  'readInto over TLS on a %s stream hands the socket the caller memory: records are decrypted straight into it',
  async (_, serverReads) => {
    const pair = await tlsPairForTest(certs);
    const [client, accepted] = serverReads ? [pair.accepted, pair.client] : [pair.client, pair.accepted];
    const total = 4 * 1024 * 1024 + 4321;
    const data = pattern(total);
    const target = Buffer.alloc(64 * 1024);
    // Which buffers the chunks core pulls from the transport live in.
    const transport = client.getTransport() as SocketTransport;
    const read = transport.readFromFd.bind(transport);
    let intoTarget = 0;
    transport.readFromFd = () => {
      const chunk = read();
      if (chunk instanceof Uint8Array && chunk.buffer === target.buffer) intoTarget += chunk.length;
      return chunk;
    };
    const sending = accepted.write(data);
    const received: Buffer[] = [];
    for (let got = 0; got < total; ) {
      const n = await client.readInto(total - got >= target.length ? target : target.subarray(0, total - got));
      received.push(Buffer.from(target.subarray(0, n)));
      got += n;
    }
    await sending;
    expect(Buffer.concat(received).equals(data)).toBe(true);
    // Most bytes were decrypted into the caller's buffer, not into a slab and copied.
    expect(intoTarget).toBeGreaterThan(total / 2);
    expect((transport.socket as TLSSocket).encrypted).toBe(true);
  },
);

it('bytes a client sends right behind its handshake reach the listen() stream first and intact', async () => {
  const data = pattern(300_000);
  let accept!: (s: TlsStream) => void;
  const accepted = new Promise<TlsStream>((resolve) => {
    accept = resolve;
  });
  const server = await listen({ host: '127.0.0.1', port: 0, key: certs.server.key, cert: certs.server.cert }, (s) =>
    accept(s),
  );
  const raw = tls.connect({ host: '127.0.0.1', port: server.address().port, ca: certs.ca, servername: 'localhost' });
  onTestFinished(async () => {
    raw.destroy();
    await server.close({ closeStreams: true });
  });
  // Written before the handshake is done: Node sends it right behind the client's Finished.
  raw.write(data);
  const stream = await accepted;
  expect((await stream.readBytes(data.length)).equals(data)).toBe(true);
});
