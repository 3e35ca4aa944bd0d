/**
 * W5, ours, the measured sender: listens with `@iostream/tcp`, and to the sink
 * that connects sends `count` bytes in 64 KiB writes through an `IOStream`.
 * `ours-await`: `await write(chunk)` in a loop.
 * `ours-drained`: `write(chunk)` without awaiting, and `await drained()` whenever `needsDrain`.
 * Then `end()` and read the sink's byte count until close.
 */
import type { IOStream } from '@iostream/core';
import { listen } from '@iostream/tcp';
import { buildBulk } from '../data.js';
import { childArgs, HOST } from '../protocol.js';
import { announcePort, fail, failOnStrayErrors, startClock } from './measure.js';

failOnStrayErrors();
const { variant, count } = childArgs();
if (variant !== 'ours-await' && variant !== 'ours-drained') fail(`send-ours: unknown variant ${variant}`);
const chunk = buildBulk(65536);

async function send(s: IOStream): Promise<void> {
  const stop = startClock();
  void server.close();
  let left = count;
  const next = () => {
    const n = Math.min(left, chunk.length);
    left -= n;
    return n === chunk.length ? chunk : chunk.subarray(0, n);
  };
  if (variant === 'ours-await') {
    while (left > 0) await s.write(next());
  } else {
    let last: Promise<void> = Promise.resolve();
    while (left > 0) {
      last = s.write(next());
      if (s.needsDrain) await s.drained();
    }
    await last;
  }
  await s.end();
  const ack = await s.readUntilClose();
  const received = ack.length === 8 ? Number(ack.readBigUInt64BE()) : -1;
  if (received !== count) fail(`${variant}: the sink received ${received} bytes, expected ${count}`);
  stop(count, count);
}

const server = await listen({ host: HOST, port: 0, onError: (e) => fail(`${variant}: ${e.stack ?? e}`) }, send);
announcePort(server.address().port);
