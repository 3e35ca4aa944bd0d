import { describe, expect, it } from 'vitest';
import { open } from './helpers/scripted-transport.js';

describe('fileno, setNoDelay, getTransport', () => {
  it('fileno() is the transport descriptor', () => {
    expect(open({}, { fd: 7 }).stream.fileno()).toBe(7);
    expect(open().stream.fileno()).toBe(-1);
  });

  it('setNoDelay forwards to the transport, defaults to true, and is a no-op when closed or absent', () => {
    const { stream, t } = open();
    stream.setNoDelay();
    stream.setNoDelay(false);
    stream.close();
    stream.setNoDelay(true);
    expect(t.log.filter((l) => l.startsWith('noDelay'))).toEqual(['noDelay:true', 'noDelay:false']);
    const without = open({}, { noDelay: false });
    expect(() => without.stream.setNoDelay(true)).not.toThrow();
  });

  it('getTransport() returns the transport, which core watched exactly once', () => {
    const { stream, t } = open();
    expect(stream.getTransport()).toBe(t);
    expect(t.watchCalls).toBe(1);
  });
});
