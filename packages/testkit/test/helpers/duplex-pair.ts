/**
 * Two Node `Duplex`es connected like the two ends of a socket (what Node 22 ships as
 * `stream.duplexPair()`, which Node 20 lacks): what one end writes the other reads,
 * a write's callback waits until the peer's readable buffer has room (so
 * backpressure reaches the writer), `end()` is EOF at the peer while the peer can
 * still write back (half-close), and destroying an end is EOF at the peer after the
 * bytes already sent, and `EPIPE` for the peer's later writes.
 */
import { Duplex } from 'node:stream';

function epipe(): Error {
  return Object.assign(new Error('write EPIPE: the other end is gone'), { code: 'EPIPE' });
}

class End extends Duplex {
  peer!: End;
  /** Set once this end pushed EOF to its peer. */
  private sentEof = false;
  /** The callback of a write the peer had no room for; its `_read` releases it. */
  private held: ((error?: Error | null) => void) | null = null;

  constructor(highWaterMark: number) {
    super({ allowHalfOpen: true, highWaterMark });
  }

  override _read(): void {
    const held = this.peer.held;
    this.peer.held = null;
    held?.();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.peer.destroyed || this.sentEof) callback(epipe());
    else if (this.peer.push(chunk)) callback();
    else this.held = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.eof();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.eof();
    this.held = null;
    // A write of the peer that waited for room here can never complete now.
    const stuck = this.peer.held;
    this.peer.held = null;
    stuck?.(epipe());
    callback(error);
  }

  private eof(): void {
    if (this.sentEof) return;
    this.sentEof = true;
    if (!this.peer.destroyed) this.peer.push(null);
  }
}

/** A connected pair of byte-mode duplexes; `highWaterMark` bounds what each end buffers for reading. */
export function duplexPair(highWaterMark = 16 * 1024): [Duplex, Duplex] {
  const a = new End(highWaterMark);
  const b = new End(highWaterMark);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
