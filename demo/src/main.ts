/**
 * `pnpm demo`: every read mode, a write with backpressure, and close semantics,
 * over an in-memory connection that delivers bytes in awkward chunks. Exits 0 on
 * success, 1 with a message on failure.
 */
import { StreamClosedError, UnsatisfiableReadError } from '@iostream/core';
import { createStreamPair } from '@iostream/testkit';

function show(label: string, value: Buffer | number | string): void {
  const text = typeof value === 'object' ? JSON.stringify(value.toString('latin1')) : String(value);
  console.log(`  ${label.padEnd(34)} ${text}`);
}

async function inMemory(): Promise<void> {
  console.log('in-memory pair, bytes delivered 3 at a time:');
  const { a: client, b: server } = createStreamPair({ chunking: 3 });
  const started = performance.now();
  void client.write(['HELO demo\r\n', 'SIZE 5\r\n', 'hello', 'id:42;', 'binary tail']);
  show("readUntil('\\r\\n')", await server.readUntil('\r\n'));
  show('readUntilRegex(/SIZE (\\d+)\\r\\n/)', await server.readUntilRegex(/SIZE (\d+)\r\n/));
  show('readBytes(5)', await server.readBytes(5));
  const into = Buffer.alloc(6);
  show('readInto(6-byte buffer)', await server.readInto(into));
  show('  the buffer now holds', into);
  show("tryReadUntil('never')", String(server.tryReadUntil('never')));
  await client.end();
  show('readUntilClose()', await server.readUntilClose());
  show('closed() after the peer ended', String(server.closed()));
  const ms = (performance.now() - started).toFixed(2);
  console.log(`  done in ${ms} ms`);
}

async function limits(): Promise<void> {
  console.log('limits: maxBytes protects a line reader from a peer that never sends "\\n":');
  const { a: peer, b: stream } = createStreamPair();
  void peer.write(Buffer.alloc(10_000, 'x')).catch(() => {});
  try {
    await stream.readUntil('\n', { maxBytes: 4096 });
    throw new Error('expected UnsatisfiableReadError');
  } catch (error) {
    if (!(error instanceof UnsatisfiableReadError)) throw error;
    show('readUntil rejected with', `${error.name} (${error.code})`);
    show('stream closed?', String(stream.closed()));
  }
  try {
    await stream.readBytes(1);
  } catch (error) {
    if (!(error instanceof StreamClosedError)) throw error;
    show('next read rejected with', `${error.name} (${error.code})`);
  }
  peer.close();
}

try {
  await inMemory();
  await limits();
  console.log('demo ok');
} catch (error) {
  console.error('demo failed:', error);
  process.exit(1);
}
