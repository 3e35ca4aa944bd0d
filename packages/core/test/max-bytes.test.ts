import { describe, expect, it } from 'vitest';
import { type IOStream, UnsatisfiableReadError } from '../src/index.js';
import { expectIOError } from './helpers/assert.js';
import { bytes, open, state } from './helpers/scripted-transport.js';

type Reader = (s: IOStream, maxBytes: number) => Promise<Buffer>;
const modes: [string, Reader][] = [
  ['readUntil (1-byte delimiter)', (s, maxBytes) => s.readUntil(';', { maxBytes })],
  ['readUntil (multi-byte delimiter)', (s, maxBytes) => s.readUntil(bytes('\r\n'), { maxBytes })],
  ['readUntilRegex', (s, maxBytes) => s.readUntilRegex(/\r?\n|;/, { maxBytes })],
];

/** Fails unless, when the rejection is observed, the stream is already closed with the error set. */
async function expectUnsatisfiable(stream: IOStream, p: Promise<unknown>) {
  let error: unknown;
  let closedWhenObserved = false;
  let errorWhenObserved: unknown = null;
  await p.then(
    () => {},
    (e: unknown) => {
      error = e;
      closedWhenObserved = stream.closed();
      errorWhenObserved = stream.error;
    },
  );
  expectIOError(error, UnsatisfiableReadError, 'ERR_UNSATISFIABLE_READ');
  expect(closedWhenObserved).toBe(true);
  expect(errorWhenObserved).toBe(error);
}

describe.each(modes)('maxBytes: %s', (_name, read) => {
  const term = (name: string) => (name.includes('multi') ? '\r\n' : ';');

  it('succeeds when the delimiter ends exactly at maxBytes', async () => {
    const { stream, t } = open();
    const d = term(_name);
    t.push(`abcd${d}more`);
    expect(await read(stream, 4 + d.length)).toEqual(bytes(`abcd${d}`));
    expect(stream.closed()).toBe(false);
  });

  it('fails and closes when the delimiter is already buffered but ends past maxBytes (inline)', async () => {
    const { stream, t } = open();
    const d = term(_name);
    t.push(`abcde${d}`);
    await expectUnsatisfiable(stream, read(stream, 5));
  });

  it('fails and closes when the delimiter arrives later and ends past maxBytes', async () => {
    const { stream, t } = open();
    const d = term(_name);
    const p = read(stream, 5);
    t.push('abc');
    t.push(`de${d}extra`);
    await expectUnsatisfiable(stream, p);
  });

  it('keeps waiting with exactly maxBytes buffered and no match, fails one byte later', async () => {
    const { stream, t } = open();
    const p = read(stream, 6);
    t.push('abc', 'def');
    expect(await state(p)).toBe('pending');
    expect(stream.closed()).toBe(false);
    t.push('g');
    await expectUnsatisfiable(stream, p);
  });

  it('fails at once when more than maxBytes are buffered without a match', async () => {
    const { stream, t } = open();
    t.push('abcdefghij');
    await expectUnsatisfiable(stream, read(stream, 4));
  });
});
