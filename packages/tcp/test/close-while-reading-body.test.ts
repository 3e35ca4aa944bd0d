// Tornado's test_close_callback_with_pending_read / large-body close: closing the
// stream while a readBytes for a larger body is pending rejects that read with
// StreamClosedError (realError null), releases the socket, and runs the close callback.

import { StreamClosedError } from '@iostream/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { httpServer, waitFor } from './helpers.js';

const SIZE = 8 * 1024 * 1024;
let http: Awaited<ReturnType<typeof httpServer>>;
beforeEach(async () => {
  http = await httpServer(SIZE);
});
afterEach(() => http.close());

it('close() during a pending readBytes of a large body rejects it and releases the socket', async () => {
  const stream = await connect({ host: '127.0.0.1', port: http.port });
  await stream.write('GET /big HTTP/1.0\r\n\r\n');
  await stream.readUntil('\r\n\r\n', { maxBytes: 65536 });
  let closeCallbacks = 0;
  stream.setCloseCallback(() => closeCallbacks++);
  const read = stream.readBytes(SIZE + 1);
  const outcome = read.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  await waitFor(() => stream.readableLength > 0, 'some of the body arrived');
  stream.close();
  const error = await outcome;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toBeNull();
  await waitFor(() => closeCallbacks === 1, 'the close callback ran');
  const socket = (stream.getTransport() as unknown as { socket: { destroyed: boolean } }).socket;
  expect(socket.destroyed).toBe(true);
});
