// The testkit compliance suite over a Unix domain socket: `a` is a connect({ path })ed
// client, `b` the stream listen({ path }) accepted for it. Each setup listens on a new path
// in a temp dir; teardown closes the server, which removes the socket file.
import type { IOStream } from '@iostream/core';
import { transportCompliance } from '@iostream/testkit/compliance';
import { afterAll } from 'vitest';
import { connect, listen, type TcpServer } from '../src/index.js';
import { socketDir } from './unix-socket-dir.js';

const dir = socketDir();
afterAll(() => dir.remove());
let server: TcpServer | null = null;

transportCompliance('unix socket', {
  async setup(options) {
    let accept!: (s: IOStream) => void;
    const accepted = new Promise<IOStream>((resolve) => {
      accept = resolve;
    });
    const path = dir.next();
    server = await listen({ path, ...options }, (s) => accept(s));
    const a = await connect({ path, ...options });
    return { a, b: await accepted };
  },
  async teardown() {
    await server?.close({ closeStreams: true });
    server = null;
  },
  duplex: true,
  halfClose: true,
});
