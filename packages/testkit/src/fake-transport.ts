import { EOF, type FdTransport, type TransportEvents } from '@iostream/core';
import { type Chunking, type ChunkSizer, chunkSizer } from './chunking.js';

/**
 * When written bytes become readable at the other end:
 * `'sync'` at once (inside the writer's `writeToFd`), `'microtask'`, `'macrotask'`
 * (`setImmediate`), `{ delayMs }` (a timer), or `'manual'` (only when the test
 * calls `deliver()` on the receiving transport).
 */
export type Delivery = 'sync' | 'microtask' | 'macrotask' | 'manual' | { delayMs: number };

/**
 * An injected fault: after `after` bytes have passed in that direction, the
 * transport reports `kind`: `'eof'` (the stream ends there) or `'error'` (an
 * `ECONNRESET` on reads, an `EPIPE` thrown from `writeToFd` on writes).
 */
export interface Fault {
  after: number;
  kind: 'eof' | 'error';
}

/** Knobs for one end of a fake connection. */
export interface FakeEndOptions {
  /** How bytes arriving at this end are chunked. Default `'whole'`. */
  chunking?: Chunking;
  /** When bytes written to this end's peer become readable here. Default `'macrotask'`. */
  delivery?: Delivery;
  /** Bytes this end may have in flight (written, not yet read by the peer) before `writeToFd` would block. Default 262144. */
  writeCapacity?: number;
  /** Fault on bytes read by this end. */
  readFault?: Fault;
  /** Fault on bytes written by this end. */
  writeFault?: Fault;
  /** What `fileno()` reports. Default -1. */
  fileno?: number;
}

/** An error with a Node-style `code`, as a socket would raise. */
export class FakeTransportError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'FakeTransportError';
    this.code = code;
  }
}

/** One direction of a fake connection: the bytes one end wrote that the other has not read. */
class Lane {
  /** Delivered, readable bytes. */
  readonly queue: Buffer[] = [];
  /** Bytes of `queue[0]` already read. */
  headOffset = 0;
  /** Written but not yet delivered (for deferred delivery modes). */
  readonly undelivered: Buffer[] = [];
  /** Bytes written and not yet read. */
  inflight = 0;
  /** The writer half-closed or closed, and that has been delivered. */
  ended = false;
  /** The writer half-closed or closed; becomes `ended` on delivery. */
  endPending = false;
  /** The reader closed: further writes fail. */
  readerGone = false;
  deliveryScheduled = false;
}

/**
 * An in-memory {@link FdTransport}, one end of a connected pair made by
 * `createTransportPair`. It follows the transport contract exactly: events are
 * never delivered synchronously from inside a call core makes on this end.
 */
export class FakeTransport implements FdTransport {
  /** Bytes this end has read and written. */
  bytesRead = 0;
  bytesWritten = 0;
  /** Current read interest, as core last set it. */
  readInterest = false;
  /** Whether `closeFd()` was called. */
  isClosed = false;
  /** Whether `shutdownWrite()` was called. */
  writeShut = false;
  /** Calls to `setNoDelay`, most recent last. */
  readonly noDelayCalls: boolean[] = [];

  peer!: FakeTransport;
  inbound!: Lane;
  outbound!: Lane;
  private events: TransportEvents | null = null;
  private readonly sizer: ChunkSizer;
  private readonly delivery: Delivery;
  private readonly capacity: number;
  private readonly readFault: Fault | undefined;
  private readonly writeFault: Fault | undefined;
  private readonly fd: number;
  private fdError: Error | null = null;
  private wantsWritable = false;

  constructor(options: FakeEndOptions = {}) {
    this.sizer = chunkSizer(options.chunking);
    this.delivery = options.delivery ?? 'macrotask';
    this.capacity = options.writeCapacity ?? 262144;
    if (!(this.capacity >= 1)) throw new RangeError('writeCapacity must be at least 1');
    this.readFault = options.readFault;
    this.writeFault = options.writeFault;
    this.fd = options.fileno ?? -1;
  }

  fileno(): number {
    return this.fd;
  }

  watch(events: TransportEvents): void {
    this.events = events;
  }

  setReadInterest(on: boolean): void {
    this.readInterest = on;
  }

  setNoDelay(on: boolean): void {
    this.noDelayCalls.push(on);
  }

  getFdError(): Error | null {
    return this.fdError;
  }

  readFromFd(): Uint8Array | null | typeof EOF {
    const lane = this.inbound;
    const fault = this.readFault;
    let limit = Number.POSITIVE_INFINITY;
    if (fault) {
      limit = fault.after - this.bytesRead;
      if (limit <= 0) {
        if (fault.kind === 'eof') return EOF;
        if (this.fdError === null)
          this.injectError(new FakeTransportError('ECONNRESET', `injected read fault after ${fault.after} bytes`));
        return null;
      }
    }
    const head = lane.queue[0];
    if (head === undefined) return lane.ended ? EOF : null;
    // Slice from an offset rather than re-slicing the remainder: one view per chunk.
    const start = lane.headOffset;
    const n = Math.min(this.sizer(head.length - start), limit);
    let chunk: Buffer;
    if (start === 0 && n >= head.length) {
      lane.queue.shift();
      chunk = head;
    } else {
      chunk = head.subarray(start, start + n);
      lane.headOffset += n;
      if (lane.headOffset === head.length) {
        lane.queue.shift();
        lane.headOffset = 0;
      }
    }
    this.bytesRead += chunk.length;
    lane.inflight -= chunk.length;
    this.peer.writerMayProceed();
    return chunk;
  }

