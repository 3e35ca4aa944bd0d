/**
 * Where one of our contenders' bytes come from and go to, per transport: one
 * `IOStream` to the peer over `@iostream/tcp` or `@iostream/tls` (TLS 1.3; the
 * peer's throwaway certificate is not checked), or `@iostream/pipe` streams over
 * the stdout and stdin of the child it spawned ({@link spawnPipeChild}).
 */
import type { ChildProcess } from 'node:child_process';
import type { IOStream } from '@iostream/core';
import { fromChildProcess } from '@iostream/pipe';
import * as tcp from '@iostream/tcp';
import * as tls from '@iostream/tls';
import { type ChildArgs, HOST } from '../protocol.js';

export interface OursEnds {
  /** Where bytes come in. */
  reader: IOStream;
  /** Where bytes go out: the same stream, or the child's stdin (none for a child with no stdin pipe). */
  writer: IOStream | undefined;
}

/** The ends over `args.transport`, connected (handshake done); `child` is the spawned child for `pipe`. */
export async function oursEnds(
  args: ChildArgs,
  child: ChildProcess | null,
  options: { noDelay?: boolean } = {},
): Promise<OursEnds> {
  const transport = args.transport ?? 'tcp';
  if (transport === 'pipe') {
    if (child === null) throw new Error('pipe ends need the spawned child');
    const { stdout, stdin } = fromChildProcess(child);
    if (stdout === undefined) throw new Error('the child has no stdout pipe');
    return { reader: stdout, writer: stdin };
  }
  const target = { host: HOST, port: args.port as number, noDelay: options.noDelay === true };
  const s =
    transport === 'tls' ? await tls.connect({ ...target, rejectUnauthorized: false }) : await tcp.connect(target);
  return { reader: s, writer: s };
}
