// Tornado's test_write_while_connecting: createConnection() hands back the stream
// before the connection exists; writes queue and go out after it, and `connected`
// settles before any queued write does, on success and on failure alike.

import { StreamClosedError } from '@iostream/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createConnection } from '../src/index.js';
import { contentLength, httpServer, rawServer } from './helpers.js';

let http: Awaited<ReturnType<typeof httpServer>>;
beforeEach(async () => {
  http = await httpServer();
});
afterEach(() => http.close());

it('queues writes made while connecting, sends them after, and settles connected first', async () => {
  const { stream, connected } = createConnection({ host: '127.0.0.1', port: http.port });
  const order: string[] = [];
  const first = stream.write('GET /hello HTTP/1.1\r\n').then(() => order.push('write 1'));
  const second = stream.write('Host: 127.0.0.1\r\n\r\n').then(() => order.push('write 2'));
  const ready = connected.then((s) => {
    order.push('connected');
    return s;
  });
  expect(stream.writing()).toBe(true);
  expect(await ready).toBe(stream);
  await Promise.all([first, second]);
  expect(order).toEqual(['connected', 'write 1', 'write 2']);
  const head = await stream.readUntil('\r\n\r\n', { maxBytes: 65536 });
  expect((await stream.readBytes(contentLength(head))).toString()).toBe('Hello');
  stream.close();
});

it('on a refused connection, connected rejects first and the queued writes reject with the same realError', async () => {
  // A port that was just free: nothing listens there.
  const probe = await rawServer();
  const port = probe.port;
  await probe.close();
  const { stream, connected } = createConnection({ host: '127.0.0.1', port });
  const order: string[] = [];
  const write = stream.write('never sent').catch((e: unknown) => {
    order.push('write');
    return e;
  });
  const conn = connected.catch((e: unknown) => {
    order.push('connected');
    return e;
  });
  const [connError, writeError] = await Promise.all([conn, write]);
  expect(order).toEqual(['connected', 'write']);
  expect(connError).toBeInstanceOf(StreamClosedError);
  expect(writeError).toBeInstanceOf(StreamClosedError);
  expect((connError as StreamClosedError).realError).toMatchObject({ code: 'ECONNREFUSED' });
  expect((writeError as StreamClosedError).realError).toBe((connError as StreamClosedError).realError);
  expect(stream.closed()).toBe(true);
});
