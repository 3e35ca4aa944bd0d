/**
 * The hand-written length-prefix parser W4 measures ours against (over TCP in
 * child/recv-frames-raw.ts, in memory in micro/loops.ts): each frame is a
 * big-endian u32 length and that many bytes. Frames inside a chunk are views;
 * only a frame that straddles chunks is assembled by copying.
 */
export class FrameParser {
  private carry: Buffer | null = null;

  constructor(private readonly onFrame: (body: Buffer) => void) {}

  /** Bytes of an unfinished frame held since the last chunk. */
  get leftover(): number {
    return this.carry?.length ?? 0;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    let carry = this.carry;
    if (carry !== null) {
      // Complete the straddling frame: its header first, then its body.
      if (carry.length < 4) {
        pos = Math.min(4 - carry.length, chunk.length);
        carry = Buffer.concat([carry, chunk.subarray(0, pos)]);
        this.carry = carry;
        if (carry.length < 4) return;
      }
      const need = 4 + carry.readUInt32BE(0) - carry.length;
      if (chunk.length - pos < need) {
        this.carry = Buffer.concat([carry, chunk.subarray(pos)]);
        return;
      }
      this.onFrame(Buffer.concat([carry, chunk.subarray(pos, pos + need)]).subarray(4));
      pos += need;
      this.carry = null;
    }
    const len = chunk.length;
    while (len - pos >= 4) {
      const n = chunk.readUInt32BE(pos);
      if (len - pos - 4 < n) break;
      this.onFrame(chunk.subarray(pos + 4, pos + 4 + n));
      pos += 4 + n;
    }
    if (pos < len) this.carry = chunk.subarray(pos);
  }
}
