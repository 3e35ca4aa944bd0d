// connect() gives up on `timeout` (ConnectTimeoutError, code ETIMEDOUT) and on
// `signal` (core's AbortError), with StreamClosedError around it and no socket or
// timer left. A lookup that never answers keeps the attempt pending on loopback-only machines.
import type { LookupFunction } from 'node:net';
import { AbortError, StreamClosedError } from '@iostream/core';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { ConnectTimeoutError, connect, createConnection } from '../src/index.js';

const neverAnswers: LookupFunction = () => {};

it('timeout rejects with realError ConnectTimeoutError (ETIMEDOUT) and leaves nothing behind', async () => {
  const before = activeResources();
  const error = await connect({ host: 'pending.test', port: 80, lookup: neverAnswers, timeout: 20 }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StreamClosedError);
  const real = (error as StreamClosedError).realError;
  expect(real).toBeInstanceOf(ConnectTimeoutError);
  expect(real).toMatchObject({ name: 'ConnectTimeoutError', code: 'ETIMEDOUT' });
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('aborting the signal rejects with realError AbortError, and queued writes reject too', async () => {
  const before = activeResources();
  const controller = new AbortController();
  const { stream, connected } = createConnection({
    host: 'pending.test',
    port: 80,
    lookup: neverAnswers,
    signal: controller.signal,
    timeout: 60_000,
  });
  const write = stream.write('queued').catch((e: unknown) => e);
  controller.abort();
  const error = await connected.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toBeInstanceOf(AbortError);
  expect((error as StreamClosedError).realError).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
  expect(await write).toBeInstanceOf(StreamClosedError);
  expect(stream.closed()).toBe(true);
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('an already-aborted signal rejects without connecting', async () => {
  const error = await connect({ host: '127.0.0.1', port: 9, signal: AbortSignal.abort() }).catch((e: unknown) => e);
  expect((error as StreamClosedError).realError).toBeInstanceOf(AbortError);
});
