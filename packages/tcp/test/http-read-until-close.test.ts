// Tornado's test_read_until_close: a response without Content-Length ends at the
// server's close, and readUntilClose returns all of it.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { httpServer } from './helpers.js';

const SIZE = 1024 * 1024;
let http: Awaited<ReturnType<typeof httpServer>>;
beforeEach(async () => {
  http = await httpServer(SIZE);
});
afterEach(() => http.close());

it('readUntilClose returns every byte up to the server closing the connection', async () => {
  const stream = await connect({ host: '127.0.0.1', port: http.port });
  await stream.write('GET /big HTTP/1.0\r\n\r\n');
  const head = await stream.readUntil('\r\n\r\n', { maxBytes: 65536 });
  expect(head.toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
  const body = await stream.readUntilClose();
  expect(body.length).toBe(SIZE);
  expect(body.every((b) => b === 0x61)).toBe(true);
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBeNull();
});
