/**
 * The TLS side of the peers that listen (`sender`, `echo-*`) when run with
 * `transport: 'tls'`: a throwaway EC P-256 certificate made with `openssl` before
 * the peer listens (so never inside a measured section). The measured clients
 * connect with `rejectUnauthorized: false`: the benchmark measures the record layer,
 * not certificate checks, and every contender does the same.
 */
import net from 'node:net';
import tls from 'node:tls';
import { makeTestCertificates } from '@iostream/testkit';

/** Key and certificate for a TLS server on 127.0.0.1. */
export function serverCredentials(): { key: Buffer; cert: Buffer } {
  const certs = makeTestCertificates({ prefix: 'iostream-bench-certs-' });
  certs.remove();
  return certs.server;
}

/**
 * `net.createServer(options, onSocket)`, or with `tlsOn` the same over TLS (`onSocket`
 * then gets each socket once its handshake is done).
 */
export function rawServer(tlsOn: boolean, options: net.ServerOpts, onSocket: (socket: net.Socket) => void): net.Server {
  if (tlsOn) return tls.createServer({ ...options, ...serverCredentials() }, onSocket);
  return net.createServer(options, onSocket);
}
