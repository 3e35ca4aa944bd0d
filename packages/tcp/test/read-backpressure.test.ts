// Backpressure on the way in: with no read pending, the stream stops reading after
// about a chunk, so a fast raw sender is held back by TCP flow control (its own
// writableLength grows) while our buffer stays around one chunk. Nothing is lost.
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { turn, useRawServer, waitFor } from './helpers.js';

const TOTAL = 32 * 1024 * 1024;
const CHUNK = 64 * 1024;

const server = useRawServer();

it('holds a fast sender back instead of buffering what it sends', async () => {
  const stream = await connect({ host: '127.0.0.1', port: server.port, readChunkSize: CHUNK });
  const sender = await server.accepted();
  const block = Buffer.alloc(CHUNK, 0x63);
  for (let sent = 0; sent < TOTAL; sent += CHUNK) sender.write(block);
  await waitFor(() => stream.readableLength >= CHUNK, 'our stream buffered its read-ahead chunk');
  // Let the bytes flow as far as they will.
  for (let i = 0; i < 200; i++) await turn();
  const socket = (stream.getTransport() as unknown as { socket: { readableLength: number } }).socket;
  expect(sender.writableLength).toBeGreaterThan(TOTAL / 4);
  expect(stream.readableLength).toBeLessThanOrEqual(2 * CHUNK);
  expect(socket.readableLength).toBeLessThanOrEqual(2 * CHUNK);
  let got = 0;
  while (got < TOTAL) got += (await stream.readBytes(Math.min(1 << 20, TOTAL - got))).length;
  expect(got).toBe(TOTAL);
  stream.close();
});
