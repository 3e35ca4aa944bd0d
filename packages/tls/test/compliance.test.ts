// The testkit compliance suite over TLS on loopback: `a` is a connect()ed client that
// verifies the server against a test CA, `b` the stream listen() handed over for it.
//
// Half-close: TLS 1.3 (what Node negotiates here) lets one side send close_notify and
// FIN with end() while it keeps reading, and the other side go on writing; Node's
// TLSSocket supports that with allowHalfOpen, which connect/listen set. So halfClose
// runs in full.
import type { IOStream } from '@iostream/core';
import { transportCompliance } from '@iostream/testkit/compliance';
import { connect, listen, type TlsServer } from '../src/index.js';
import { useCerts } from './certs.js';

const certs = useCerts();
let server: TlsServer | null = null;

transportCompliance('tls', {
  async setup(options) {
    let accept!: (s: IOStream) => void;
    const accepted = new Promise<IOStream>((resolve) => {
      accept = resolve;
    });
    server = await listen(
      { host: '127.0.0.1', port: 0, key: certs.server.key, cert: certs.server.cert, ...options },
      (s) => accept(s),
    );
    const a = await connect({ host: '127.0.0.1', port: server.address().port, ca: certs.ca, ...options });
    return { a, b: await accepted };
  },
  async teardown() {
    await server?.close({ closeStreams: true });
    server = null;
  },
  duplex: true,
  halfClose: true,
});
