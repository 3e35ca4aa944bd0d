import net from 'node:net';
import { bufferView, IOStream, type IOStreamOptions, pickStreamOptions, validateStreamOptions } from '@iostream/core';
import { readAcceptedIntoSlabs } from './accepted-slab-reads.js';
import { SocketClosedError, socketError } from './errors.js';
import { SocketTransport } from './socket-transport.js';

/** Options for {@link fromSocket}: the bytes already read, and every `IOStream` option. */
export interface FromSocketOptions extends IOStreamOptions {
  /**
   * Bytes the socket's previous owner already read from it and did not use (the
   * `head` of `node:http`'s `'upgrade'` and `'connect'` events). The stream delivers
   * them before anything read from the socket. Not copied: do not modify them afterwards.
   */
  head?: Uint8Array;
}

/**
 * Wrap a `net.Socket` (or `tls.TLSSocket`) that someone else made, such as the one
 * `node:http` hands to an `'upgrade'` or `'connect'` listener, in an `IOStream`. The
 * stream takes the socket over: it reads it (remove your own `'data'` listeners
 * first), writes to it, and destroys it on `close()`.
 *
 * `head` bytes are delivered first, then whatever the socket had buffered, then what
 * it reads. Writes are zero-copy as for `connect()`. Reads go into slabs (as for
 * `listen()`) when the socket has not started reading yet (a server made with
 * `pauseOnConnect`, a socket paused before it connected); otherwise, and always for
 * TLS sockets, through `'data'` events. A socket that is still connecting queues
 * writes until it connects. A socket already destroyed gives a closed stream: its
 * `error` is the socket's error (a `SocketFailedError` for a value that is not an
 * `Error`), or a `SocketClosedError` if it was destroyed without one (`null` if the
 * peer had finished cleanly); `head` stays readable.
 *
 * Throws `TypeError` if `socket` is not a `net.Socket` or `head` not a `Uint8Array`,
 * and `TypeError`/`RangeError` for invalid stream options. Not for sockets made with
 * Node's `onread` option (their bytes never reach `'data'` listeners).
 *
 * @example
 * ```ts
 * httpServer.on('upgrade', (request, socket, head) => {
 *   socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: line\r\nConnection: Upgrade\r\n\r\n');
 *   const stream = fromSocket(socket, { head, maxBufferSize: 1 << 20 });
 *   void serveLines(stream);
 * });
 * ```
 */
export function fromSocket(socket: net.Socket, options: FromSocketOptions = {}): IOStream {
  if (!(socket instanceof net.Socket)) throw new TypeError('fromSocket needs a net.Socket (or a tls.TLSSocket)');
  const head = options.head;
  if (head !== undefined && !(head instanceof Uint8Array)) throw new TypeError('head must be a Uint8Array');
  const ioOptions = pickStreamOptions(options);
  validateStreamOptions(ioOptions);
  const destroyed = socket.destroyed;
  // Slab reads need a handle that has not read yet and nothing buffered before it (that would
  // come out as 'data', which a slab-reading transport does not listen to); TLS sockets never.
  const canSlab = !destroyed && (socket as { encrypted?: boolean }).encrypted !== true && socket.readableLength === 0;
  const reader = canSlab ? readAcceptedIntoSlabs(socket) : undefined;
  const transport = new SocketTransport(socket, { reader });
  // `head` comes first: the transport's stash, ahead of anything the socket reads.
  if (head !== undefined && head.length > 0) transport.onChunk(bufferView(head.buffer, head.byteOffset, head.length));
  // Its 'end' was emitted before the hand-over and will not come again: EOF after what is stashed.
  if (socket.readableEnded) transport.onEnd();
  const stream = new IOStream(transport, ioOptions);
  // Its 'close' is gone: the transport would never hear of it, so say it now.
  // A value that is not an Error (`destroy('x')`) is a SocketFailedError, as on a live stream.
  if (destroyed) {
    const errored: unknown = socket.errored;
    stream.close(errored ? socketError(errored) : socket.readableEnded ? null : new SocketClosedError());
  }
  return stream;
}
