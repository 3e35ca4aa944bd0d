import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../src/index.js';

describe('freeLoopbackPort', () => {
  it('gives a port that a server can then bind on 127.0.0.1, and leaves nothing listening', async () => {
    const port = await freeLoopbackPort();
    expect(Number.isInteger(port) && port > 0 && port < 65536).toBe(true);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    expect((server.address() as net.AddressInfo).port).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });
});
