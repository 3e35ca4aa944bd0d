// The client against a real redis-server: every reply type as Redis sends it,
// binary-safe values, error replies that leave the connection usable, MULTI/EXEC,
// and a lost connection.
import { StreamClosedError } from '@iostream/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisClient, RedisError } from '../src/index.js';
import { hasRedis, SKIP_REASON, useRedisServer } from './redis-server.js';

describe.skipIf(!hasRedis)(`against redis-server (skipped if missing: ${SKIP_REASON})`, () => {
  const server = useRedisServer();
  let redis: RedisClient;
  beforeEach(async () => {
    redis = await RedisClient.connect({ port: server.port });
    await redis.command('FLUSHALL');
  });
  afterEach(() => redis.close());

  it('simple strings, bulk strings, nulls and integers', async () => {
    expect(await redis.command('PING')).toBe('PONG');
    expect(await redis.command('SET', 'greeting', 'héllo')).toBe('OK');
    expect((await redis.command('GET', 'greeting'))?.toString()).toBe('héllo');
    expect(await redis.command('GET', 'missing')).toBe(null);
    expect(await redis.command('INCR', 'counter')).toBe(1);
    expect(await redis.command('INCRBY', 'counter', 41)).toBe(42);
    expect(await redis.command('INCRBY', 'big', '9007199254740993')).toBe(9007199254740993n);
    expect(await redis.command('DEL', 'greeting', 'counter', 'missing')).toBe(2);
  });

  it('bulk strings are binary-safe: every byte value, CRLF and NUL included, in keys and values', async () => {
    const value = Buffer.alloc(256 * 64);
    for (let i = 0; i < value.length; i++) value[i] = i % 256;
    const key = Buffer.from([0, 13, 10, 255, 0x24]);
    expect(await redis.command('SET', key, value)).toBe('OK');
    // Buffer.equals: vitest's deep equality walks big buffers element by element.
    expect(((await redis.command('GET', key)) as Buffer).equals(value)).toBe(true);
    expect(await redis.command('STRLEN', key)).toBe(value.length);
    const large = Buffer.alloc(5 * 1024 * 1024, '\r\n');
    await redis.command('SET', 'large', large);
    expect(((await redis.command('GET', 'large')) as Buffer).equals(large)).toBe(true);
  });

  it('arrays: LRANGE, MGET with nulls, a null array from BLPOP, nested arrays', async () => {
    expect(await redis.command('RPUSH', 'list', 'a', 'b', 'c')).toBe(3);
    expect((await redis.command('LRANGE', 'list', 0, -1)) as Buffer[]).toEqual(
      ['a', 'b', 'c'].map((s) => Buffer.from(s)),
    );
    await redis.command('SET', 'k1', 'v1');
    expect(await redis.command('MGET', 'k1', 'nope')).toEqual([Buffer.from('v1'), null]);
    expect(await redis.command('LRANGE', 'empty', 0, -1)).toEqual([]);
    expect(await redis.command('BLPOP', 'empty', '0.01')).toBe(null);
    await redis.command('HSET', 'h', 'f', 'v');
    // SCAN replies [cursor, [keys…]]: an array inside an array.
    const [cursor, keys] = (await redis.command('SCAN', 0, 'COUNT', 100)) as [Buffer, Buffer[]];
    expect(cursor.toString()).toBe('0');
    expect(keys.map(String).sort()).toEqual(['h', 'k1', 'list']);
  });

  it('error replies reject with RedisError and leave the connection usable', async () => {
    await expect(redis.command('NOSUCHCOMMAND')).rejects.toMatchObject({ name: 'RedisError', code: 'ERR' });
    await redis.command('SET', 's', 'text');
    const error = await redis.command('INCR', 's').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisError);
    expect((error as RedisError).message).toMatch(/not an integer/);
    await redis.command('RPUSH', 'l', 'x');
    await expect(redis.command('GET', 'l')).rejects.toMatchObject({ code: 'WRONGTYPE' });
    expect(await redis.command('PING')).toBe('PONG');
  });

  it('MULTI/EXEC: an error inside the EXEC array is a RedisError value, the rest succeed', async () => {
    await redis.command('SET', 'str', 'x');
    const [multi, q1, q2, q3, exec] = await redis.pipeline([
      ['MULTI'],
      ['INCR', 'n'],
      ['LPUSH', 'str', 'y'],
      ['INCR', 'n'],
      ['EXEC'],
    ]);
    expect([multi, q1, q2, q3]).toEqual(['OK', 'QUEUED', 'QUEUED', 'QUEUED']);
    const results = exec as unknown[];
    expect(results[0]).toBe(1);
    expect(results[1]).toBeInstanceOf(RedisError);
    expect((results[1] as RedisError).code).toBe('WRONGTYPE');
    expect(results[2]).toBe(2);
  });

  it('a connection the server kills rejects pending commands with StreamClosedError', async () => {
    const id = await redis.command('CLIENT', 'ID');
    const killer = await RedisClient.connect({ port: server.port });
    // Observed at once: it may reject while the KILL below is still awaited.
    const blocked = redis.command('BLPOP', 'never', 0).catch((error: unknown) => error); // waits until killed
    await killer.command('CLIENT', 'KILL', 'ID', id as number);
    expect(await blocked).toBeInstanceOf(StreamClosedError);
    await expect(redis.command('PING')).rejects.toBeInstanceOf(StreamClosedError);
    await killer.quit();
  });
});
