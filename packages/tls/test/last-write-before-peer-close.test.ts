// The last write before the peer closes resolves when its bytes were delivered. Node calls
// a TLS write back from a later turn than the one it was made in, so a peer that reads the
// bytes and closes at once can have its EOF seen first; that clean EOF used to close the
// stream and reject the write (StreamClosedError, realError null) although the peer had it.
//
// The peer is a plain node:tls server in a worker thread (its own event loop, so it answers
// while this one is busy): it reads one line, reports it, and ends the connection. The
// client writes from a timer and busy-waits 2 ms in the same turn, the window in which
// the peer's EOF arrives ahead of the write's completion (45 of 50 writes were rejected before).
import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { useCerts } from './certs.js';
import { waitFor } from './helpers.js';

const certs = useCerts();

const peerCode = `
const tls = require('node:tls');
const { parentPort, workerData } = require('node:worker_threads');
const server = tls.createServer({ key: workerData.key, cert: workerData.cert }, (socket) => {
  let text = '';
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    text += chunk;
    if (!text.endsWith('\\n')) return;
    parentPort.postMessage({ line: text });
    socket.end();
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.once('message', () => server.close(() => parentPort.close()));
`;

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

it('50 times: a write the peer read before closing resolves, and the peer has every line', async () => {
  const worker = new Worker(peerCode, { eval: true, workerData: { key: certs.server.key, cert: certs.server.cert } });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const lines: string[] = [];
  const port = await new Promise<number>((resolve) =>
    worker.on('message', (m: { port?: number; line?: string }) => {
      if (m.port !== undefined) resolve(m.port);
      if (m.line !== undefined) lines.push(m.line);
    }),
  );
  const outcomes: string[] = [];
  try {
    for (let i = 0; i < 50; i++) {
      const stream = await connect({ host: '127.0.0.1', port, ca: certs.ca });
      // Wrapped: resolving with the write's promise itself would adopt its outcome.
      const { write } = await new Promise<{ write: Promise<void> }>((resolve) =>
        setTimeout(() => {
          resolve({ write: stream.write(`line ${i}\n`) });
          busyWait(2);
        }, 0),
      );
      outcomes.push(
        await write.then(
          () => 'resolved',
          (e: unknown) => `rejected: ${String(e)}`,
        ),
      );
      stream.close();
    }
  } finally {
    worker.postMessage('stop');
    await exited;
  }
  expect(outcomes.filter((o) => o !== 'resolved')).toEqual([]);
  await waitFor(() => lines.length === 50, 'the peer reported every line');
  expect(lines).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}\n`));
});
