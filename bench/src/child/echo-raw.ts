/** The W3 raw peer: a `net` echo server that writes back every chunk it gets (Nagle off). */
import net from 'node:net';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors } from './measure.js';

failOnStrayErrors();
childArgs();
const server = net.createServer((socket) => {
  server.close();
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => socket.write(chunk));
  socket.on('error', (e) => fail(`echo-raw: ${e.message}`));
});
server.listen(0, HOST, () => announcePort((server.address() as net.AddressInfo).port));
