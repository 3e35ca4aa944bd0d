import type net from 'node:net';

/**
 * A socket's `'data'` chunks as promises, one at a time, for the W3 baselines
 * written in the same shape as ours (await the next message, await the write):
 * raw `net` with nothing of the library, to show what that shape costs by itself.
 */
export class SocketChunks {
  private readonly queue: Buffer[] = [];
  private waiter: ((chunk: Buffer | null) => void) | null = null;
  private ended = false;

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      const waiter = this.waiter;
      this.waiter = null;
      if (waiter) waiter(chunk);
      else this.queue.push(chunk);
    });
    socket.on('close', () => {
      this.ended = true;
      this.waiter?.(null);
      this.waiter = null;
    });
  }

  /** The next chunk, or `null` once the socket has closed and every chunk was taken. */
  next(): Promise<Buffer | null> {
    const chunk = this.queue.shift();
    if (chunk !== undefined) return Promise.resolve(chunk);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/** `socket.write` that resolves from its callback (rejects with its error). */
export function writeAsync(socket: net.Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
}
