// Tornado's handshake-failure case: a client that verifies (the default) meets a server
// with a self-signed certificate. The client rejects with StreamClosedError whose
// realError is the verification error; the server side sees an error too (listen reports
// it to onError and never calls onStream; startTls rejects). Nothing is left open.
import { StreamClosedError } from '@iostream/core';
import { connect as tcpConnect, listen as tcpListen } from '@iostream/tcp';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { expect, it } from 'vitest';
import { connect, listen, startTls } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection, reports } from './helpers.js';

const certs = useCerts();

it('connect() to a listen() server with a self-signed certificate fails on both sides', async () => {
  const before = activeResources();
  const r = reports();
  let onStreamCalls = 0;
  const server = await listen(
    { host: '127.0.0.1', port: 0, ...certs.selfSigned, onError: r.onError },
    () => void onStreamCalls++,
  );
  const error = await rejection(connect({ host: 'localhost', port: server.address().port }));
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });

  const serverError = await r.first;
  expect(serverError).toBeInstanceOf(Error);
  expect(r.errors[0]?.[1]).toBeNull();
  expect(onStreamCalls).toBe(0);
  await server.close({ closeStreams: true });
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('startTls on both sides: the verifying client and the self-signed server both reject', async () => {
  const before = activeResources();
  let serverResult!: (e: unknown) => void;
  const serverOutcome = new Promise<unknown>((resolve) => {
    serverResult = resolve;
  });
  const server = await tcpListen({ host: '127.0.0.1', port: 0 }, async (plain) => {
    await plain.readUntil('STARTTLS\r\n');
    await plain.write('220 Go ahead\r\n');
    serverResult(await rejection(startTls(plain, { serverSide: true, ...certs.selfSigned })));
  });
  const plain = await tcpConnect({ host: '127.0.0.1', port: server.address().port });
  await plain.write('STARTTLS\r\n');
  await plain.readUntil('\r\n');
  const clientError = await rejection(startTls(plain, { servername: 'localhost' }));
  expect(clientError).toBeInstanceOf(StreamClosedError);
  expect((clientError as StreamClosedError).realError).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });

  const serverError = await serverOutcome;
  expect(serverError).toBeInstanceOf(StreamClosedError);
  expect((serverError as StreamClosedError).realError).toBeInstanceOf(Error);
  await server.close({ closeStreams: true });
  expect(await waitForNoNewResources(before)).toEqual([]);
});
