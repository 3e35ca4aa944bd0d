/**
 * W5, ours, the measured sender: listens with `@iostream/tcp`, and to the sink
 * that connects sends `count` bytes in 64 KiB writes through an `IOStream`.
 * `ours-await`: `await write(chunk)` in a loop.
 * `ours-drained`: `write(chunk)` without awaiting, and `await drained()` whenever `needsDrain`.
 * Then `end()` and read the sink's byte count until close.
 */
import type { IOStream } from '@iostream/core';
import { listen } from '@iostream/tcp';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors, startClock } from './measure.js';
import { sendOurs } from './send-bulk.js';

failOnStrayErrors();
const { variant, count } = childArgs();
if (variant !== 'ours-await' && variant !== 'ours-drained') fail(`send-ours: unknown variant ${variant}`);

async function send(s: IOStream): Promise<void> {
  const stop = startClock();
  void server.close();
  await sendOurs(s, variant === 'ours-await', count);
  const ack = await s.readUntilClose();
  const received = ack.length === 8 ? Number(ack.readBigUInt64BE()) : -1;
  if (received !== count) fail(`${variant}: the sink received ${received} bytes, expected ${count}`);
  stop(count, count);
}

const server = await listen({ host: HOST, port: 0, onError: (e) => fail(`${variant}: ${e.stack ?? e}`) }, send);
announcePort(server.address().port);
