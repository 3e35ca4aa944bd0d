import type { Socket } from 'node:net';
import { EOF, type FdTransport, RetainedWrites, type TransportEvents } from '@iostream/core';
import { SocketClosedError, socketError } from './errors.js';
import { ReadLender } from './lent-reads.js';
import type { SlabReader } from './slab-reader.js';

/** Options for {@link SocketTransport}. */
export interface SocketTransportOptions {
  /**
   * The socket event after which writes may start. By default the transport waits
   * for `'connect'` if the socket is still connecting, and writes at once otherwise.
   * A TLS transport passes `'secureConnect'` (or `'secure'`) to hold writes until the
   * handshake is done.
   */
  readyEvent?: string;
  /**
   * The reader Node reads the socket into: given to `net.connect` as `onread` when
   * the socket was created (`connect()` does this), or set on an accepted socket by
   * `listen()`. Its chunks replace `'data'` events.
   */
  reader?: SlabReader | undefined;
  /**
   * The socket's `'close'` reaches the transport through its server's own `'close'`
   * listener, which calls {@link socketClosed}: the transport adds none. For the sockets
   * a `StreamServer` tracks (it listens on each socket it accepts or serves a stream
   * over), which then carry one `'close'` listener instead of two.
   */
  closeFromServer?: boolean;
}

/**
 * An {@link FdTransport} over a Node `net.Socket` (or a subclass such as
 * `tls.TLSSocket`). It moves bytes and reports readiness; every buffer and state
 * machine lives in `IOStream`.
 *
 * - Reads: with a {@link SlabReader} (sockets from `connect()` and `listen()`),
 *   Node reads straight into slabs through `onread`; otherwise (TLS sockets, and
 *   accepted ones where Node's `onread` slots are not found) `'data'` events. `pause()`/`resume()` is read interest either way; a chunk
 *   waits in a small stash until core pulls it with `readFromFd()`. `'end'`
 *   becomes EOF.
 * - Writes: zero-copy. `writeToFd` hands the caller's bytes to `socket.write()`,
 *   which keeps a reference until the kernel has taken them, so the transport sets
 *   `retainsWrites` and reports each write's length through `events.released()`
 *   from `write()`'s callback; core resolves the write only then. Over a plain
 *   socket, a write made while nothing is in flight goes without a callback and, if
 *   the kernel took it whole before `write()` returned, is released at once
 *   ({@link RetainedWrites}' `direct`). `writevToFd` corks the socket around a
 *   `write()` per chunk, so an array reaches the kernel as one `writev(2)` (over
 *   TLS, one encryption pass). After `write()` returns false it accepts
 *   nothing until `'drain'`. Before the socket is ready it accepts nothing, so
 *   writes queue in core.
 * - It sets the socket's `allowHalfOpen`, so the stream (not Node) decides
 *   what the peer's EOF means for the writing side.
 */
export class SocketTransport implements FdTransport {
  /** The socket under this transport. */
  readonly socket: Socket;
  /** Writes are not copied: core waits for `released` before resolving them. */
  readonly retainsWrites = true;
  private events: TransportEvents | null = null;
  /** Chunks read and not yet pulled by core (made with the first one). */
  private stash: Buffer[] | null = null;
  private eof = false;
  private fdError: Error | null = null;
  private ready: boolean;
  private released = false;
  private immediate: NodeJS.Immediate | null = null;
  private readonly reader: SlabReader | undefined;
  /** The event after which writes may start, and its listener, until it came. */
  private readyEvent: string | undefined;
  private onReady: (() => void) | null = null;
  /** Core copied these bytes out and kept no view: the slab reader may reuse their memory. Set only with a reader. */
  readonly recycle?: (chunk: Uint8Array) => void;
  /** `readInto` straight into the caller's buffer ({@link ReadLender}). Set only with a reader. */
  readonly lendReadTarget?: (target: Uint8Array | null) => boolean;
  /** Made on the first loan; `null` if this socket cannot lend. */
  private lender: ReadLender | null | undefined;
  /**
   * Zero-copy writes, released from `socket.write`'s callback. Made by the first write: a
   * server holds many streams that only wait to read, and each would carry it for nothing.
   */
  private writes: RetainedWrites | null = null;
  /** Whether the `'drain'` listener is on (from the first write that blocked). */
  private hearsDrain = false;
  /** @internal `'close'` comes through {@link socketClosed} rather than a listener of this transport's own. */
  readonly closeFromServer: boolean;

