import type { Socket } from 'node:net';
import { EOF, type FdTransport, RetainedWrites, type TransportEvents } from '@iostream/core';
import { SocketClosedError } from './errors.js';
import type { SlabReader } from './slab-reader.js';

/** A listener as `socket.on` takes it. */
// biome-ignore lint/suspicious/noExplicitAny: one list holds listeners of several events, as EventEmitter types them.
type SocketListener = (...args: any[]) => void;

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
  reader?: SlabReader;
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
 *   ({@link RetainedWrites}' `direct`). After `write()` returns false it accepts
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
  private readonly stash: Buffer[] = [];
  private eof = false;
  private fdError: Error | null = null;
  private ready: boolean;
  private released = false;
  private immediate: NodeJS.Immediate | null = null;
  private readonly reader: SlabReader | undefined;
  /** Core copied these bytes out and kept no view: the slab reader may reuse their memory. Set only with a reader. */
  readonly recycle?: (chunk: Uint8Array) => void;
  /** Zero-copy writes, released from `socket.write`'s callback. */
  private readonly writes: RetainedWrites;

  /** Every listener this transport put on the socket, so `release()` can take them off. */
  private readonly listeners: [event: string, listener: SocketListener][];

  constructor(socket: Socket, options: SocketTransportOptions = {}) {
    this.socket = socket;
    socket.allowHalfOpen = true;
    // Direct writes only over plain sockets: a TLS socket finishes every write later.
    const direct = (socket as { encrypted?: boolean }).encrypted !== true;
    this.writes = new RetainedWrites(socket, (n) => this.events?.released?.(n), { direct });
    const readyEvent = options.readyEvent ?? (socket.connecting ? 'connect' : undefined);
    this.ready = readyEvent === undefined;
    const onChunk = (chunk: Buffer) => {
      this.stash.push(chunk);
      this.events?.readable();
    };
    this.reader = options.reader;
    if (this.reader) {
      const reader = this.reader;
      reader.sink = onChunk;
      // Only with a reader: without one there is nothing to reuse, and core then skips the
      // bookkeeping and the call per consumed chunk.
      this.recycle = (chunk) => reader.recycle(chunk);
    }
    this.listeners = [
      [
        'end',
        () => {
          this.eof = true;
          this.events?.readable();
        },
      ],
      [
        'drain',
        () => {
          this.writes.drained();
          this.events?.writable();
        },
      ],
      [
        'error',
        (error: Error) => {
          this.fdError ??= error;
          this.events?.error(error);
        },
      ],
      [
        'close',
        () => {
          if (this.released) return;
          // Destroyed by someone else: say so, rather than pass it off as a clean EOF.
          if (!this.eof && this.fdError === null) this.fdError = new SocketClosedError();
          const error = this.fdError;
          if (error !== null) this.events?.error(error);
        },
      ],
    ];
    if (readyEvent !== undefined) {
      const onReady = () => {
        socket.off(readyEvent, onReady);
        this.ready = true;
        // A later turn, so whatever settles on the ready event (connect()'s promise)
        // settles before the queued writes do.
        this.immediate = setImmediate(() => {
          this.immediate = null;
          this.events?.writable();
        });
      };
      this.listeners.push([readyEvent, onReady]);
    }
    if (!this.reader) this.listeners.push(['data', onChunk]);
    // Paused before the 'data' listener goes on, so attaching it does not start the flow.
    socket.pause();
    for (const [event, listener] of this.listeners) socket.on(event, listener);
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
    const chunk = this.stash.shift();
    if (chunk !== undefined) return chunk;
    return this.eof ? EOF : null;
  }

  setReadInterest(on: boolean): void {
    if (this.released) return;
    if (on) this.socket.resume();
    else this.socket.pause();
  }

  writeToFd(data: Uint8Array): number {
    if (this.fdError !== null) throw this.fdError;
    if (!this.ready) return 0;
    if (this.socket.destroyed || !this.socket.writable) throw new SocketClosedError();
    return this.writes.write(data);
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
    return new Promise<void>((resolve, reject) => {
      const onFinish = () => {
        socket.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        socket.off('finish', onFinish);
        reject(this.fdError ?? new SocketClosedError());
      };
      socket.once('finish', onFinish);
      socket.once('close', onClose);
      socket.end();
    });
  }

  /** Destroy the socket. Idempotent; no events are delivered afterwards. */
  closeFd(): void {
    if (this.released) return;
    this.released = true;
    this.events = null;
    this.stash.length = 0;
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
    for (const [event, listener] of this.listeners) this.socket.off(event, listener);
    // Paused, so the reader reads nothing more (whoever takes the socket over reads it).
    if (this.reader) this.reader.sink = null;
    this.socket.pause();
    return this.stash.splice(0);
  }
}
