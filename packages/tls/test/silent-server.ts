/**
 * A raw TCP server on 127.0.0.1 that accepts and never speaks TLS, for handshake
 * timeouts: registers vitest hooks that start it before each test and destroy what it
 * holds after. Not half-open and draining what it gets: each held socket sees our EOF
 * and closes when our side goes, so the peer's own socket is not counted as a leak.
 */
import net from 'node:net';
import { afterEach, beforeEach } from 'vitest';

export interface SilentServer {
  /** Its port (set once the first test's hook ran). */
  readonly port: number;
  /** The sockets it accepted that are still open. */
  readonly held: ReadonlySet<net.Socket>;
  /** The server itself (the current test's). */
  readonly server: net.Server;
}

export function useSilentServer(): SilentServer {
  const held = new Set<net.Socket>();
  const state = { port: 0, held, server: null as unknown as net.Server };
  beforeEach(async () => {
    const server = net.createServer((s) => {
      held.add(s);
      s.resume();
      s.on('error', () => {});
      s.on('close', () => held.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.server = server;
    state.port = (server.address() as net.AddressInfo).port;
  });
  afterEach(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((resolve) => state.server.close(() => resolve()));
  });
  return state;
}
