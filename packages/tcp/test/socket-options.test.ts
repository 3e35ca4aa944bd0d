import { describe, expect, it } from 'vitest';
import { CONNECT_OPTION_KEYS, LISTEN_OPTION_KEYS, pickSocketOptions, SOCKET_OPTION_KEYS } from '../src/index.js';

describe('pickSocketOptions', () => {
  it('forwards the socket options that are set, and nothing else', () => {
    const lookup = () => {};
    const picked = pickSocketOptions({
      family: 6,
      localAddress: '::1',
      noDelay: true,
      keepAlive: false,
      keepAliveInitialDelay: 1000,
      lookup,
      // Unset, and not socket options: stream options, where to connect, our own settings.
      ...({ localPort: undefined, host: 'example.org', port: 80, maxBufferSize: 10, timeout: 5 } as object),
    });
    expect(picked).toEqual({
      family: 6,
      localAddress: '::1',
      noDelay: true,
      keepAlive: false,
      keepAliveInitialDelay: 1000,
      lookup,
    });
    expect(Object.keys(pickSocketOptions({}))).toEqual([]);
  });

  it('lists exactly the keys it forwards', () => {
    const all = Object.fromEntries(SOCKET_OPTION_KEYS.map((k) => [k, 1]));
    expect(Object.keys(pickSocketOptions(all as never)).sort()).toEqual([...SOCKET_OPTION_KEYS].sort());
  });
});

describe('CONNECT_OPTION_KEYS and LISTEN_OPTION_KEYS', () => {
  it('name every connect and listen option that is not a stream option, once', () => {
    expect([...CONNECT_OPTION_KEYS].sort()).toEqual(
      ['host', 'port', 'path', 'signal', 'timeout', ...SOCKET_OPTION_KEYS].sort(),
    );
    expect([...LISTEN_OPTION_KEYS].sort()).toEqual(
      ['backlog', 'host', 'idleTimeout', 'ipv6Only', 'keepAlive', 'noDelay', 'onError', 'path', 'port'].sort(),
    );
    for (const keys of [CONNECT_OPTION_KEYS, LISTEN_OPTION_KEYS]) expect(new Set(keys).size).toBe(keys.length);
  });
});
