/** The W3 (and T3) raw peer: a `net` (or `tls`) echo server that writes back every chunk it gets (Nagle off). */
import type net from 'node:net';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors } from './measure.js';
import { rawServer } from './tls-server.js';

failOnStrayErrors();
const { transport } = childArgs();
const server = rawServer(transport === 'tls', {}, (socket) => {
  server.close();
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => socket.write(chunk));
  socket.on('error', (e) => fail(`echo-raw: ${e.message}`));
});
server.listen(0, HOST, () => announcePort((server.address() as net.AddressInfo).port));
