/**
 * A Redis client: one connection, commands pipelined automatically. Every command is
 * written at once (no waiting for the previous reply); one read loop reads replies
 * in order and settles the oldest pending command with each.
 */
import { type IOStream, StreamClosedError } from '@iostream/core';
import { type ConnectOptions, connect } from '@iostream/tcp';
import { encodeCommand, type ReadReplyOptions, type RedisArg, RedisError, type RedisReply, readReply } from './resp.js';

export interface RedisClientOptions extends Partial<ConnectOptions>, ReadReplyOptions {}

interface Pending {
  resolve(reply: RedisReply): void;
  reject(error: Error): void;
}

export class RedisClient {
  private readonly pending: Pending[] = [];
  private reading = false;

  private constructor(
    /** The connection. */
    readonly stream: IOStream,
    private readonly options: ReadReplyOptions,
  ) {}

  /** Connect to a Redis server (default `127.0.0.1:6379`). Rejects as `@iostream/tcp`'s `connect` does. */
  static async connect(options: RedisClientOptions = {}): Promise<RedisClient> {
    const stream = await connect({ host: '127.0.0.1', port: 6379, noDelay: true, ...options });
    const replyOptions: ReadReplyOptions = {};
    if (options.maxLineBytes !== undefined) replyOptions.maxLineBytes = options.maxLineBytes;
    if (options.maxBulkBytes !== undefined) replyOptions.maxBulkBytes = options.maxBulkBytes;
    return new RedisClient(stream, replyOptions);
  }

  /**
   * Send one command and resolve with its reply. An error reply rejects with
   * {@link RedisError}; a lost connection rejects with `StreamClosedError`. Calls
   * made without awaiting are pipelined: they go out at once and settle in order.
   *
   * @example
   * ```ts
   * await redis.command('SET', 'greeting', Buffer.from([0, 1, 2, 255]));
   * const value = await redis.command('GET', 'greeting'); // Buffer <00 01 02 ff>
   * ```
   */
  command(...args: RedisArg[]): Promise<RedisReply> {
    return this.send([args]).then(([reply]) => {
      if (reply instanceof RedisError) throw reply;
      return reply as RedisReply;
    });
  }

  /**
   * Send many commands in one write and resolve with their replies, in order. Error
   * replies come back as {@link RedisError} values in the array (one failing command
   * does not fail the others).
   */
  pipeline(commands: readonly (readonly RedisArg[])[]): Promise<RedisReply[]> {
    return this.send(commands);
  }

  private send(commands: readonly (readonly RedisArg[])[]): Promise<RedisReply[]> {
    if (commands.length === 0) return Promise.resolve([]);
    const chunks: Uint8Array[] = [];
    for (const args of commands) encodeCommand(args, chunks);
    // One buffer per batch: a vectored write of thousands of tiny chunks costs a transport call each.
    const data = Buffer.concat(chunks);
    const replies: Promise<RedisReply>[] = commands.map(
      () => new Promise<RedisReply>((resolve, reject) => this.pending.push({ resolve, reject })),
    );
    // A failed write closes nothing by itself; the read loop sees the closed stream and rejects everyone.
    this.stream.write(data).catch((error: unknown) => this.failAll(error as Error));
    this.readLoop();
    return Promise.all(replies);
  }

  private readLoop(): void {
    if (this.reading) return;
    this.reading = true;
    void (async () => {
      try {
        while (this.pending.length > 0) {
          const reply = await readReply(this.stream, this.options);
          this.pending.shift()?.resolve(reply);
        }
      } catch (error) {
        this.failAll(error as Error);
      } finally {
        this.reading = false;
      }
    })();
  }

  private failAll(error: Error): void {
    this.stream.close(error instanceof StreamClosedError ? null : error);
    for (const p of this.pending.splice(0)) p.reject(error);
  }

  /** `QUIT`, then wait for the server to close the connection. */
  async quit(): Promise<void> {
    await this.command('QUIT');
    await this.stream.readUntilClose();
    this.stream.close();
  }

  /** Close the connection now; pending commands reject with `StreamClosedError`. */
  close(): void {
    this.stream.close();
    this.failAll(new StreamClosedError(null));
  }
}
