/** Step: the line protocol over a Unix domain socket (listen({ path }) + connect({ path })) in a temp dir. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, listen } from '@iostream/tcp';
import { runLines, serveLines } from './line-protocol.js';
import { heading, ms, note } from './report.js';

export async function unixStep(): Promise<void> {
  const started = performance.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iostream-demo-'));
  const socketPath = path.join(dir, 'lines.sock');
  try {
    const server = await listen({ path: socketPath }, serveLines);
    heading(`Unix domain socket: the same protocol, listen({ path }) + connect({ path }) on ${server.path}`);
    try {
      const client = await connect({ path: socketPath, timeout: 5000 });
      note(`connected in ${ms(started)}`);
      await runLines(client, [
        ['ECHO hello over a unix socket', 'hello over a unix socket'],
        ['ADD 1 2 3', '6'],
        ['QUIT', 'BYE'],
      ]);
      const rest = await client.readUntilClose();
      note(`server closed the connection cleanly (readUntilClose → ${rest.length} bytes)`);
      client.close();
      // The path is taken while the server listens: a second listen fails, nothing is removed.
      const second = await listen({ path: socketPath }, serveLines).then(
        (s) => s.close().then(() => 'listening'),
        (error: NodeJS.ErrnoException) => error.code,
      );
      if (second !== 'EADDRINUSE') throw new Error(`a second listen on the same path gave ${second}, not EADDRINUSE`);
      note('a second listen on the same path fails with EADDRINUSE (an existing file is never removed)');
    } finally {
      await server.close({ closeStreams: true });
    }
    if (existsSync(socketPath)) throw new Error('server.close() left the socket file behind');
    note('server.close() removed the socket file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  note(`step done in ${ms(started)}`);
}
