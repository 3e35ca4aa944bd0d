/**
 * The W8 measured process: a server taking `count` short connections, each one line
 * each way (read a line, write it back, `end()`). The clock runs from the first
 * connection to the close of the last; CPU time is this process's over that span.
 * Variants: `raw` (`net.createServer`, `'data'`), `ours` (`@iostream/tcp` `listen`,
 * `readUntil` + `write` + `end`), and the same over TLS: `raw-tls`
 * (`tls.createServer`) and `ours-tls` (`@iostream/tls` `listen`). `raw-await` is a
 * reference: `net.createServer` with the handler written the await way by hand (a
 * promise for the line, one for the write's callback, one for `end()`'s).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { IOStream } from '@iostream/core';
import { listen } from '@iostream/tcp';
import { makeTestCertificates } from '@iostream/testkit';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, count } = childArgs();
const secure = variant.endsWith('-tls');
const certs = secure ? makeTestCertificates() : null;
const credentials = certs === null ? {} : { key: certs.server.key, cert: certs.server.cert };
certs?.remove();

let stop: ((units: number, bytes: number) => void) | null = null;
let closed = 0;
let bytes = 0;
const opened = () => {
  stop ??= startClock();
};
const onClosed = () => {
  if (++closed === count) stop?.(closed, bytes);
};

/** A raw server's connection: answer the first line, then end. */
const rawConnection = (socket: net.Socket) => {
  opened();
  let line = '';
  socket.setEncoding('latin1');
  socket.on('data', (s: string) => {
    line += s;
    if (!line.endsWith('\n')) return;
    bytes += line.length;
    socket.end(line);
  });
  socket.on('error', () => {});
  socket.on('close', onClosed);
};

/** The await shape on bare `node:net`: each step a promise the handler awaits. */
const rawAwaitConnection = async (socket: net.Socket) => {
  opened();
  socket.on('error', () => {});
  socket.on('close', onClosed);
  socket.setEncoding('latin1');
  const line = await new Promise<string>((resolve) => {
    let got = '';
    const onData = (s: string) => {
      got += s;
      if (!got.endsWith('\n')) return;
      socket.off('data', onData);
      resolve(got);
    };
    socket.on('data', onData);
  });
  bytes += line.length;
  await new Promise<void>((resolve) => socket.write(line, () => resolve()));
  await new Promise<void>((resolve) => socket.end(resolve));
};

/** Ours: the same with a stream. */
const ourConnection = async (stream: IOStream) => {
  opened();
  stream.setCloseCallback(onClosed);
  const line = await stream.readUntil('\n', { maxBytes: 1024 });
  bytes += line.length;
  await stream.write(line);
  await stream.end();
};

const onError = (e: Error) => fail(`churn-server ${variant}: ${e.stack ?? e}`);
let port: number;
if (variant === 'raw' || variant === 'raw-tls') {
  const server = secure ? tls.createServer(credentials, rawConnection) : net.createServer(rawConnection);
  await new Promise<void>((resolve) => server.listen({ host: HOST, port: 0, backlog: 1024 }, resolve));
  port = (server.address() as net.AddressInfo).port;
} else if (variant === 'raw-await') {
  const server = net.createServer((socket) => void rawAwaitConnection(socket));
  await new Promise<void>((resolve) => server.listen({ host: HOST, port: 0, backlog: 1024 }, resolve));
  port = (server.address() as net.AddressInfo).port;
} else if (variant === 'ours') {
  port = (await listen({ host: HOST, port: 0, backlog: 1024, onError }, ourConnection)).address().port;
} else if (variant === 'ours-tls') {
  // Not a dependency of the bench package: loaded from the workspace's build.
  const url = new URL('../../../packages/tls/dist/index.js', import.meta.url);
  const ourTls = (await import(url.href)) as {
    listen(options: object, onStream: (stream: IOStream) => Promise<void>): Promise<{ address(): net.AddressInfo }>;
  };
  port = (await ourTls.listen({ host: HOST, port: 0, backlog: 1024, onError, ...credentials }, ourConnection)).address()
    .port;
} else fail(`churn-server: unknown variant ${variant}`);
announcePort(port);
