/** The W3 peer for ours: an `@iostream/tcp` server that answers each line with `readUntil('\n')` + `write`. */
import { listen } from '@iostream/tcp';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors } from './measure.js';

failOnStrayErrors();
childArgs();
const server = await listen(
  { host: HOST, port: 0, noDelay: true, onError: (e) => fail(`echo-ours: ${e.stack ?? e}`) },
  async (s) => {
    void server.close();
    // Ends with StreamClosedError at the client's EOF, which listen() treats as done.
    for (;;) await s.write(await s.readUntil('\n'));
  },
);
announcePort(server.address().port);
