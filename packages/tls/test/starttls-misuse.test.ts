// Misusing startTls gets clear errors: reading or writing the plain stream while its
// handshake is under way (the stream was handed over, so every read mode and write rejects
// with StreamClosedError whose realError says so, ERR_STREAM_DETACHED), a second startTls
// on it (StreamNotIdleError), startTls on the TLS stream it produced (TypeError), and no
// options at all (TypeError). None of it disturbs the upgrade itself.
import { type IOStream, StreamClosedError, StreamNotIdleError } from '@iostream/core';
import { connect, listen } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { startTls, type TlsStream } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection } from './helpers.js';

const certs = useCerts();

it('the plain stream is finished from the call on: reads, writes and a second startTls are refused', async () => {
  let serverSecure!: (s: TlsStream) => void;
  const served = new Promise<TlsStream>((resolve) => {
    serverSecure = resolve;
  });
  const server = await listen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    await plain.readUntil('STARTTLS\r\n', { maxBytes: 64 });
    await plain.write('220 go\r\n');
    serverSecure(await startTls(plain, { serverSide: true, key: certs.server.key, cert: certs.server.cert }));
  });
  const plain: IOStream = await connect({ host: '127.0.0.1', port: server.address().port });
  await plain.write('STARTTLS\r\n');
  await plain.readUntil('\r\n');
  const upgrading = startTls(plain, { servername: 'localhost', ca: certs.ca });

  // While the handshake runs, the old stream refuses everything, with the reason.
  const attempts: [string, Promise<unknown>][] = [
    ['readBytes', plain.readBytes(1)],
    ['readUntil', plain.readUntil('\n')],
    ['readUntilRegex', plain.readUntilRegex(/x/)],
    ['readInto', plain.readInto(new Uint8Array(4))],
    ['readBytes onChunk', plain.readBytes(4, { onChunk: () => {} })],
    ['write', plain.write('plain text after STARTTLS')],
    ['end', plain.end()],
  ];
  for (const [name, attempt] of attempts) {
    const error = await rejection(attempt);
    expect(error, name).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).realError, name).toMatchObject({ code: 'ERR_STREAM_DETACHED' });
  }
  // readUntilClose on a finished stream resolves with what was left: nothing.
  expect(await plain.readUntilClose()).toHaveLength(0);
  expect(plain.tryReadBytes(1)).toBeNull();
  expect(await rejection(startTls(plain, { servername: 'localhost', ca: certs.ca }))).toBeInstanceOf(
    StreamNotIdleError,
  );

  // The upgrade went through regardless.
  const secure = await upgrading;
  const peer = await served;
  await secure.write('over TLS\n');
  expect((await peer.readUntil('\n')).toString()).toBe('over TLS\n');

  // The TLS stream cannot be upgraded again, and startTls needs options.
  expect(() => startTls(secure, { servername: 'localhost', ca: certs.ca })).toThrow(TypeError);
  expect(() => startTls(secure, { servername: 'localhost', ca: certs.ca })).toThrow(/already a TLS stream/);
  expect(() => startTls(secure, undefined as never)).toThrow(TypeError);
  expect(secure.closed()).toBe(false);

  secure.close();
  peer.close();
  await server.close({ closeStreams: true });
});
