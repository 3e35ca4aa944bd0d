import { EOF, type FdTransport, type TransportEvents } from '@iostream/core';

/**
 * An in-memory {@link FdTransport} that serves a prebuilt buffer in 64 KiB
 * slices (views, no copy), as fast as core asks: the read path without a socket.
 * A slice is ready at once while read interest is on; when core stops wanting
 * bytes and then wants them again, the next `readable()` comes on a later turn, as
 * from a socket.
 */
/** How much each read hands over: a socket read's worth. */
export const SLICE_SIZE = 64 * 1024;

export class SliceTransport implements FdTransport {
  private events: TransportEvents | null = null;
  private pos = 0;
  private scheduled = false;

  constructor(
    private readonly data: Buffer,
    private readonly sliceSize = SLICE_SIZE,
  ) {}

  fileno(): number {
    return -1;
  }
  watch(events: TransportEvents): void {
    this.events = events;
  }
  setReadInterest(on: boolean): void {
    if (!on || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.events?.readable();
    });
  }
  readFromFd(): Uint8Array | EOF {
    if (this.pos >= this.data.length) return EOF;
    const slice = this.data.subarray(this.pos, this.pos + this.sliceSize);
    this.pos += slice.length;
    return slice;
  }
  writeToFd(data: Uint8Array): number {
    return data.length;
  }
  closeFd(): void {}
  getFdError(): Error | null {
    return null;
  }
}
