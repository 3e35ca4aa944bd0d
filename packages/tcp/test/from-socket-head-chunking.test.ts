// Property: whatever part of a message the previous owner already read (`head`), and however
// the rest arrives in pieces, the stream from fromSocket reads exactly the message, in order,
// on sockets that read through 'data' events and on ones paused on connect (slab reads).
import { once } from 'node:events';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromSocket } from '../src/index.js';

const servers = new Map<boolean, { server: net.Server; port: number; accepted: net.Socket[] }>();

beforeAll(async () => {
  for (const pauseOnConnect of [false, true]) {
    const accepted: net.Socket[] = [];
    const server = net.createServer({ pauseOnConnect }, (socket) => accepted.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.set(pauseOnConnect, { server, port: (server.address() as net.AddressInfo).port, accepted });
  }
});
afterAll(async () => {
  for (const { server } of servers.values()) await new Promise((resolve) => server.close(resolve));
});

it('reads head + every later chunk as the one message, for any split and chunking', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ minLength: 1, maxLength: 4000 }),
      fc.nat(),
      fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
      fc.boolean(),
      async (message, cut, sizes, pauseOnConnect) => {
        const entry = servers.get(pauseOnConnect);
        if (entry === undefined) throw new Error('no server');
        const client = net.connect({ port: entry.port, host: '127.0.0.1', noDelay: true });
        await once(client, 'connect');
        while (entry.accepted.length === 0) await new Promise((resolve) => setImmediate(resolve));
        const socket = entry.accepted.shift() as net.Socket;
        const split = cut % (message.length + 1);
        const stream = fromSocket(socket, { head: Buffer.from(message.subarray(0, split)) });
        try {
          // The rest in pieces of the drawn sizes (cycled), each flushed before the next.
          let at = split;
          for (let i = 0; at < message.length; i++) {
            const size = sizes[i % sizes.length] as number;
            const piece = message.subarray(at, at + size);
            await new Promise<void>((resolve, reject) => client.write(piece, (e) => (e ? reject(e) : resolve())));
            at += piece.length;
          }
          client.end();
          const received = await stream.readUntilClose();
          expect(Buffer.compare(received, Buffer.from(message))).toBe(0);
        } finally {
          stream.close();
          client.destroy();
        }
      },
    ),
    { numRuns: 40 },
  );
});
