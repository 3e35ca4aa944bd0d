// The testkit compliance suite over real loopback TCP: `a` is a connect()ed
// client, `b` the stream listen() accepted for it.
import type { IOStream } from '@iostream/core';
import { transportCompliance } from '@iostream/testkit/compliance';
import { connect, listen, type TcpServer } from '../src/index.js';

let server: TcpServer | null = null;

transportCompliance('tcp', {
  async setup(options) {
    let accept!: (s: IOStream) => void;
    const accepted = new Promise<IOStream>((resolve) => {
      accept = resolve;
    });
    server = await listen({ host: '127.0.0.1', port: 0, ...options }, (s) => accept(s));
    const a = await connect({ host: '127.0.0.1', port: server.address().port, ...options });
    return { a, b: await accepted };
  },
  async teardown() {
    await server?.close({ closeStreams: true });
    server = null;
  },
  duplex: true,
  halfClose: true,
});
