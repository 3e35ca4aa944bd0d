// readFrame over a real loopback TCP socket (through fromDuplex, so core stays free of
// `net` at runtime): frames written in awkward pieces arrive whole, and a hostile
// length closes the connection instead of buffering for it.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FrameFormat, fromDuplex, type IOStream, UnsatisfiableReadError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';

const PG: FrameFormat = { lengthOffset: 1, lengthBytes: 4, lengthAdjust: -4, includeHeader: true };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A server on 127.0.0.1 that runs `serve` on its first connection, and a stream connected to it. */
async function serveOnce(
  serve: (socket: net.Socket) => void,
): Promise<{ stream: IOStream; peerClosed: Promise<void> }> {
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const socket = net.connect({ host: '127.0.0.1', port });
  const stream = fromDuplex(socket);
  const peer = await accepted;
  peer.on('error', () => {}); // a reset when our side closes first is expected
  cleanups.push(() => {
    stream.close();
    socket.destroy();
    peer.destroy();
    server.close();
  });
  const peerClosed = new Promise<void>((resolve) => peer.once('close', () => resolve()));
  serve(peer);
  return { stream, peerClosed };
}

/** PostgreSQL-style message: a type byte, an int32 length counting itself, the body. */
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

describe('readFrame over loopback TCP', () => {
  it('reads every frame whole, however the peer cut the bytes into writes', async () => {
    const messages = Array.from({ length: 100 }, (_, i) => message('D', Buffer.alloc((i * 37) % 2000, i & 0xff)));
    const wire = Buffer.concat(messages);
    const { stream } = await serveOnce((socket) => {
      socket.setNoDelay(true);
      // Pieces of 1 to 1500 bytes, one per turn, so the receiver sees many small segments.
      let at = 0;
      const next = (): void => {
        if (at >= wire.length) {
          socket.end();
          return;
        }
        const n = 1 + ((at * 7919) % 1500);
        socket.write(wire.subarray(at, at + n));
        at += n;
        setImmediate(next);
      };
      next();
    });
    for (let i = 0; i < messages.length; i++) {
      const frame = stream.tryReadFrame(PG) ?? (await stream.readFrame(PG, { maxBytes: 4096 }));
      expect(frame).toEqual(messages[i]);
    }
    expect((await stream.readUntilClose()).length).toBe(0);
    expect(stream.error).toBe(null);
  });

  it('a 4 GiB length from the peer fails the read and closes the connection', async () => {
    const { stream, peerClosed } = await serveOnce((socket) => {
      socket.write(Buffer.from('44ffffffff', 'hex'));
    });
    let error: unknown;
    try {
      await stream.readFrame(PG, { maxBytes: 1 << 20 });
    } catch (e) {
      error = e;
    }
    expectIOError(error, UnsatisfiableReadError, 'ERR_UNSATISFIABLE_READ');
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(error);
    await peerClosed; // the server's socket sees the connection go
  });
});
