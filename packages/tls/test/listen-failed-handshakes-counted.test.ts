// Failed client handshakes on listen() are not each a process warning under the default
// onError: any client can cause one (a port scanner, a plain-text client, a client that
// rejects our certificate), so a busy server used to print a warning per connection. They
// are counted in server.failedHandshakes and logged under NODE_DEBUG=iostream; an onError
// that was given still gets each of them.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { StreamClosedError } from '@iostream/core';
import { afterEach, expect, it, vi } from 'vitest';
import { connect, listen, type TlsServer } from '../src/index.js';
import { useCerts } from './certs.js';
import { rejection, reports, waitFor } from './helpers.js';

const certs = useCerts();
let server: TlsServer | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close({ closeStreams: true });
  server = null;
});

/** Fail one handshake each way: plain text instead of a ClientHello, and a client that rejects our certificate. */
async function failTwoHandshakes(port: number): Promise<void> {
  const raw = net.connect({ host: '127.0.0.1', port });
  raw.on('error', () => {});
  raw.end('GET / HTTP/1.0\r\n\r\n');
  raw.resume();
  // No ca: the server's certificate is not trusted, so the client aborts the handshake.
  const refused = await rejection(connect({ host: '127.0.0.1', port }));
  expect(refused).toBeInstanceOf(StreamClosedError);
}

it('default onError: failed handshakes are counted, not warned about', async () => {
  const warn = vi.spyOn(process, 'emitWarning');
  server = await listen({ host: '127.0.0.1', port: 0, ...certs.server }, (s) => s.close());
  expect(server.failedHandshakes).toBe(0);
  await failTwoHandshakes(server.address().port);
  const s = server;
  await waitFor(() => s.failedHandshakes === 2, 'both failed handshakes were counted');
  // A good client afterwards is not counted.
  const client = await connect({ host: '127.0.0.1', port: server.address().port, ca: certs.ca });
  client.close();
  expect(server.failedHandshakes).toBe(2);
  expect(warn).not.toHaveBeenCalled();
});

it('a given onError still gets every failed handshake, and they are counted too', async () => {
  const r = reports();
  server = await listen({ host: '127.0.0.1', port: 0, ...certs.server, onError: r.onError }, (s) => s.close());
  await failTwoHandshakes(server.address().port);
  await waitFor(() => r.errors.length === 2, 'onError got both');
  expect(r.errors.map(([, stream]) => stream)).toEqual([null, null]);
  expect(server.failedHandshakes).toBe(2);
});

// In a child process, since NODE_DEBUG is read when Node starts. It runs the built package.
const child = `
import net from 'node:net';
import { makeTestCertificates } from '@iostream/testkit';
import { listen } from '@iostream/tls';
const certs = makeTestCertificates();
const server = await listen({ host: '127.0.0.1', port: 0, ...certs.server }, (s) => s.close());
const raw = net.connect({ host: '127.0.0.1', port: server.address().port });
raw.on('error', () => {});
raw.end('GET / HTTP/1.0\\r\\n\\r\\n');
raw.resume();
while (server.failedHandshakes < 1) await new Promise((resolve) => setImmediate(resolve));
await server.close({ closeStreams: true });
certs.remove();
`;

function runChild(env: NodeJS.ProcessEnv): Promise<string> {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', child],
      { cwd, env, timeout: 15_000 },
      (error, _stdout, stderr) => (error ? reject(error) : resolve(stderr)),
    );
  });
}

it('in a process: nothing on stderr by default, one debug line under NODE_DEBUG=iostream', async () => {
  const { NODE_DEBUG: _, NODE_OPTIONS: __, ...env } = process.env;
  expect(await runChild(env)).toBe('');
  expect(await runChild({ ...env, NODE_DEBUG: 'iostream' })).toMatch(/^IOSTREAM \d+: TLS handshake failed \(\w+\)/m);
});
