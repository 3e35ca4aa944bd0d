// waitForNoNewResources: waits in event-loop turns for what a test opened to go, for at
// least minMs of wall-clock time, and reports what outlives the wait. A resource released
// within minMs (as a test runner's short-lived progress-report timer) is waited out; one
// never released is reported. Real handles (a listening TCP server on 127.0.0.1), counted
// with vitest's own timers ignored: its report throttle comes and goes between any two
// snapshots, which is what minMs is for.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { activeResources, nextTurn, waitForNoNewResources } from '../src/index.js';

const IGNORE = ['Timeout'];
const servers: net.Server[] = [];
const timers: NodeJS.Timeout[] = [];

afterEach(async () => {
  for (const t of timers.splice(0)) clearTimeout(t);
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  // 'close' is emitted before libuv has released the handle: let it go before the next snapshot.
  for (let i = 0; i < 5; i++) await nextTurn();
});

async function listening(): Promise<net.Server> {
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('waitForNoNewResources', () => {
  it('resolves at once with nothing new', async () => {
    const before = activeResources();
    const t0 = Date.now();
    expect(await waitForNoNewResources(before, { ignore: IGNORE })).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(250);
  });

  it('waits out a handle released within minMs, however few turns were asked for', async () => {
    const before = activeResources();
    const server = await listening();
    timers.push(setTimeout(() => server.close(), 60));
    expect(await waitForNoNewResources(before, { turns: 10, ignore: IGNORE })).toEqual([]);
    expect(server.listening).toBe(false);
  });

  it('with minMs 0, a few turns do not outlast that handle: it is reported', async () => {
    const before = activeResources();
    const server = await listening();
    timers.push(setTimeout(() => server.close(), 60));
    expect(await waitForNoNewResources(before, { turns: 10, minMs: 0, ignore: IGNORE })).toEqual(['TCPServerWrap x1']);
  });

  it('reports a handle that outlives minMs, after waiting that long', async () => {
    const before = activeResources();
    await listening();
    const t0 = Date.now();
    expect(await waitForNoNewResources(before, { turns: 10, minMs: 50, ignore: IGNORE })).toEqual(['TCPServerWrap x1']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
  });

  it('rejects bad options with RangeError', async () => {
    const before = activeResources();
    await expect(waitForNoNewResources(before, { minMs: -1 })).rejects.toThrow(RangeError);
    await expect(waitForNoNewResources(before, { minMs: Number.NaN })).rejects.toThrow(RangeError);
    await expect(waitForNoNewResources(before, { turns: 1.5 })).rejects.toThrow(RangeError);
  });
});
