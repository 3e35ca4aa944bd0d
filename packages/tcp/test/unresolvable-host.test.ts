// Tornado's test_gaierror: a host name that cannot resolve (the reserved .invalid
// TLD) rejects with StreamClosedError whose realError is the resolver's error.

import { StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';

it('rejects with StreamClosedError, realError ENOTFOUND (or EAI_AGAIN without a resolver)', async () => {
  const error = await connect({ host: 'no-such-host.invalid', port: 80 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StreamClosedError);
  const code = (error as StreamClosedError).realError as NodeJS.ErrnoException;
  expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(code.code);
});
