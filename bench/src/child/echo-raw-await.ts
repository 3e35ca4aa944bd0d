/** The W3 peer for `raw-await`: a `net` echo server that awaits each chunk and each write (Nagle off). */
import net from 'node:net';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors } from './measure.js';
import { SocketChunks, writeAsync } from './socket-chunks.js';

failOnStrayErrors();
childArgs();
const server = net.createServer(async (socket) => {
  server.close();
  socket.setNoDelay(true);
  socket.on('error', (e) => fail(`echo-raw-await: ${e.message}`));
  const chunks = new SocketChunks(socket);
  for (let chunk = await chunks.next(); chunk !== null; chunk = await chunks.next()) await writeAsync(socket, chunk);
});
server.listen(0, HOST, () => announcePort((server.address() as net.AddressInfo).port));
