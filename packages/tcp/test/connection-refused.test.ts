// Tornado's test_connection_refused: connect() to a port nobody listens on rejects
// with StreamClosedError whose realError is the system ECONNREFUSED, leaving nothing behind.

import { StreamClosedError } from '@iostream/core';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { rawServer } from './helpers.js';

it('rejects with StreamClosedError, realError ECONNREFUSED, and leaves no socket', async () => {
  const probe = await rawServer();
  const port = probe.port;
  await probe.close();
  const before = activeResources();
  const error = await connect({ host: '127.0.0.1', port }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error).toMatchObject({ name: 'StreamClosedError', code: 'ERR_STREAM_CLOSED' });
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
  expect((error as StreamClosedError).cause).toBe((error as StreamClosedError).realError);
  expect(await waitForNoNewResources(before)).toEqual([]);
});
