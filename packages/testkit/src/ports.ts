import { once } from 'node:events';
import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: for starting an external
 * server (nginx, redis-server) that must be told its port up front. Another process
 * may take it before the server binds, so callers retry with a new port on a bind
 * failure.
 */
export async function freeLoopbackPort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
