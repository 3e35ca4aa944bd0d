/**
 * An HTTP server that answers plain requests itself and switches a connection to the
 * line protocol when the client asks for it (`Connection: Upgrade`, `Upgrade: line`).
 * The `'upgrade'` handler hands the socket, with the bytes Node's HTTP parser already
 * read past the request (`head`), to `fromSocket`; from then on the connection is an
 * `IOStream` like any other.
 */
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { type IOStream, StreamClosedError } from '@iostream/core';
import { fromSocket } from '@iostream/tcp';
import { GREETING, serveLines } from './line-protocol.js';

export interface UpgradeServerOptions {
  /** Address to listen on. Default `'127.0.0.1'`. */
  host?: string;
  /** Port; default 0 (any free one, see `server.port`). */
  port?: number;
  /** Longest line (newline included) a client may send; a longer one drops that client. Default 4096. */
  maxLineBytes?: number;
}

/** What the server saw, for tests and logs. */
export interface UpgradeStats {
  /** Connections switched to the line protocol. */
  upgrades: number;
  /** Bytes that arrived with upgrade requests, past their header (`head`), in total. */
  headBytes: number;
  /** Upgrade requests refused (an `Upgrade` other than `line`). */
  refused: number;
  /** Line connections that ended with an error other than the peer leaving (a line too long…). */
  failures: Error[];
}

export class UpgradeServer {
  readonly stats: UpgradeStats = { upgrades: 0, headBytes: 0, refused: 0, failures: [] };
  private readonly streams = new Set<IOStream>();

  /** @internal Use {@link startUpgradeServer}. */
  constructor(
    private readonly server: http.Server,
    private readonly maxLineBytes: number,
  ) {
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'line', Connection: 'Upgrade' });
      response.end(`This server speaks a line protocol: send ${request.method} with Upgrade: line\n`);
    });
    server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket as net.Socket, head),
    );
  }

  /** The port it listens on. */
  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Line connections open now. */
  get connections(): number {
    return this.streams.size;
  }

  /** Stop accepting, close every line connection, and resolve once the listening socket is closed. */
  close(): Promise<void> {
    for (const stream of this.streams) stream.close();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(request: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    if (request.headers.upgrade?.toLowerCase() !== 'line') {
      this.stats.refused++;
      socket.on('error', () => {});
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.stats.upgrades++;
    this.stats.headBytes += head.length;
    // One call: the socket becomes a stream, and the bytes the client sent right after its
    // request (it need not wait for the 101) are read first.
    const stream = fromSocket(socket, { head });
    this.streams.add(stream);
    stream.setCloseCallback(() => this.streams.delete(stream));
    void (async () => {
      await stream.write(
        `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: line\r\n\r\n${GREETING}\n`,
      );
      await serveLines(stream, this.maxLineBytes);
    })().then(
      () => stream.close(),
      (error: unknown) => {
        // A client that left mid-conversation is not a failure; anything else (a line past
        // maxLineBytes: UnsatisfiableReadError, which already closed the stream) is counted.
        if (!(error instanceof StreamClosedError)) this.stats.failures.push(error as Error);
        stream.close();
      },
    );
  }
}

/** Start an {@link UpgradeServer}; resolves once it listens. */
export async function startUpgradeServer(options: UpgradeServerOptions = {}): Promise<UpgradeServer> {
  const server = http.createServer();
  const upgradeServer = new UpgradeServer(server, options.maxLineBytes ?? 4096);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return upgradeServer;
}