  writeToFd(data: Uint8Array): number {
    const lane = this.outbound;
    if (this.writeShut || lane.readerGone) throw new FakeTransportError('EPIPE', 'write after the connection closed');
    let n = Math.min(data.length, this.capacity - lane.inflight);
    const fault = this.writeFault;
    if (fault) {
      const left = fault.after - this.bytesWritten;
      if (left <= 0) {
        if (fault.kind === 'error')
          throw new FakeTransportError('EPIPE', `injected write fault after ${fault.after} bytes`);
        // 'eof': the connection ends here; the peer sees EOF, later writes fail.
        this.shutdownWrite();
        throw new FakeTransportError('EPIPE', `injected EOF after ${fault.after} bytes`);
      }
      n = Math.min(n, left);
    }
    // Accepting less than offered means "would block": tell the writer when it may go on.
    if (n < data.length) this.wantsWritable = true;
    if (n <= 0) return 0;
    // Copy, as a kernel would: the writer may reuse its buffer once the write resolves.
    const copy = Buffer.from(data.subarray(0, n));
    this.bytesWritten += n;
    lane.inflight += n;
    lane.undelivered.push(copy);
    this.peer.scheduleDelivery();
    return n;
  }

  shutdownWrite(): void {
    if (this.writeShut) return;
    this.writeShut = true;
    this.endLane();
  }

  closeFd(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.events = null;
    this.shutdownWrite();
    // Our peer can no longer write to us.
    this.inbound.readerGone = true;
    this.inbound.queue.length = 0;
    this.inbound.headOffset = 0;
    this.inbound.undelivered.length = 0;
    this.inbound.inflight = 0;
    this.peer.writerMayProceed();
  }

  /** Make every byte written to this end so far readable now (for `'manual'` delivery; harmless otherwise). */
  deliver(): void {
    const lane = this.inbound;
    lane.deliveryScheduled = false;
    for (const chunk of lane.undelivered) lane.queue.push(chunk);
    lane.undelivered.length = 0;
    if (lane.endPending) lane.ended = true;
    this.emit((e) => e.readable());
  }

  /** Bytes written to this end that it has not read yet. */
  get unread(): number {
    return this.inbound.inflight;
  }

  /** Simulate the medium failing under this end (as a reset would): the stream sees `error`. */
  injectError(error: Error = new FakeTransportError('ECONNRESET', 'injected')): void {
    this.fdError = error;
    setImmediate(() => this.emit((e) => e.error(error)));
  }

  private endLane(): void {
    this.outbound.endPending = true;
    this.peer.scheduleDelivery();
  }

  /** Called on the reader: written bytes (or an end) await delivery per this end's mode. */
  private scheduleDelivery(): void {
    const lane = this.inbound;
    const mode = this.delivery;
    if (mode === 'sync') {
      this.deliver();
      return;
    }
    if (mode === 'manual' || lane.deliveryScheduled) return;
    lane.deliveryScheduled = true;
    const run = () => {
      if (lane.deliveryScheduled) this.deliver();
    };
    if (mode === 'microtask') queueMicrotask(run);
    else if (mode === 'macrotask') setImmediate(run);
    else setTimeout(run, mode.delayMs);
  }

  /** Called on the writer when its peer read (or went away): a blocked `writeToFd` may proceed. */
  private writerMayProceed(): void {
    if (!this.wantsWritable) return;
    this.wantsWritable = false;
    setImmediate(() => this.emit((e) => e.writable()));
  }

  private emit(fn: (events: TransportEvents) => void): void {
    if (this.events !== null) fn(this.events);
  }
}

/** Options for a pair: shared knobs, overridden per end by `a` and `b`. */
export interface PairOptions extends FakeEndOptions {
  a?: FakeEndOptions;
  b?: FakeEndOptions;
}

/** Two connected in-memory transports: what one writes, the other reads. */
export function createTransportPair(options: PairOptions = {}): [FakeTransport, FakeTransport] {
  const { a: aOpts, b: bOpts, ...shared } = options;
  const a = new FakeTransport({ ...shared, ...aOpts });
  const b = new FakeTransport({ ...shared, ...bOpts });
  const ab = new Lane();
  const ba = new Lane();
  a.peer = b;
  b.peer = a;
  a.outbound = ab;
  b.inbound = ab;
  b.outbound = ba;
  a.inbound = ba;
  return [a, b];
}
