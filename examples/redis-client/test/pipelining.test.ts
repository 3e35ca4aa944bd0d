// Pipelining against a real redis-server: 10,000 commands in one write, and 10,000
// un-awaited command() calls, each settling with its own reply, in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient, RedisError } from '../src/index.js';
import { hasRedis, SKIP_REASON, useRedisServer } from './redis-server.js';

const N = 10_000;

describe.skipIf(!hasRedis)(`pipelining against redis-server (skipped if missing: ${SKIP_REASON})`, () => {
  const server = useRedisServer();
  let redis: RedisClient;
  beforeAll(async () => {
    redis = await RedisClient.connect({ port: server.port });
  });
  afterAll(async () => {
    await redis.quit();
  });

  it(`${N.toLocaleString('en')} commands in one pipeline, replies in order`, async () => {
    const commands = [];
    for (let i = 0; i < N; i++) commands.push(['SET', `key:${i}`, `value:${i}`], ['INCR', 'pipelined']);
    const started = performance.now();
    const replies = await redis.pipeline(commands);
    const ms = performance.now() - started;
    expect(replies).toHaveLength(2 * N);
    for (let i = 0; i < N; i++) {
      expect(replies[2 * i]).toBe('OK');
      expect(replies[2 * i + 1]).toBe(i + 1);
    }
    console.log(`${(2 * N).toLocaleString('en')} pipelined commands in ${ms.toFixed(0)} ms`);
    const gets = await redis.pipeline(Array.from({ length: N }, (_, i) => ['GET', `key:${i}`]));
    gets.forEach((value, i) => {
      expect(String(value)).toBe(`value:${i}`);
    });
  });

  it(`${N.toLocaleString('en')} un-awaited command() calls are pipelined and each gets its own reply`, async () => {
    await redis.command('DEL', 'list');
    const calls = Array.from({ length: N }, (_, i) => redis.command('RPUSH', 'list', i));
    const lengths = await Promise.all(calls);
    expect(lengths).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(await redis.command('LLEN', 'list')).toBe(N);
  });

  it('an error reply in the middle of a pipeline is a RedisError value; its neighbours succeed', async () => {
    const replies = await redis.pipeline([
      ['SET', 'a', '1'],
      ['INCRBY', 'a', 'not-a-number'],
      ['INCR', 'a'],
    ]);
    expect(replies[0]).toBe('OK');
    expect(replies[1]).toBeInstanceOf(RedisError);
    expect(replies[2]).toBe(2);
  });
});
