/**
 * The hand-tuned line splitter the line workloads' raw rows use (`splitter` and
 * `splitter-await` in child/recv-lines-raw.ts): it finds `\r` with `indexOf(0x0d)` and
 * hands on each `\r\n`-terminated line without its terminator. A line inside a chunk is
 * a view of it; only a line that straddles chunks is copied. A lone `\r` or `\n` is part
 * of a line.
 */
export class LineSplitter {
  private carry: Buffer | null = null;

  constructor(private readonly onLine: (line: Buffer) => void) {}

  /** Bytes after the last whole line, held for the next chunk. */
  get leftover(): number {
    return this.carry?.length ?? 0;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    const carry = this.carry;
    if (carry !== null) {
      if (carry[carry.length - 1] === 0x0d && chunk[0] === 0x0a) {
        // The carried line's `\r` and this chunk's first byte are its terminator.
        this.onLine(carry.subarray(0, carry.length - 1));
        pos = 1;
      } else {
        // Searched only here: when the terminator straddles the cut, nothing needs finding.
        const cr = crlf(chunk, 0);
        if (cr < 0) {
          this.carry = Buffer.concat([carry, chunk]);
          return;
        }
        this.onLine(Buffer.concat([carry, chunk.subarray(0, cr)]));
        pos = cr + 2;
      }
      this.carry = null;
    }
    for (let cr = crlf(chunk, pos); cr >= 0; cr = crlf(chunk, pos)) {
      this.onLine(chunk.subarray(pos, cr));
      pos = cr + 2;
    }
    if (pos < chunk.length) this.carry = chunk.subarray(pos);
  }
}

/** Index of the first `\r\n` in `buf` at or after `from`, or -1. */
function crlf(buf: Buffer, from: number): number {
  for (;;) {
    const cr = buf.indexOf(0x0d, from);
    if (cr < 0 || cr + 1 >= buf.length) return -1;
    if (buf[cr + 1] === 0x0a) return cr;
    from = cr + 1;
  }
}
