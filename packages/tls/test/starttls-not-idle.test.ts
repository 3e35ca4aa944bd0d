// startTls needs an idle stream: with a pending read, unread buffered bytes, or a
// connection still being made it rejects with StreamNotIdleError (ERR_STREAM_NOT_IDLE)
// and leaves the stream as it was. Invalid options throw at once.
import type net from 'node:net';
import { IOStream, StreamNotIdleError } from '@iostream/core';
import { connect, createConnection, listen, type SocketTransport, type TcpServer } from '@iostream/tcp';
import { afterEach, expect, it } from 'vitest';
import { startTls } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection, waitFor } from './helpers.js';

const certs = useCerts();
let server: TcpServer | null = null;
let peer: IOStream | null = null;

afterEach(async () => {
  peer?.close();
  await server?.close({ closeStreams: true });
  server = null;
  peer = null;
});

async function pair(): Promise<{ client: IOStream; peer: IOStream }> {
  let accept!: (s: IOStream) => void;
  const accepted = new Promise<IOStream>((resolve) => {
    accept = resolve;
  });
  server = await listen({ host: '127.0.0.1', port: 0 }, (s) => accept(s));
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  peer = await accepted;
  return { client, peer };
}

const clientOptions = () => ({ servername: 'localhost', ca: certs.ca });

it('a pending read: rejects, and the read still completes afterwards', async () => {
  const { client, peer } = await pair();
  const read = client.readUntil('\n');
  const error = await rejection(startTls(client, clientOptions()));
  expect(error).toBeInstanceOf(StreamNotIdleError);
  expect(error).toMatchObject({ name: 'StreamNotIdleError', code: 'ERR_STREAM_NOT_IDLE' });
  expect(client.closed()).toBe(false);
  await peer.write('still plain\n');
  expect((await read).toString()).toBe('still plain\n');
  client.close();
});

it('unread bytes in the buffer: rejects, and the bytes stay readable', async () => {
  const { client, peer } = await pair();
  await peer.write('unread');
  await waitFor(() => client.readableLength === 6, 'the client buffered the bytes');
  expect(await rejection(startTls(client, clientOptions()))).toMatchObject({ code: 'ERR_STREAM_NOT_IDLE' });
  expect((await client.readBytes(6)).toString()).toBe('unread');
  client.close();
});

it('a connection still being made: rejects', async () => {
  server = await listen({ host: '127.0.0.1', port: 0 }, () => {});
  const { stream, connected } = createConnection({ host: '127.0.0.1', port: server.address().port });
  expect(await rejection(startTls(stream, clientOptions()))).toMatchObject({ code: 'ERR_STREAM_NOT_IDLE' });
  await connected;
  stream.close();
});

it('an ended stream: rejects', async () => {
  const { client } = await pair();
  await client.end();
  expect(await rejection(startTls(client, clientOptions()))).toMatchObject({ code: 'ERR_STREAM_NOT_IDLE' });
  client.close();
});

it('invalid options throw at once and leave the stream usable', async () => {
  const { client, peer } = await pair();
  // A client side that would verify but has no name to verify against.
  expect(() => startTls(client, { ca: certs.ca })).toThrow(TypeError);
  expect(() => startTls(client, { servername: 'localhost', handshakeTimeout: -1 })).toThrow(RangeError);
  expect(() =>
    startTls(client, { serverSide: true, key: Buffer.from('not a key'), cert: certs.server.cert }),
  ).toThrow();
  // A stream not over a socket.
  const memory = new IOStream({
    fileno: () => -1,
    readFromFd: () => null,
    writeToFd: (d) => d.length,
    closeFd: () => {},
    getFdError: () => null,
    watch: () => {},
    setReadInterest: () => {},
  });
  expect(() => startTls(memory, clientOptions())).toThrow(TypeError);
  expect(client.closed()).toBe(false);
  await client.write('ok\n');
  expect((await peer.readUntil('\n')).toString()).toBe('ok\n');
  client.close();
});

it('an upgraded stream cannot be upgraded again through the old one', async () => {
  const { client, peer } = await pair();
  const transport = client.getTransport() as SocketTransport;
  const raw: net.Socket = transport.socket;
  const upgrading = startTls(client, { ...clientOptions(), handshakeTimeout: 10_000 });
  const again = await rejection(startTls(client, clientOptions()));
  expect(again).toBeInstanceOf(StreamNotIdleError);
  raw.destroy();
  await rejection(upgrading);
  peer.close();
});
