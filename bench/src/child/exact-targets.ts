/**
 * Raw Node doing `readInto`'s job: `onread` options that fill one reused 64 KiB target
 * exactly, as `await readInto(buf)` must (no read spills past a target, none is handed on
 * short); or, `fresh`, a new 64 KiB buffer per target, as `await readBytes(65536)` must.
 * A read that returns less than the rest of the target points the next one at what is
 * left of it, through `onread`'s buffer function, which Node calls after every read; so
 * a target filled in two reads costs two `read(2)` calls where a reader taking whatever
 * comes (plain `onread`) makes one. Reads come back short whenever the reader has caught
 * up with the sender (on this host a third of them): the least a reader of exact targets
 * pays for that.
 */

const TARGET = 65536;

/** The `onread` options, and what they have read so far. */
export interface ExactTargets {
  readonly onread: { buffer: () => Uint8Array; callback: (n: number) => boolean };
  /** Bytes received: those in filled targets, and any past `count` (so a count check sees them). */
  received(): number;
}

/**
 * Fill targets of 64 KiB until `count` bytes (the last one shorter), calling `onFilled`
 * with the bytes filled so far after each one. `fresh`: each target a new buffer, as
 * `readBytes(65536)` must hand out memory its caller may keep; else one reused buffer,
 * as `readInto(buf)` fills.
 */
export function exactTargets(count: number, onFilled: (bytes: number) => void, fresh = false): ExactTargets {
  let buf = Buffer.allocUnsafe(TARGET);
  let done = 0;
  let size = Math.min(TARGET, count);
  let at = 0;
  let extra = 0;
  /**
   * Where the current target (`size` bytes) is read from its start: the buffer itself when whole,
   * and also past the count (size 0), where any stray bytes land and are counted.
   */
  const start = (): Uint8Array => (size === TARGET || size === 0 ? buf : buf.subarray(0, size));
  let next = start();
  return {
    onread: {
      buffer: () => next,
      callback: (n: number) => {
        if (size === 0) {
          extra += n;
          return true;
        }
        at += n;
        if (at < size) {
          next = buf.subarray(at, size);
          return true;
        }
        done += size;
        at = 0;
        if (fresh) buf = Buffer.allocUnsafeSlow(TARGET);
        size = Math.min(TARGET, count - done);
        next = start();
        onFilled(done);
        return true;
      },
    },
    received: () => done + extra,
  };
}
