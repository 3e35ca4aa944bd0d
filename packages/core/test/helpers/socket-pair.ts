/**
 * A connected pair of real `net.Socket`s on 127.0.0.1, for the core tests that must
 * see what a real peer does (resets, FINs, destroys). Core's src never imports `net`;
 * its tests may, to drive `fromDuplex` over a socket.
 */
import { createServer, type Socket, connect as tcpConnect } from 'node:net';

export interface SocketPair {
  /** The connecting side (what the test wraps in a stream). */
  client: Socket;
  /** The accepted side (the peer the test scripts). */
  server: Socket;
  /** Destroy both sockets and stop listening. */
  dispose(): Promise<void>;
}

export async function socketPair(options: { allowHalfOpen?: boolean } = {}): Promise<SocketPair> {
  const allowHalfOpen = options.allowHalfOpen === true;
  const listener = createServer({ allowHalfOpen });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as { port: number }).port;
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const client = tcpConnect({ host: '127.0.0.1', port, allowHalfOpen });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  const server = await accepted;
  // Errors are what these tests provoke; the streams under test report them.
  server.on('error', () => {});
  return {
    client,
    server,
    async dispose() {
      client.destroy();
      server.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

/** Resolve once `condition()` holds, checking every millisecond; fail after `ms` (real I/O has to happen). */
export async function eventually(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