  constructor(socket: Socket, options: SocketTransportOptions = {}) {
    this.socket = socket;
    socket.allowHalfOpen = true;
    const readyEvent = options.readyEvent ?? (socket.connecting ? 'connect' : undefined);
    this.ready = readyEvent === undefined;
    this.reader = options.reader;
    if (this.reader) {
      this.reader.sink = this;
      // Only with a reader: without one there is nothing to reuse, and core then skips the
      // bookkeeping and the call per consumed chunk. One function for every transport (core
      // calls it as a method): no closure per connection.
      this.recycle = recycleIntoReader;
      // A prototype method, called by core as a method: no closure per connection.
      this.lendReadTarget = this.lendThroughReader;
    }
    // Paused before the 'data' listener goes on, so attaching it does not start the flow.
    socket.pause();
    // The listeners are shared by every socket (each finds its transport through the socket),
    // so a connection costs no closures for them: idle connections are what a server holds most of.
    (socket as OwnedSocket)[TRANSPORT] = this;
    socket.on('end', onEnd);
    socket.on('error', onError);
    this.closeFromServer = options.closeFromServer === true;
    if (!this.closeFromServer) socket.on('close', onClose);
    if (!this.reader) socket.on('data', onData);
    if (readyEvent !== undefined) {
      const onReady = () => {
        socket.off(readyEvent, onReady);
        this.onReady = null;
        this.ready = true;
        // A later turn, so whatever settles on the ready event (connect()'s promise)
        // settles before the queued writes do.
        this.immediate = setImmediate(() => {
          this.immediate = null;
          this.events?.writable();
        });
      };
      this.readyEvent = readyEvent;
      this.onReady = onReady;
      socket.on(readyEvent, onReady);
    }
  }

  /** @internal Where the slab reader delivers each read (and `'data'` events land). */
  onChunk(chunk: Buffer): void {
    if (this.stash === null) this.stash = [chunk];
    else this.stash.push(chunk);
    this.events?.readable();
  }

  /** `lendReadTarget` with a slab reader: the socket's {@link ReadLender}, made on the first loan. */
  private lendThroughReader(target: Uint8Array | null): boolean {
    if (this.lender === undefined) {
      if (target === null || this.released) return target === null;
      this.lender = ReadLender.attach(this.socket, this);
    }
    if (this.lender === null) return target === null;
    // Closed or handed over: the socket reads nothing more for this transport.
    if (this.released && target !== null) return false;
    return this.lender.lend(target);
  }

  /** @internal The socket's `'end'`. */
  onEnd(): void {
    this.eof = true;
    this.events?.readable();
  }

  /** @internal The socket's `'drain'`. */
  onDrain(): void {
    this.writes?.drained();
    this.events?.writable();
  }

  /** @internal The socket's `'error'`. */
  onError(error: unknown): void {
    this.fdError ??= socketError(error);
    this.events?.error(this.fdError);
  }

  /** @internal The socket's `'close'`. */
  onClose(): void {
    if (this.released) return;
    // Both ways finished cleanly (the peer's EOF seen, our FIN sent): core takes the EOF when it reads.
    if (this.fdError === null && !this.socket.errored && this.eof && this.socket.writableFinished) return;
    // Reset, or destroyed by someone else, with a way still open. Say why, rather than pass it off
    // as a clean EOF; a half-open stream (EOF already seen) has no other way to learn it is gone.
    this.events?.error(this.closeCause());
  }

  /** The socket's descriptor where Node exposes it, else -1. */
  fileno(): number {
    type Handle = { fd?: unknown; _parent?: { fd?: unknown } | null } | null;
    const handle = (this.socket as unknown as { _handle?: Handle })._handle;
    // A TLS socket's handle wraps the TCP handle, which holds the descriptor.
    const fd = typeof handle?.fd === 'number' ? handle.fd : handle?._parent?.fd;
    return typeof fd === 'number' && fd >= 0 ? fd : -1;
  }

  watch(events: TransportEvents): void {
    this.events = events;
  }

  readFromFd(): Uint8Array | null | EOF {
    const chunk = this.stash?.shift();
    if (chunk !== undefined) return chunk;
    return this.eof ? EOF : null;
  }

  setReadInterest(on: boolean): void {
    if (this.released) return;
    if (on) this.socket.resume();
    else this.socket.pause();
  }

  writeToFd(data: Uint8Array): number {
    return this.canWrite() ? this.afterWrite(this.writer().write(data)) : 0;
  }

  /** Several chunks in one `writev(2)`: the socket corked around their writes ({@link RetainedWrites.writev}). */
  writevToFd(chunks: readonly Uint8Array[]): number {
    return this.canWrite() ? this.afterWrite(this.writer().writev(chunks)) : 0;
  }

  /** The socket's {@link RetainedWrites}, made by the first write. */
  private writer(): RetainedWrites {
    if (this.writes !== null) return this.writes;
    // Direct writes only over plain sockets: a TLS socket finishes every write later, but its
    // handle has taken (encrypted) a write's bytes by the time write() returns.
    const direct = (this.socket as { encrypted?: boolean }).encrypted !== true;
    this.writes = new RetainedWrites(this.socket, (n) => this.events?.released?.(n), {
      direct,
      takenOnDispatch: !direct,
    });
    return this.writes;
  }

