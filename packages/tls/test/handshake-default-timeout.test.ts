// Client-side handshakes have a default limit, DEFAULT_HANDSHAKE_TIMEOUT (30 s from the TCP
// connection): a server that accepts and never answers used to hold connect() forever.
// `handshakeTimeout: Infinity` opts out. Time is vitest's fake setTimeout (only that: the
// sockets and event-loop turns are real), so the 30 s pass at once.
import { StreamClosedError } from '@iostream/core';
import { connect as tcpConnect } from '@iostream/tcp';
import { afterEach, expect, it, vi } from 'vitest';
import { connect, createConnection, DEFAULT_HANDSHAKE_TIMEOUT, HandshakeTimeoutError, startTls } from '../src/index.js';
import { useCerts } from './certs.js';
import { waitFor } from './helpers.js';
import { useSilentServer } from './silent-server.js';

const certs = useCerts();
const silent = useSilentServer();
afterEach(() => {
  vi.useRealTimers();
});

/** The outcome so far of `promise`: 'pending', or what it settled with. */
function track(promise: Promise<unknown>): { outcome: unknown } {
  const state: { outcome: unknown } = { outcome: 'pending' };
  promise.then(
    () => {
      state.outcome = 'resolved';
    },
    (error: unknown) => {
      state.outcome = error;
    },
  );
  return state;
}

async function expectTimesOutAfterDefault(state: { outcome: unknown }): Promise<void> {
  vi.advanceTimersByTime(DEFAULT_HANDSHAKE_TIMEOUT - 1);
  await new Promise((resolve) => setImmediate(resolve));
  expect(state.outcome).toBe('pending');
  vi.advanceTimersByTime(1);
  await waitFor(() => state.outcome !== 'pending', 'the handshake failed');
  expect(state.outcome).toBeInstanceOf(StreamClosedError);
  const real = (state.outcome as StreamClosedError).realError;
  expect(real).toBeInstanceOf(HandshakeTimeoutError);
  expect((real as Error).message).toContain(`${DEFAULT_HANDSHAKE_TIMEOUT} ms`);
}

it('is 30 s', () => {
  expect(DEFAULT_HANDSHAKE_TIMEOUT).toBe(30_000);
});

it('connect without handshakeTimeout gives up after DEFAULT_HANDSHAKE_TIMEOUT', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const { stream, connected } = createConnection({ host: '127.0.0.1', port: silent.port, ca: certs.ca });
  const state = track(connected);
  await waitFor(() => silent.held.size === 1 && !stream.socket.connecting, 'the TCP connection is up');
  await expectTimesOutAfterDefault(state);
});

it('startTls (client side) without handshakeTimeout gives up after DEFAULT_HANDSHAKE_TIMEOUT', async () => {
  const plain = await tcpConnect({ host: '127.0.0.1', port: silent.port });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const state = track(startTls(plain, { servername: 'localhost', ca: certs.ca }));
  await expectTimesOutAfterDefault(state);
});

it('handshakeTimeout: Infinity waits as long as it takes', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const { stream, connected } = createConnection({
    host: '127.0.0.1',
    port: silent.port,
    ca: certs.ca,
    handshakeTimeout: Infinity,
  });
  const state = track(connected);
  await waitFor(() => silent.held.size === 1 && !stream.socket.connecting, 'the TCP connection is up');
  vi.advanceTimersByTime(100 * DEFAULT_HANDSHAKE_TIMEOUT);
  await new Promise((resolve) => setImmediate(resolve));
  expect(state.outcome).toBe('pending');
  stream.close();
  await waitFor(() => state.outcome !== 'pending', 'closing failed the handshake');
});

it('a handshakeTimeout that is not a positive timer value throws RangeError', () => {
  for (const handshakeTimeout of [0, -1, Number.NaN, 2 ** 31, -Infinity]) {
    expect(() => connect({ host: '127.0.0.1', port: silent.port, ca: certs.ca, handshakeTimeout })).toThrow(RangeError);
  }
  expect(() => connect({ host: '127.0.0.1', port: silent.port, ca: certs.ca, handshakeTimeout: '5' as never })).toThrow(
    TypeError,
  );
});
