// Load, at CI size: 50 concurrent loopback connections, each doing 100 request/response
// round trips (readUntil for a header line, readBytes for a body of up to 16 KiB) against
// a server built on `listen`. No error, every round trip answered with the very bytes sent,
// and every byte counted on both sides. The full size (1,000 x 1,000) is `pnpm soak`
// (soak/soak.mjs), which runs this same load.
import { expect, it } from 'vitest';
import { formatFigures, runLoad } from '../soak/load.mjs';
import { connect, listen } from '../src/index.js';

it('50 connections x 100 round trips: zero errors, every byte accounted for', async () => {
  const r = await runLoad({ connect, listen, connections: 50, roundTrips: 100 });
  console.log(formatFigures(r));
  expect(r.errorSamples).toEqual([]);
  expect(r.errors).toBe(0);
  expect(r.connections).toBe(50);
  expect(r.roundTrips).toBe(5000);
  expect(r.serverRequests).toBe(5000);
  const { expectedEachWay, clientOut, serverIn, serverOut, clientIn } = r.bytes;
  expect(expectedEachWay).toBeGreaterThan(0);
  expect({ clientOut, serverIn, serverOut, clientIn }).toEqual({
    clientOut: expectedEachWay,
    serverIn: expectedEachWay,
    serverOut: expectedEachWay,
    clientIn: expectedEachWay,
  });
});
