// connect() failures before any handshake: refused connections reject with
// StreamClosedError carrying the system error, `timeout` bounds the TCP connection with
// @iostream/tcp's ConnectTimeoutError; invalid options throw at once. A lookup that never
// answers keeps the attempt pending on a loopback-only machine.
import net from 'node:net';
import { StreamClosedError } from '@iostream/core';
import { ConnectTimeoutError } from '@iostream/tcp';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect, listen } from '../src/index.js';
import { rejection } from './helpers.js';

it('timeout before the TCP connection rejects with realError ConnectTimeoutError (ETIMEDOUT)', async () => {
  const before = activeResources();
  const neverAnswers: net.LookupFunction = () => {};
  const error = await rejection(connect({ host: 'pending.test', port: 443, lookup: neverAnswers, timeout: 20 }));
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toBeInstanceOf(ConnectTimeoutError);
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'ETIMEDOUT' });
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('a refused connection rejects with realError ECONNREFUSED', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
  const error = await rejection(connect({ host: '127.0.0.1', port }));
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'ECONNREFUSED' });
});

it('invalid options throw TypeError/RangeError at once', () => {
  expect(() => connect({ host: '127.0.0.1', port: 0 })).toThrow(RangeError);
  expect(() => connect({ host: '127.0.0.1', port: 443, handshakeTimeout: 0 })).toThrow(RangeError);
  expect(() => connect({ host: '127.0.0.1', port: 443, timeout: Number.NaN })).toThrow(RangeError);
  expect(() => connect({ host: '127.0.0.1', port: 443, maxBufferSize: -1 })).toThrow(RangeError);
  expect(() => connect({ host: '127.0.0.1', port: 443, signal: {} as AbortSignal })).toThrow(TypeError);
  expect(() => listen({ port: 0, handshakeTimeout: -5 }, () => {})).toThrow(RangeError);
  // Past what Node's timers hold, a timeout would fire after 1 ms: refused instead.
  expect(() => connect({ host: '127.0.0.1', port: 443, timeout: 2 ** 31 })).toThrow(RangeError);
  expect(() => listen({ port: 0, handshakeTimeout: 2 ** 31 }, () => {})).toThrow(RangeError);
  expect(() => listen({ port: 0 }, undefined as never)).toThrow(TypeError);
});
