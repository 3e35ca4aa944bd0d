import { describe, expect, it } from 'vitest';
import { bytes, open } from './helpers/scripted-transport.js';

/** A read the buffer satisfies settles without asking the transport for anything. */
describe('reads are tried against the buffer first', () => {
  function filled() {
    // readChunkSize 4: with 64 bytes buffered core has no reason to read ahead.
    const ctx = open({ readChunkSize: 4 });
    ctx.t.push(bytes('line one\nline two\r\nxyz'.padEnd(64, '.')));
    return ctx;
  }

  it('every read mode settles from the buffer without calling readFromFd', async () => {
    const { stream, t } = filled();
    // Make any further read from the transport fail loudly.
    t.throwing.set('readFromFd', new Error('transport touched'));
    const before = t.readCalls;
    expect(await stream.readBytes(5)).toEqual(bytes('line '));
    expect(await stream.readUntil('\n')).toEqual(bytes('one\n'));
    expect(await stream.readUntilRegex(/\r\n/)).toEqual(bytes('line two\r\n'));
    const into = new Uint8Array(3);
    expect(await stream.readInto(into)).toBe(3);
    expect(Buffer.from(into)).toEqual(bytes('xyz'));
    expect(await stream.readBytes(10, { partial: true })).toEqual(bytes('..........'));
    expect(t.readCalls).toBe(before);
    expect(stream.closed()).toBe(false);
  });

  it('a read settled from the buffer resolves even while the transport holds more data', async () => {
    const { stream, t } = filled();
    t.push('more data the read must not wait for');
    expect(await stream.readUntil('\n')).toEqual(bytes('line one\n'));
  });
});
