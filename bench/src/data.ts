/**
 * The bytes each workload sends, prebuilt once per sender process so that
 * sending is a loop of `write(buffer)` and never the bottleneck.
 */

export const MiB = 1024 * 1024;
export const LINE_SIZE = 64;
export const FRAME_BODY = 100;
export const FRAME_SIZE = 4 + FRAME_BODY;
export const PING_SIZE = 16;

/** `count` lines of 64 bytes, each ending in `\r\n`, with varying printable text. */
export function buildLines(count: number): Buffer {
  const buf = Buffer.allocUnsafe(count * LINE_SIZE);
  for (let i = 0; i < count; i++) {
    const at = i * LINE_SIZE;
    const head = `line ${i} `;
    buf.write(head, at, 'latin1');
    for (let j = head.length; j < LINE_SIZE - 2; j++) buf[at + j] = 0x61 + ((i + j) % 26);
    buf[at + LINE_SIZE - 2] = 0x0d;
    buf[at + LINE_SIZE - 1] = 0x0a;
  }
  return buf;
}

/** `count` frames: a big-endian u32 length (100) and a 100-byte body. */
export function buildFrames(count: number): Buffer {
  const buf = Buffer.allocUnsafe(count * FRAME_SIZE);
  for (let i = 0; i < count; i++) {
    const at = i * FRAME_SIZE;
    buf.writeUInt32BE(FRAME_BODY, at);
    buf.fill(i & 0xff, at + 4, at + FRAME_SIZE);
  }
  return buf;
}

/** `size` bytes of a repeating pattern. */
export function buildBulk(size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) buf[i] = (i * 31) & 0xff;
  return buf;
}

/** A 16-byte ping: 15 bytes and `\n`. */
export const PING = Buffer.from('ping-0123456789\n', 'latin1');
