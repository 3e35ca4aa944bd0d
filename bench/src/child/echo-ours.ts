/**
 * The W3 (and T3) peer for ours: an `@iostream/tcp` (or `@iostream/tls`) server that
 * answers each line with `readUntil('\n')` + `write`.
 */
import type { IOStream } from '@iostream/core';
import * as tcp from '@iostream/tcp';
import * as tls from '@iostream/tls';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors } from './measure.js';
import { serverCredentials } from './tls-server.js';

failOnStrayErrors();
const { transport } = childArgs();
const options = {
  host: HOST,
  port: 0,
  noDelay: true,
  onError: (e: unknown) => fail(`echo-ours: ${(e as Error).stack ?? e}`),
};
const echo = async (s: IOStream) => {
  void server.close();
  // Ends with StreamClosedError at the client's EOF, which listen() treats as done.
  for (;;) await s.write(await s.readUntil('\n'));
};
const server =
  transport === 'tls'
    ? await tls.listen({ ...options, ...serverCredentials() }, echo)
    : await tcp.listen(options, echo);
announcePort(server.address().port);