  /**
   * After a write of `n` bytes: listen for `'drain'` from the first write Node refused more
   * after (it emits `'drain'` only after such a write, and on a later turn). Not before: a
   * connection that never fills the socket's buffer, as most of a server's short ones, then
   * costs one listener less to add and to hold. Returns `n`.
   */
  private afterWrite(n: number): number {
    if (!this.hearsDrain && this.writes?.blocked === true) {
      this.hearsDrain = true;
      this.socket.on('drain', onDrain);
    }
    return n;
  }

  /** Whether a write may go now: `false` before the socket is ready; throws once it failed or is gone. */
  private canWrite(): boolean {
    if (this.fdError !== null) throw this.fdError;
    if (!this.ready) return false;
    // `writable` is false once the socket is destroyed, errored or ended: one getter per write.
    if (!this.socket.writable) throw this.closeCause();
    return true;
  }

  /**
   * Why the socket is gone: the error it failed with, else {@link SocketClosedError}.
   * Node sets `socket.errored` as it destroys the socket (a write that hit `ECONNRESET`
   * or `EPIPE`) and emits `'error'` only a turn later, so a write or close seen in
   * between must read it from there to name the real cause.
   */
  private closeCause(): Error {
    const errored: unknown = this.socket.errored;
    this.fdError ??= errored ? socketError(errored) : new SocketClosedError();
    return this.fdError;
  }

  getFdError(): Error | null {
    return this.fdError;
  }

  setNoDelay(on: boolean): void {
    this.socket.setNoDelay(on);
  }

  /** Send FIN after everything written; resolves once Node has shut the writing side down. */
  shutdownWrite(): Promise<void> {
    const socket = this.socket;
    if (socket.writableFinished) return Promise.resolve();
    // Already gone: no 'finish' or 'close' will come.
    if (socket.closed) return Promise.reject(this.closeCause());
    // Node calls end()'s callback once the FIN is sent (when 'finish' is emitted), or with an
    // error if the socket is destroyed first: no listeners to add and take off again, which a
    // server ending thousands of short connections a second notices.
    return new Promise<void>((resolve, reject) => {
      socket.end((error?: Error | null) => (error ? reject(this.closeCause()) : resolve()));
    });
  }

  /** Destroy the socket. Idempotent; no events are delivered afterwards. */
  closeFd(): void {
    if (this.released) return;
    this.released = true;
    this.events = null;
    this.stash = null;
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.immediate = null;
    this.socket.destroy();
  }

  /**
   * Give the socket up without destroying it (how a TLS upgrade takes it over):
   * remove this transport's listeners, pause the socket, cancel a pending ready
   * notification, and return the chunks that arrived but core has not pulled yet,
   * oldest first. Put them back with `socket.unshift()` (newest first) before
   * handing the socket on. Afterwards the transport is inert: no events, `closeFd()`
   * does nothing. Returns `[]` if the transport was already closed or released.
   */
  release(): Buffer[] {
    if (this.released) return [];
    this.released = true;
    this.events = null;
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.immediate = null;
    const socket = this.socket;
    socket.off('end', onEnd);
    socket.off('drain', onDrain);
    socket.off('error', onError);
    if (!this.closeFromServer) socket.off('close', onClose);
    if (!this.reader) socket.off('data', onData);
    if (this.onReady !== null) socket.off(this.readyEvent as string, this.onReady);
    if ((socket as OwnedSocket)[TRANSPORT] === this) (socket as OwnedSocket)[TRANSPORT] = undefined;
    // Paused, so the reader reads nothing more (whoever takes the socket over reads it), and
    // the handle no longer points at a caller's readInto target.
    if (this.reader) this.reader.sink = null;
    this.lender?.stop();
    socket.pause();
    const stash = this.stash ?? [];
    this.stash = null;
    return stash;
  }
}

/** Where a socket keeps its transport, for the listeners every transport shares. */
const TRANSPORT = Symbol('iostream.transport');
type OwnedSocket = Socket & { [TRANSPORT]?: SocketTransport | undefined };

// Called by the socket (`this`), each passes the event on to the socket's transport.
function onEnd(this: OwnedSocket): void {
  this[TRANSPORT]?.onEnd();
}
function onDrain(this: OwnedSocket): void {
  this[TRANSPORT]?.onDrain();
}
function onError(this: OwnedSocket, error: unknown): void {
  this[TRANSPORT]?.onError(error);
}
function onClose(this: OwnedSocket): void {
  this[TRANSPORT]?.onClose();
}

/**
 * `socket` emitted `'close'`: tell its transport, if that transport was made with
 * `closeFromServer` (one made without it hears `'close'` itself) and still owns the socket.
 * Called by a server's `'close'` listener.
 */
export function socketClosed(socket: Socket): void {
  const transport = (socket as OwnedSocket)[TRANSPORT];
  if (transport?.closeFromServer === true) transport.onClose();
}
function onData(this: OwnedSocket, chunk: Buffer): void {
  this[TRANSPORT]?.onChunk(chunk);
}

/** `transport.recycle` of a transport with a slab reader, called by core as a method. */
function recycleIntoReader(this: SocketTransport, chunk: Uint8Array): void {
  (this as unknown as { reader: SlabReader }).reader.recycle(chunk);
}
