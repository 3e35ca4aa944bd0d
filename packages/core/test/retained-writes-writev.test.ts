// RetainedWrites.writev corks the socket around a write per chunk, so Node hands them to its
// handle's writev together; released() accounting stays exact in both modes.
import { describe, expect, it } from 'vitest';
import { type CallbackWritable, RetainedWrites } from '../src/index.js';
import { socketPair } from './helpers/socket-pair.js';

type Handle = Record<string, (...args: unknown[]) => unknown>;

/**
 * Count the calls on a socket's libuv handle by method: `writev`, `writeBuffer`, `write*String`.
 * (@iostream/testkit's countHandleWrites, which core's tests cannot import: testkit depends on core.)
 */
function countHandleWrites(socket: object): Map<string, number> {
  const handle = (socket as { _handle: Handle })._handle;
  const counts = new Map<string, number>();
  for (const name of ['writev', 'writeBuffer', 'writeLatin1String', 'writeUtf8String', 'writeAsciiString']) {
    const original = handle[name];
    if (typeof original !== 'function') continue;
    handle[name] = function (this: unknown, ...args: unknown[]) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  return counts;
}

describe('RetainedWrites.writev over a real socket', () => {
  it('direct: one handle writev for the batch, released whole before writev() returns', async () => {
    const pair = await socketPair();
    try {
      const counts = countHandleWrites(pair.client);
      const released: number[] = [];
      const writes = new RetainedWrites(pair.client, (n) => released.push(n), { direct: true });
      expect(writes.writev([Buffer.alloc(200, 1), Buffer.alloc(1024, 2), Buffer.from('!')])).toBe(1225);
      expect(Object.fromEntries(counts)).toEqual({ writev: 1 });
      expect(released).toEqual([1225]);
    } finally {
      await pair.dispose();
    }
  });

  it("with callbacks: one handle writev, each chunk's length released from its callback", async () => {
    const pair = await socketPair();
    try {
      const counts = countHandleWrites(pair.client);
      const released: number[] = [];
      const writes = new RetainedWrites(pair.client, (n) => released.push(n));
      expect(writes.writev([Buffer.alloc(3), Buffer.alloc(5)])).toBe(8);
      expect(Object.fromEntries(counts)).toEqual({ writev: 1 });
      expect(released).toEqual([]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(released).toEqual([3, 5]);
    } finally {
      await pair.dispose();
    }
  });
});

describe('RetainedWrites.writev on a scripted socket', () => {
  function corkable(fullAfter: number) {
    const log: string[] = [];
    let writes = 0;
    const socket: CallbackWritable = {
      writableLength: 1, // never idle: no direct writes
      write(data: Uint8Array) {
        log.push(`write ${data.length}`);
        return ++writes < fullAfter;
      },
      cork: () => void log.push('cork'),
      uncork: () => void log.push('uncork'),
    };
    return { socket, log };
  }

  it('takes every chunk past the high-water mark, then nothing more until drained()', () => {
    const { socket, log } = corkable(2);
    const writes = new RetainedWrites(socket, () => {}, { direct: true });
    expect(writes.writev([Buffer.alloc(1), Buffer.alloc(2), Buffer.alloc(4)])).toBe(7);
    expect(log).toEqual(['cork', 'write 1', 'write 2', 'write 4', 'uncork']);
    expect(writes.blocked).toBe(true);
    expect(writes.writev([Buffer.alloc(1), Buffer.alloc(1)])).toBe(0);
    writes.drained();
    expect(writes.writev([Buffer.alloc(1), Buffer.alloc(1)])).toBe(2);
  });

  it('without cork() it writes chunk by chunk', () => {
    const written: number[] = [];
    const socket: CallbackWritable = {
      write(data: Uint8Array) {
        written.push(data.length);
        return true;
      },
    };
    const writes = new RetainedWrites(socket, () => {});
    expect(writes.writev([Buffer.alloc(1), Buffer.alloc(2)])).toBe(3);
    expect(written).toEqual([1, 2]);
  });

  it('uncorks even when a write throws', () => {
    const { socket, log } = corkable(10);
    socket.write = () => {
      throw new Error('bad chunk');
    };
    const writes = new RetainedWrites(socket, () => {});
    expect(() => writes.writev([Buffer.alloc(1), Buffer.alloc(1)])).toThrow('bad chunk');
    expect(log).toEqual(['cork', 'uncork']);
  });
});
