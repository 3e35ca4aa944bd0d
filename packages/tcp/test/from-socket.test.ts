// fromSocket: a net.Socket someone else made becomes a stream in one call. `head` comes
// before anything the socket had buffered or reads later, whatever state the socket was
// in (never read, paused, flowing, paused on connect, still connecting, TLS), and a socket
// that was already finished or destroyed gives a stream that says so.
import { once } from 'node:events';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import tls from 'node:tls';
import { type IOStream, StreamClosedError } from '@iostream/core';
import { makeTestCertificates } from '@iostream/testkit';
import { afterEach, expect, it } from 'vitest';
import { fromSocket, SocketClosedError, SocketFailedError, type SocketTransport } from '../src/index.js';
import { waitFor } from './helpers.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

/** A plain net server on 127.0.0.1 and a client connected to it: both raw sockets. */
async function pair(serverOptions: net.ServerOpts = {}): Promise<{ accepted: net.Socket; client: net.Socket }> {
  const server = net.createServer(serverOptions);
  cleanup.push(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  client.on('error', () => {});
  cleanup.push(() => client.destroy());
  const [accepted] = (await once(server, 'connection')) as [net.Socket];
  cleanup.push(() => accepted.destroy());
  return { accepted, client };
}

function track(stream: IOStream): IOStream {
  cleanup.push(() => stream.close());
  return stream;
}

const usesDataEvents = (stream: IOStream) =>
  (stream.getTransport() as SocketTransport).socket.listenerCount('data') > 0;

it.each([
  ['never read from (as node:http hands it over)', (_s: net.Socket) => {}],
  ['paused', (s: net.Socket) => s.pause()],
] as const)('a socket %s: head, then the bytes it had buffered, then what it reads', async (_state, setState) => {
  const { accepted, client } = await pair();
  setState(accepted);
  client.write('buffered ');
  await waitFor(() => accepted.readableLength === 9, 'the socket buffered 9 bytes');
  const stream = track(fromSocket(accepted, { head: Buffer.from('head ') }));
  // Bytes inside the socket's own buffer come out as 'data' events: no slab reads then.
  expect(usesDataEvents(stream)).toBe(true);
  client.write('later\n');
  expect((await stream.readUntil('\n')).toString()).toBe('head buffered later\n');
  await stream.write('reply\n');
  expect((await once(client, 'data'))[0].toString()).toBe('reply\n');
});

it('a flowing socket (its own data listener removed): head, then what it reads; the stream pauses it', async () => {
  const { accepted, client } = await pair();
  const listener = () => {};
  accepted.on('data', listener);
  accepted.off('data', listener);
  expect(accepted.readableFlowing).toBe(true);
  // The stream takes the flow over: it pauses the socket and resumes it while it wants bytes.
  const stream = track(fromSocket(accepted, { head: Buffer.from('head ') }));
  client.write('later\n');
  expect((await stream.readUntil('\n')).toString()).toBe('head later\n');
  await stream.write('reply\n');
  expect((await once(client, 'data'))[0].toString()).toBe('reply\n');
});

it('a socket accepted with pauseOnConnect reads into slabs, head first', async () => {
  const { accepted, client } = await pair({ pauseOnConnect: true });
  const stream = track(fromSocket(accepted, { head: new Uint8Array([0x68, 0x69, 0x20]) }));
  expect(usesDataEvents(stream)).toBe(false);
  client.write('there\n');
  expect((await stream.readUntil('\n')).toString()).toBe('hi there\n');
  client.end('tail');
  expect((await stream.readUntilClose()).toString()).toBe('tail');
});

it('a client socket still connecting: writes queue until it connects', async () => {
  const server = net.createServer((s) => s.pipe(s));
  cleanup.push(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  expect(socket.connecting).toBe(true);
  const stream = track(fromSocket(socket));
  await stream.write('echo me\n');
  expect((await stream.readUntil('\n')).toString()).toBe('echo me\n');
  stream.close();
  await once(socket, 'close');
});

it('TLS sockets on both ends: head first, then decrypted bytes', async () => {
  const certs = makeTestCertificates({ prefix: 'iostream-tcp-from-socket-' });
  cleanup.push(() => certs.remove());
  const server = tls.createServer({ key: certs.server.key, cert: certs.server.cert });
  cleanup.push(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const serverStreams: IOStream[] = [];
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    const stream = track(fromSocket(socket, { head: Buffer.from('[server] ') }));
    serverStreams.push(stream);
    void (async () => {
      for (;;) await stream.write(await stream.readUntil('\n'));
    })().catch(() => {});
  });
  const socket = tls.connect({
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    ca: certs.ca,
    servername: 'localhost',
  });
  cleanup.push(() => socket.destroy());
  await once(socket, 'secureConnect');
  const client = track(fromSocket(socket));
  expect(usesDataEvents(client)).toBe(true);
  await client.write('secret line\n');
  expect((await client.readUntil('\n')).toString()).toBe('[server] secret line\n');
  await client.write('x'.repeat(100_000));
  await client.write('\n');
  expect((await client.readUntil('\n')).length).toBe(100_001);
  client.close();
  await waitFor(() => serverStreams[0]?.closed() === true, 'the server stream saw the close');
});

it('a socket destroyed with an error: a closed stream with that error; head stays readable', async () => {
  const { accepted } = await pair();
  const boom = new Error('boom');
  accepted.on('error', () => {});
  accepted.destroy(boom);
  const stream = fromSocket(accepted, { head: Buffer.from('left over') });
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBe(boom);
  const failed = await stream.readBytes(100).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(StreamClosedError);
  expect((failed as StreamClosedError).realError).toBe(boom);
  expect((await stream.readUntilClose()).toString()).toBe('left over');
});

it('a socket destroyed with a value that is not an Error: SocketFailedError, the value as its cause', async () => {
  const { accepted } = await pair();
  accepted.on('error', () => {});
  accepted.destroy('x' as unknown as Error);
  const stream = fromSocket(accepted);
  expect(stream.error).toBeInstanceOf(SocketFailedError);
  expect(stream.error).toMatchObject({ code: 'ERR_SOCKET_FAILED', cause: 'x' });
});

it('a socket destroyed without an error: SocketClosedError; one whose peer had finished: a clean EOF', async () => {
  const first = await pair();
  first.accepted.destroy();
  const stream = fromSocket(first.accepted);
  expect(stream.error).toBeInstanceOf(SocketClosedError);
  await expect(stream.readBytes(1)).rejects.toBeInstanceOf(StreamClosedError);

  // The peer sent its last bytes and FIN; the socket read them, ended and closed on its own.
  const second = await pair();
  const chunks: Buffer[] = [];
  second.accepted.on('data', (c: Buffer) => chunks.push(c));
  second.client.end('bye');
  await once(second.accepted, 'close');
  const finished = fromSocket(second.accepted, { head: Buffer.concat(chunks) });
  expect(finished.error).toBeNull();
  expect((await finished.readUntilClose()).toString()).toBe('bye');
});

it("a half-open socket whose 'end' was already emitted: head, then EOF (not a hang)", async () => {
  const { accepted, client } = await pair({ allowHalfOpen: true });
  const chunks: Buffer[] = [];
  accepted.on('data', (c: Buffer) => chunks.push(c));
  client.end('last words');
  await once(accepted, 'end');
  accepted.removeAllListeners('data');
  const stream = track(fromSocket(accepted, { head: Buffer.concat(chunks), allowHalfOpen: true }));
  expect((await stream.readUntilClose()).toString()).toBe('last words');
  // Still writable: the peer only finished its own side.
  await stream.write('answer');
  await stream.end();
  expect((await once(client, 'data'))[0].toString()).toBe('answer');
});

it('rejects what is not a socket, a head that is not bytes, and bad stream options', async () => {
  expect(() => fromSocket(new PassThrough() as unknown as net.Socket)).toThrow(TypeError);
  expect(() => fromSocket({} as net.Socket)).toThrow(TypeError);
  const { accepted } = await pair();
  expect(() => fromSocket(accepted, { head: 'text' as unknown as Uint8Array })).toThrow(TypeError);
  expect(() => fromSocket(accepted, { maxBufferSize: -1 })).toThrow(RangeError);
  // Nothing was taken over by the failed calls.
  expect(accepted.listenerCount('data')).toBe(0);
});
