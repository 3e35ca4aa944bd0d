/** The W3 (and T3) peer for `raw-await`: a `net` (or `tls`) echo server that awaits each chunk and each write (Nagle off). */
import type net from 'node:net';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors } from './measure.js';
import { SocketChunks, writeAsync } from './socket-chunks.js';
import { rawServer } from './tls-server.js';

failOnStrayErrors();
const { transport } = childArgs();
const server = rawServer(transport === 'tls', {}, async (socket) => {
  server.close();
  socket.setNoDelay(true);
  socket.on('error', (e) => fail(`echo-raw-await: ${e.message}`));
  const chunks = new SocketChunks(socket);
  for (let chunk = await chunks.next(); chunk !== null; chunk = await chunks.next()) await writeAsync(socket, chunk);
});
server.listen(0, HOST, () => announcePort((server.address() as net.AddressInfo).port));
