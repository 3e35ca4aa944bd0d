/** A small chat client over `@iostream/tcp`: join with a name, say lines, read lines. */
import type { IOStream } from '@iostream/core';
import { connect } from '@iostream/tcp';

export class ChatClient {
  private constructor(
    /** The connection, for anything else (closing it abruptly, say). */
    readonly stream: IOStream,
    /** The server's reply to the name: `* hello <name>, …`. */
    readonly greeting: string,
  ) {}

  /** Connect, answer the server's question with `name`, and wait for its greeting. */
  static async join(port: number, name: string, host = '127.0.0.1'): Promise<ChatClient> {
    const stream = await connect({ host, port, noDelay: true, timeout: 5000 });
    await stream.readUntil('\n', { maxBytes: 1024 }); // "welcome! your name?"
    await stream.write(`${name}\n`);
    const greeting = (await stream.readUntil('\n', { maxBytes: 1024 })).toString('utf8').trimEnd();
    return new ChatClient(stream, greeting);
  }

  say(text: string): Promise<void> {
    return this.stream.write(`${text}\n`);
  }

  /** The next line from the server, without its newline. Rejects with `StreamClosedError` once the server is gone. */
  async next(): Promise<string> {
    const line = this.stream.tryReadUntil('\n') ?? (await this.stream.readUntil('\n', { maxBytes: 64 * 1024 }));
    return line.toString('utf8').trimEnd();
  }

  /** Read lines until one satisfies `match`; resolves with it. */
  async until(match: (line: string) => boolean): Promise<string> {
    for (;;) {
      const line = await this.next();
      if (match(line)) return line;
    }
  }

  /** Leave politely: `/quit`, wait for the server to close. */
  async quit(): Promise<void> {
    await this.say('/quit');
    await this.stream.readUntilClose();
    this.stream.close();
  }
}
