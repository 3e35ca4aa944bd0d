/**
 * Shared test helpers: condition waits (bounded, never fixed delays), a TLS pair. Leak
 * checks come from @iostream/testkit (`activeResources`, `waitForNoNewResources`).
 */
import type { IOStream } from '@iostream/core';
import { onTestFinished } from 'vitest';
import { connect, listen, type TlsListenOptions, type TlsServer, type TlsStream } from '../src/index.js';
import type { Certs } from './certs.js';

/** Waiting by event-loop turns, bounded, and rejections (shared with the other packages' tests). */
export { nextTurn as turn, rejectionOf as rejection, waitForTurns as waitFor } from '@iostream/testkit';

/** Collects what a server reports to `onError`, with a promise for the first report. */
export function reports(): {
  errors: [Error, IOStream | null][];
  first: Promise<Error>;
  onError: (e: Error, s: IOStream | null) => void;
} {
  let wake!: (e: Error) => void;
  const out = {
    errors: [] as [Error, IOStream | null][],
    first: new Promise<Error>((resolve) => {
      wake = resolve;
    }),
    onError: (e: Error, s: IOStream | null) => {
      out.errors.push([e, s]);
      wake(e);
    },
  };
  return out;
}

/** A TLS server on 127.0.0.1 with the CA-signed certificate, and a verified client connected to it. */
export async function tlsPair(
  certs: Certs,
  serverOptions: Partial<TlsListenOptions> = {},
): Promise<{ server: TlsServer; client: TlsStream; accepted: TlsStream }> {
  let accept!: (s: TlsStream) => void;
  const accepted = new Promise<TlsStream>((resolve) => {
    accept = resolve;
  });
  const server = await listen(
    { host: '127.0.0.1', port: 0, key: certs.server.key, cert: certs.server.cert, ...serverOptions },
    (s) => accept(s),
  );
  const client = await connect({
    host: '127.0.0.1',
    port: server.address().port,
    ca: certs.ca,
    handshakeTimeout: 10_000,
  });
  return { server, client, accepted: await accepted };
}

/** {@link tlsPair}, closed when the test finishes: the client, then the server with what it accepted. */
export async function tlsPairForTest(
  certs: Certs,
  serverOptions: Partial<TlsListenOptions> = {},
): Promise<{ server: TlsServer; client: TlsStream; accepted: TlsStream }> {
  const pair = await tlsPair(certs, serverOptions);
  onTestFinished(async () => {
    pair.client.close();
    await pair.server.close({ closeStreams: true });
  });
  return pair;
}
