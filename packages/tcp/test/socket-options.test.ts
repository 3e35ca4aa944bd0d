import { describe, expect, it } from 'vitest';
import { pickSocketOptions, SOCKET_OPTION_KEYS } from '../src/index.js';

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
