import type { Socket } from 'node:net';
import { readAcceptedIntoSlabs } from './accepted-slab-reads.js';
import type { SlabReader } from './slab-reader.js';

/** The handle under a socket, as far as this module uses it. */
interface StreamHandle {
  reading?: unknown;
  readStop?: unknown;
}

/**
 * Switch a socket that Node already reads through `'data'` (a child's stdio pipe, a pipe
 * opened with `new Socket({ fd })`, a TLS socket a `tls.Server` accepted) to reads into a
 * {@link SlabReader}'s slabs, as `connect()` and `listen()` streams read: Node then reads
 * into memory core may keep (a 64 KiB `readBytes` is a view, not a join of reads), a
 * `ReadLender` can hand the handle a `readInto` target, and no `Buffer` or trip through
 * the stream machinery is paid per read. Over TLS, Node decrypts each record straight into
 * the slab (or the loan).
 *
 * The handle is stopped first; what it already read waits in the socket's buffer and is
 * returned as `head`, oldest first, to be delivered before anything the reader gets.
 * Returns `undefined`, leaving the socket to `'data'` events, for a stream that is not a
 * socket over a handle (Bun's stdio), or when this Node keeps `onread` differently.
 */
export function readStartedSocketIntoSlabs(socket: Socket): { reader: SlabReader; head: Buffer[] } | undefined {
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  if (!handle || typeof handle.readStop !== 'function') return undefined;
  // No read happens while JavaScript runs, so nothing is lost between here and the switch.
  if (handle.reading === true) (handle.readStop as () => number).call(handle);
  // What net.Socket's own pause() sets after readStop; a handle that never read has it unset.
  handle.reading = false;
  const reader = readAcceptedIntoSlabs(socket);
  // Not switched: the socket starts reading into its own buffers again when it is resumed.
  if (reader === undefined) return undefined;
  const head: Buffer[] = [];
  // Drained after the switch: if a read() starts the handle again, it reads into the slabs.
  for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
    head.push(chunk);
  }
  return { reader, head };
}
