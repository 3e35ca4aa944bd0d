// Tornado's test_read_until / test_read_bytes over HTTP: headers by readUntil, the
// body by readBytes with the Content-Length, and readBytes(0) settling at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { contentLength, httpServer } from './helpers.js';

describe('an HTTP/1.1 fetch over connect()', () => {
  let http: Awaited<ReturnType<typeof httpServer>>;
  beforeEach(async () => {
    http = await httpServer();
  });
  afterEach(() => http.close());

  it('reads the header block with readUntil and the body with readBytes(Content-Length)', async () => {
    const stream = await connect({ host: '127.0.0.1', port: http.port });
    await stream.write('GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const head = await stream.readUntil('\r\n\r\n', { maxBytes: 65536 });
    expect(head.toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
    expect(head.subarray(-4).toString()).toBe('\r\n\r\n');
    const body = await stream.readBytes(contentLength(head));
    expect(body.toString()).toBe('Hello');
    const empty = await stream.readBytes(0);
    expect(empty.length).toBe(0);
    expect(stream.closed()).toBe(false);
    stream.close();
  });
});
