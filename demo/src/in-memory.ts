/**
 * Step: every read mode over an in-memory pair from @iostream/testkit that delivers
 * bytes 3 at a time (the awkward chunking real networks produce), and maxBytes
 * protecting a line reader from a peer that never sends "\n".
 */
import { StreamClosedError, UnsatisfiableReadError } from '@iostream/core';
import { createStreamPair } from '@iostream/testkit';
import { expectEqual, heading, ms, note, quote } from './report.js';

function row(call: string, result: Buffer | string): void {
  note(`${call.padEnd(44)} ${typeof result === 'string' ? result : quote(result)}`);
}

export async function inMemoryStep(): Promise<void> {
  heading('read modes over an in-memory pair (@iostream/testkit), bytes delivered 3 at a time');
  const started = performance.now();
  const { a: client, b: server } = createStreamPair({ chunking: 3 });
  const sent = ['HELO demo\r\n', 'SIZE 5\r\n', 'hello', 'id:42;', 'binary tail'];
  void client.write(sent);
  note(`client wrote ${quote(sent.join(''))}`);
  const line = await server.readUntil('\r\n');
  row("readUntil('\\r\\n')", line);
  expectEqual('readUntil', line, 'HELO demo\r\n');
  const size = await server.readUntilRegex(/SIZE (\d+)\r\n/);
  row('readUntilRegex(/SIZE (\\d+)\\r\\n/)', size);
  const body = await server.readBytes(Number(/SIZE (\d+)/.exec(size.toString())?.[1]));
  row('readBytes(5)', body);
  expectEqual('readBytes', body, 'hello');
  const into = Buffer.alloc(6);
  row('readInto(6-byte buffer)', `${await server.readInto(into)} bytes: ${quote(into)}`);
  row("tryReadUntil('never')", String(server.tryReadUntil('never')));
  await client.end();
  const rest = await server.readUntilClose();
  row('readUntilClose()', rest);
  expectEqual('readUntilClose', rest, 'binary tail');
  row('closed() after the peer ended', String(server.closed()));
  note(`done in ${ms(started)}`);

  const { a: peer, b: stream } = createStreamPair();
  void peer.write(Buffer.alloc(10_000, 'x')).catch(() => {});
  note('a peer sends 10,000 bytes without "\\n"; the reader asks for readUntil("\\n", { maxBytes: 4096 })');
  try {
    await stream.readUntil('\n', { maxBytes: 4096 });
    throw new Error('expected UnsatisfiableReadError');
  } catch (error) {
    if (!(error instanceof UnsatisfiableReadError)) throw error;
    row('readUntil rejected with', `${error.name} (${error.code}); closed() = ${stream.closed()}`);
  }
  row('buffered bytes stay readable: readBytes(1)', await stream.readBytes(1));
  try {
    await stream.write('too late');
    throw new Error('expected StreamClosedError');
  } catch (error) {
    if (!(error instanceof StreamClosedError)) throw error;
    row('a write on the closed stream rejects with', `${error.name} (${error.code})`);
  }
  peer.close();
}
