/**
 * A broadcast chat over TCP: every line a member sends goes to every other member.
 *
 * What it shows about `IOStream`:
 * - one `readUntil('\n', { maxBytes })` loop per connection, many connections at
 *   once, with no per-connection buffering code of our own;
 * - `maxBytes` as denial-of-service protection: a line longer than `maxLineBytes`
 *   fails the read with `UnsatisfiableReadError`, and that member is dropped;
 * - `maxWriteBufferSize` as protection from slow readers: a member that stops
 *   reading while others talk has its backlog grow until a write rejects with
 *   `StreamBufferFullError`, and it is dropped instead of eating memory;
 * - clients that vanish (reset, closed mid-line, never said a name) end their read
 *   loop with `StreamClosedError`, and the others are told they left.
 */
import { type IOStream, StreamBufferFullError, StreamClosedError, UnsatisfiableReadError } from '@iostream/core';
import { listen, type TcpServer } from '@iostream/tcp';

export interface ChatServerOptions {
  /** Address to listen on. Default `'127.0.0.1'`. */
  host?: string;
  /** Port; `0` (the default) picks a free one. */
  port?: number;
  /** Longest line a member may send, newline included. Default 4096. */
  maxLineBytes?: number;
  /** Longest name. Default 32. */
  maxNameBytes?: number;
  /** Most bytes queued for one member before it counts as too slow and is dropped. Default 1 MiB. */
  maxBacklogBytes?: number;
}

/** Why a member left, as the others are told. */
export type LeaveReason = 'quit' | 'gone' | 'line too long' | 'too slow';

interface Member {
  name: string;
  stream: IOStream;
}

/** A running chat server; see {@link startChatServer}. */
export class ChatServer {
  private readonly members = new Set<Member>();
  /** Every departure, in order, for tests and logs. */
  readonly departures: { name: string; reason: LeaveReason }[] = [];

  /** @internal use {@link startChatServer} */
  constructor(
    private readonly tcp: TcpServer,
    private readonly options: Required<Omit<ChatServerOptions, 'host' | 'port'>>,
  ) {}

  /** The port it listens on. */
  get port(): number {
    return this.tcp.address().port;
  }

  /** Names of the members present now. */
  names(): string[] {
    return [...this.members].map((m) => m.name);
  }

  /** How many TCP connections are open (members, and clients still choosing a name). */
  get connections(): number {
    return this.tcp.connections;
  }

  /** Stop accepting and close every connection. */
  close(): Promise<void> {
    return this.tcp.close({ closeStreams: true });
  }

  /** @internal one connection, from greeting to departure */
  async serve(stream: IOStream): Promise<void> {
    const { maxLineBytes, maxNameBytes } = this.options;
    let member: Member | null = null;
    let reason: LeaveReason = 'gone';
    try {
      await stream.write('welcome! your name?\n');
      const name = (await stream.readUntil('\n', { maxBytes: maxNameBytes + 2 })).toString('utf8').trim();
      if (!/^[\w.-]+$/.test(name) || this.names().includes(name)) {
        await stream.write('! that name is invalid or taken, bye\n');
        await stream.end();
        return;
      }
      member = { name, stream };
      this.members.add(member);
      await stream.write(`* hello ${name}, ${this.members.size - 1} others here: /who, /quit\n`);
      this.broadcast(member, `* ${name} joined\n`);
      for (;;) {
        // The fast path first: lines that already arrived cost no promise.
        const raw =
          stream.tryReadUntil('\n', { maxBytes: maxLineBytes }) ??
          (await stream.readUntil('\n', { maxBytes: maxLineBytes }));
        const text = raw.toString('utf8').replace(/\r?\n$/, '');
        if (text === '/quit') {
          reason = 'quit';
          await stream.write('* bye\n');
          await stream.end();
          return;
        }
        if (text === '/who') await stream.write(`* here: ${this.names().join(', ')}\n`);
        else if (text.length > 0) this.broadcast(member, `<${name}> ${text}\n`);
      }
    } catch (error) {
      if (error instanceof UnsatisfiableReadError) {
        reason = 'line too long';
        // The read already closed the stream (maxBytes is DoS protection): nothing more to send.
      } else if (!(error instanceof StreamClosedError)) {
        throw error; // a bug: listen() closes the stream and reports it to onError
      } else if (stream.error instanceof StreamBufferFullError) {
        reason = 'too slow';
      }
    } finally {
      if (member !== null) this.leave(member, reason);
      stream.close();
    }
  }

  private leave(member: Member, reason: LeaveReason): void {
    if (!this.members.delete(member)) return;
    this.departures.push({ name: member.name, reason });
    this.broadcast(member, `* ${member.name} left (${reason})\n`);
  }

  /** Queue `line` for every member but `from`. A member whose backlog is full is dropped. */
  private broadcast(from: Member, line: string): void {
    const data = Buffer.from(line);
    for (const member of this.members) {
      if (member === from) continue;
      member.stream.write(data).catch((error: unknown) => {
        // StreamBufferFullError: it queued nothing and left the stream open. Drop the member;
        // its own read loop then ends with StreamClosedError and reports 'too slow'.
        if (error instanceof StreamBufferFullError) member.stream.close(error);
      });
    }
  }
}

/**
 * Start a chat server. Connect with `nc 127.0.0.1 <port>`, or with {@link ChatClient}.
 *
 * @example
 * ```ts
 * const server = await startChatServer({ port: 7000 });
 * console.log(`chat on 127.0.0.1:${server.port}`);
 * ```
 */
export async function startChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const settings = {
    maxLineBytes: options.maxLineBytes ?? 4096,
    maxNameBytes: options.maxNameBytes ?? 32,
    maxBacklogBytes: options.maxBacklogBytes ?? 1024 * 1024,
  };
  let chat!: ChatServer;
  const tcp = await listen(
    {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      noDelay: true,
      maxWriteBufferSize: settings.maxBacklogBytes,
    },
    (stream) => chat.serve(stream),
  );
  chat = new ChatServer(tcp, settings);
  return chat;
}
