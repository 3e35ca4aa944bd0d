// Tornado's STARTTLS case: an SMTP-style exchange over @iostream/tcp where both sides
// upgrade in place. The client sends "STARTTLS\r\n", the server answers "220 Go ahead\r\n",
// both call startTls, then they talk over TLS. The close callback and buffer options move
// to the new streams; the old ones are finished.
import { type IOStream, StreamBufferFullError, StreamClosedError, StreamNotIdleError } from '@iostream/core';
import { connect, listen } from '@iostream/tcp';
import { expect, it } from 'vitest';
import { startTls, TlsStream } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection } from './helpers.js';

const certs = useCerts();

it('both sides upgrade after STARTTLS / 220 and then talk over TLS', async () => {
  let serverSide!: (s: { plain: IOStream; secure: TlsStream; line: string }) => void;
  const served = new Promise<{ plain: IOStream; secure: TlsStream; line: string }>((resolve) => {
    serverSide = resolve;
  });
  const server = await listen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    await plain.write('220 iostream ESMTP\r\n');
    expect((await plain.readUntil('\r\n', { maxBytes: 512 })).toString()).toBe('STARTTLS\r\n');
    await plain.write('220 Go ahead\r\n');
    const secure = await startTls(plain, { serverSide: true, key: certs.server.key, cert: certs.server.cert });
    const line = (await secure.readUntil('\r\n', { maxBytes: 512 })).toString();
    await secure.write('250 hello over TLS\r\n');
    serverSide({ plain, secure, line });
  });

  const plain = await connect({ host: '127.0.0.1', port: server.address().port, maxWriteBufferSize: 64 });
  let closeCallbackRuns = 0;
  const closed = new Promise<void>((resolve) =>
    plain.setCloseCallback(() => {
      closeCallbackRuns++;
      resolve();
    }),
  );
  expect((await plain.readUntil('\r\n')).toString()).toBe('220 iostream ESMTP\r\n');
  await plain.write('STARTTLS\r\n');
  expect((await plain.readUntil('\r\n')).toString()).toBe('220 Go ahead\r\n');
  const secure = await startTls(plain, { servername: 'localhost', ca: certs.ca });

  expect(secure).toBeInstanceOf(TlsStream);
  expect(secure.authorized).toBe(true);
  expect(secure.getProtocol()).toMatch(/^TLSv1\.[23]$/);
  expect(secure.getPeerCertificate()?.subject?.CN).toBe('localhost');
  await secure.write('EHLO client\r\n');
  expect((await secure.readUntil('\r\n')).toString()).toBe('250 hello over TLS\r\n');
  const srv = await served;
  expect(srv.line).toBe('EHLO client\r\n');
  expect(srv.secure.getProtocol()).toBe(secure.getProtocol());

  // The old streams are finished: reads and writes reject, a second startTls rejects clearly.
  for (const old of [plain, srv.plain]) {
    expect(old.closed()).toBe(true);
    expect(await rejection(old.readBytes(1))).toBeInstanceOf(StreamClosedError);
    expect(await rejection(old.write('x'))).toBeInstanceOf(StreamClosedError);
    const again = await rejection(startTls(old, { serverSide: true, key: certs.server.key, cert: certs.server.cert }));
    expect(again).toBeInstanceOf(StreamNotIdleError);
    expect(again).toMatchObject({ code: 'ERR_STREAM_NOT_IDLE' });
  }

  // Buffer options moved over: maxWriteBufferSize 64 still applies.
  expect(await rejection(secure.write(Buffer.alloc(65)))).toBeInstanceOf(StreamBufferFullError);
  // The close callback moved over: it has not run for the detach, and runs once when the TLS stream closes.
  expect(closeCallbackRuns).toBe(0);
  secure.close();
  await closed;
  expect(closeCallbackRuns).toBe(1);
  srv.secure.close();
  await server.close({ closeStreams: true });
});
