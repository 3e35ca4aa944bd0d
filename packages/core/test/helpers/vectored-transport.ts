/** A scripted transport with `writevToFd`, for the tests of vectored and coalesced writes. */
import { IOStream, type IOStreamOptions } from '../../src/index.js';
import { ScriptedTransport, type ScriptOptions } from './scripted-transport.js';

/** A scripted transport with `writevToFd`: takes up to `writeCapacity` bytes across the chunks, in order. */
export class VectoredTransport extends ScriptedTransport {
  /** Every argument core passed to writevToFd, as given (copied: core may reuse the array). */
  readonly writevCalls: Uint8Array[][] = [];

  writevToFd(chunks: readonly Uint8Array[]): number {
    this.writevCalls.push([...chunks]);
    let total = 0;
    for (const chunk of chunks) {
      const n = Math.min(this.writeCapacity, chunk.length);
      if (n === 0) break;
      this.writeCapacity -= n;
      total += n;
      this.accepted.push(Buffer.from(chunk.subarray(0, n)));
      if (n < chunk.length) break;
    }
    if (total > 0) {
      this.log.push('writev');
      if (this.retainsWrites) this.unreleased += total;
      if (this.retainsWrites && this.releaseInWrite) this.release(total);
    }
    return total;
  }
}

export function openVectored(
  options?: IOStreamOptions,
  script?: ScriptOptions,
): { stream: IOStream; t: VectoredTransport } {
  const t = new VectoredTransport(script);
  return { stream: new IOStream(t, options), t };
}
