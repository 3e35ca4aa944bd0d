/**
 * A scripted transport that implements `lendReadTarget` the way a socket reading into
 * lent memory does: bytes the peer sends land in the lent target while there is a loan
 * (each read a view of it, right after the previous one), and in memory of its own
 * otherwise. It records every loan core makes, and honours the contract's rule that
 * no view of lent memory is returned after the loan ends (it copies such chunks then).
 * With `handsBackTarget`, a read that fills a whole target returns the target itself.
 */
import { Buffer } from 'node:buffer';
import { EOF } from '../../src/index.js';
import { ScriptedTransport, type ScriptOptions } from './scripted-transport.js';

export class LendingTransport extends ScriptedTransport {
  /** Every argument core passed to `lendReadTarget`, in order (`null` = loan ended). */
  readonly loans: (Uint8Array | null)[] = [];
  /** Whether to take loans (false: decline, so core copies). */
  accepting = true;
  /** Whether a read that fills a whole lent target returns the target itself, not a view of it (as `@iostream/tcp` does for a Buffer). */
  handsBackTarget = false;
  /** The lent memory not read into yet, or `null`. */
  private loan: Uint8Array | null = null;
  /** The whole target of the current loan, to find views of it. */
  private lentMemory: Uint8Array | null = null;

  constructor(script?: ScriptOptions) {
    super(script);
  }

  lendReadTarget(target: Uint8Array | null): boolean {
    this.loans.push(target);
    this.log.push(target === null ? 'lend:null' : `lend:${target.length}`);
    this.copyOutLent();
    if (target === null || !this.accepting) {
      this.loan = null;
      this.lentMemory = null;
      return target === null;
    }
    this.loan = target;
    this.lentMemory = target;
    return true;
  }

  /** The peer sends `data`: each piece is one read, into the loan while there is one. */
  send(...pieces: (Uint8Array | string)[]): void {
    for (const piece of pieces) {
      let rest = typeof piece === 'string' ? Buffer.from(piece, 'latin1') : Buffer.from(piece);
      while (rest.length > 0) {
        const loan = this.loan;
        if (loan === null) {
          this.inbound.push(rest);
          break;
        }
        const n = Math.min(loan.length, rest.length);
        loan.set(rest.subarray(0, n));
        const whole = this.handsBackTarget && loan === this.lentMemory && n === loan.length;
        this.inbound.push(whole ? loan : Buffer.from(loan.buffer, loan.byteOffset, n));
        this.loan = n < loan.length ? loan.subarray(n) : null;
        rest = rest.subarray(n);
      }
    }
    this.notify();
  }

  /** Whether `chunk` lies in memory core lent (and so must not be referenced once the loan ends). */
  isLent(chunk: Uint8Array): boolean {
    const m = this.lentMemory;
    return (
      m !== null &&
      chunk.buffer === m.buffer &&
      chunk.byteOffset < m.byteOffset + m.length &&
      chunk.byteOffset + chunk.length > m.byteOffset
    );
  }

  /** Chunks read into the loan and not yet taken by core become copies (the contract's rule). */
  private copyOutLent(): void {
    for (let i = 0; i < this.inbound.length; i++) {
      const c = this.inbound[i];
      if (c !== undefined && c !== EOF && this.isLent(c)) this.inbound[i] = Buffer.from(c);
    }
  }
}
