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

/**
 * The same format, pulled one frame at a time (`next()`) instead of pushed to a callback:
 * for a loop that awaits each frame. Frames inside a chunk are views; only a frame cut by
 * a chunk's end is copied, and only its own bytes.
 */
export class FramePuller {
  private chunk: Buffer = Buffer.alloc(0);
  private pos = 0;
  private readonly queue: Buffer[] = [];

  /** Bytes received and not yet returned as a frame. */
  get leftover(): number {
    let n = this.chunk.length - this.pos;
    for (const c of this.queue) n += c.length;
    return n;
  }

  push(chunk: Buffer): void {
    this.queue.push(chunk);
  }

  /** The next whole frame's body, or `null` until more bytes come. */
  next(): Buffer | null {
    for (;;) {
      const c = this.chunk;
      const p = this.pos;
      const left = c.length - p;
      let need = 4 - left;
      if (left >= 4) {
        const end = p + 4 + c.readUInt32BE(p);
        if (end <= c.length) {
          this.pos = end;
          return c.subarray(p + 4, end);
        }
        need = end - c.length;
      }
      const more = this.queue.shift();
      if (more === undefined) return null;
      this.pos = 0;
      if (left === 0) {
        this.chunk = more;
        continue;
      }
      // A frame (or its header) cut by the chunk's end: join its bytes, and no more, into one Buffer.
      const k = Math.min(need, more.length);
      this.chunk = Buffer.concat([c.subarray(p), more.subarray(0, k)]);
      if (k < more.length) this.queue.unshift(more.subarray(k));
    }
  }
}
