/**
 * W10, ours, the measured server: an `@iostream/tcp` server reading each request line with
 * `tryReadUntil` (awaiting `readUntil` only when none is buffered) and answering it with
 * `write(reply)`, not awaited (`await drained()` whenever `needsDrain`): a pipelined batch's
 * replies are written in one turn.
 * `ours`: writes coalesced (the default): the first reply of a turn at once, the rest as one writev.
 * `ours-uncoalesced`: `coalesceWrites: false`, a system call per reply.
 * The clock runs from the connection to the client's EOF.
 */
import { StreamClosedError } from '@iostream/core';
import { listen } from '@iostream/tcp';
import { REPLY, REPLY_SIZE } from '../pipeline-data.js';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant } = childArgs();
if (variant !== 'ours' && variant !== 'ours-uncoalesced') fail(`pipeline-server-ours: unknown variant ${variant}`);

const server = await listen(
  {
    host: HOST,
    port: 0,
    noDelay: true,
    coalesceWrites: variant === 'ours',
    onError: (e) => fail(`${variant}: ${e.stack ?? e}`),
  },
  async (s) => {
    const stop = startClock();
    void server.close();
    let served = 0;
    for (;;) {
      try {
        s.tryReadUntil('\n', { maxBytes: 1024 }) ?? (await s.readUntil('\n', { maxBytes: 1024 }));
      } catch (error) {
        // The client's EOF after its last batch: done.
        if (error instanceof StreamClosedError && error.realError === null) break;
        throw error;
      }
      void s.write(REPLY);
      served++;
      if (s.needsDrain) await s.drained();
    }
    stop(served, served * REPLY_SIZE);
  },
);
announcePort(server.address().port);
