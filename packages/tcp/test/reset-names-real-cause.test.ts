// A peer's reset is reported as the ECONNRESET (or EPIPE) the socket saw, never as tcp's
// SocketClosedError. Node destroys the socket (setting `socket.errored`) as a write hits
// the reset and emits 'error' only a turn later: a write made in between used to find a
// destroyed socket and close the stream with ERR_SOCKET_CLOSED.
import { type IOStream, StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { useRawServer, waitFor } from './helpers.js';

const server = useRawServer();

/** The codes raw `node:net` reports for a write to a connection the peer reset. */
const RESET_CODES = ['ECONNRESET', 'EPIPE'];

/**
 * A stream whose peer has reset the connection while the stream was not reading: the peer
 * sent more than a read chunk (so, with no read pending, the stream stops reading and does
 * not see the reset on the read side), then reset. The reset is in the kernel, unseen.
 */
async function resetWhileNotReading(): Promise<IOStream> {
  const stream = await connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  peer.write(Buffer.alloc(1024 * 1024, 0x61));
  await waitFor(() => stream.readableLength >= 64 * 1024, 'the stream buffered a chunk and stopped reading');
  const gone = new Promise((resolve) => peer.once('close', resolve));
  peer.resetAndDestroy();
  await gone;
  return stream;
}

it('writes queued behind the one that meets a reset reject with the ECONNRESET/EPIPE the socket saw', async () => {
  for (let i = 0; i < 5; i++) {
    const stream = await resetWhileNotReading();
    // Two writes in one turn: the first meets the reset, the second finds the socket destroyed.
    const first = stream.write('a').catch((e: unknown) => e);
    const second = (await stream.write('b').catch((e: unknown) => e)) as StreamClosedError;
    await first;
    expect(second).toBeInstanceOf(StreamClosedError);
    expect(RESET_CODES).toContain((second.realError as { code?: string } | null)?.code);
    expect(stream.closed()).toBe(true);
    expect(RESET_CODES).toContain((stream.error as { code?: string } | null)?.code);
    expect(second.realError).toBe(stream.error);
    // The bytes that arrived before the reset stay readable.
    expect(stream.readableLength).toBeGreaterThan(0);
  }
});
