// Issue 14, bug 12, over a real socket: a length-prefixed protocol whose payload is empty
// reads it with readInto(buf.subarray(0, 0)). That resolves 0 at once, as readBytes(0) does,
// and the frame after it is read as usual (it threw RangeError before).
import { Buffer } from 'node:buffer';
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { useRawServer } from './helpers.js';

const server = useRawServer();

it('an empty payload read with readInto resolves 0, and the next frame follows', async () => {
  await using stream = await connect({ host: '127.0.0.1', port: server.port });
  const peer = await server.accepted();
  // Two frames, a 4-byte length then the payload: an empty one, then "hello".
  peer.write(Buffer.from([0, 0, 0, 0, 0, 0, 0, 5, 0x68, 0x65, 0x6c, 0x6c, 0x6f]));
  const payload = Buffer.alloc(64);
  const lengths: number[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < 2; i++) {
    const n = (await stream.readBytes(4)).readUInt32BE(0);
    lengths.push(n);
    expect(await stream.readInto(payload.subarray(0, n))).toBe(n);
    bodies.push(payload.toString('latin1', 0, n));
  }
  expect(lengths).toEqual([0, 5]);
  expect(bodies).toEqual(['', 'hello']);
  expect(stream.tryReadInto(payload.subarray(0, 0))).toBe(0);
});
