/**
 * The client side, with `node:http`: ask for `Upgrade: line`, and on `'upgrade'` hand the
 * socket and its `head` (the server's first bytes after the 101, here its greeting) to
 * `fromSocket`.
 */
import http from 'node:http';
import type net from 'node:net';
import type { IOStream } from '@iostream/core';
import { fromSocket } from '@iostream/tcp';

export interface LineClientOptions {
  host?: string;
  /** Give up if the server has not switched protocols within this many ms. Default 5000. */
  timeout?: number;
}

/**
 * Connect to an upgrade server on `port` and resolve with the line stream once it
 * switched protocols (the greeting is the first line to read). Rejects if the server
 * answers anything but 101, or in time.
 */
export function connectLines(port: number, options: LineClientOptions = {}): Promise<IOStream> {
  return new Promise<IOStream>((resolve, reject) => {
    const request = http.request({
      host: options.host ?? '127.0.0.1',
      port,
      headers: { Connection: 'Upgrade', Upgrade: 'line' },
      timeout: options.timeout ?? 5000,
    });
    request.on('upgrade', (_response: http.IncomingMessage, socket: net.Socket, head: Buffer) =>
      resolve(fromSocket(socket, { head })),
    );
    request.on('response', (response: http.IncomingMessage) => {
      response.resume();
      reject(new Error(`the server answered ${response.statusCode}, not 101 Switching Protocols`));
    });
    request.on('timeout', () => request.destroy(new Error('the server did not switch protocols in time')));
    request.on('error', reject);
    request.end();
  });
}
