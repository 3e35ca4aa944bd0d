/**
 * Where a raw Node baseline's bytes come from and go to, per transport: one socket
 * to the peer over TCP or TLS (TLS 1.3; the peer's throwaway certificate is not
 * checked), or the stdout and stdin of the child it spawned ({@link spawnPipeChild}).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import tls from 'node:tls';
import { type ChildArgs, HOST } from '../protocol.js';

export interface RawEnds {
  /** Where bytes come in: the socket, or the child's stdout. */
  input: Readable;
  /** Where bytes go out: the socket, or the child's stdin (`null` for a child with no stdin pipe). */
  output: Writable | null;
  /** Resolves once `output` may be written (connected, handshake done). */
  ready: Promise<unknown>;
}

/** The ends over `args.transport`; `child` is the spawned child for `pipe`. */
export function rawEnds(args: ChildArgs, child: ChildProcess | null, options: { noDelay?: boolean } = {}): RawEnds {
  const transport = args.transport ?? 'tcp';
  if (transport === 'pipe') {
    if (child === null) throw new Error('pipe ends need the spawned child');
    const { stdout, stdin } = child;
    if (stdout === null) throw new Error('the child has no stdout pipe');
    return { input: stdout, output: stdin, ready: Promise.resolve() };
  }
  const target = { host: HOST, port: args.port as number };
  const socket =
    transport === 'tls' ? tls.connect({ ...target, rejectUnauthorized: false }) : net.connect({ ...target });
  if (options.noDelay) socket.setNoDelay(true);
  return { input: socket, output: socket, ready: once(socket, transport === 'tls' ? 'secureConnect' : 'connect') };
}
