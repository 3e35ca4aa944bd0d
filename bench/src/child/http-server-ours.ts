/**
 * W9, ours, the measured server: an `@iostream/tcp` server answering each request
 * (`await readUntil('\r\n\r\n')`) with `await write([head, body])`, one `writev` per
 * response. The clock runs from the connection to the client's EOF.
 */
import { StreamClosedError } from '@iostream/core';
import { listen } from '@iostream/tcp';
import { BODY, HEAD, REQUEST_END, RESPONSE_SIZE } from '../http-data.js';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant } = childArgs();
if (variant !== 'ours') fail(`http-server-ours: unknown variant ${variant}`);
const response = [HEAD, BODY];

const server = await listen(
  { host: HOST, port: 0, noDelay: true, onError: (e) => fail(`${variant}: ${e.stack ?? e}`) },
  async (s) => {
    const stop = startClock();
    void server.close();
    let served = 0;
    for (;;) {
      try {
        await s.readUntil(REQUEST_END, { maxBytes: 8192 });
      } catch (error) {
        // The client's EOF after its last request: done.
        if (error instanceof StreamClosedError && error.realError === null) break;
        throw error;
      }
      await s.write(response);
      served++;
    }
    stop(served, served * RESPONSE_SIZE);
  },
);
announcePort(server.address().port);
