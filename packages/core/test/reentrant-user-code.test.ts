// User code that runs inside a read (onChunk) may close the stream or abort the read.
// Neither may call onChunk from inside itself, lose buffered bytes, or leave the read
// settled the wrong way. Chunks are 2000 bytes so the buffer keeps them apart (small
// ones are coalesced) and onChunk sees several pieces.
import { describe, expect, it } from 'vitest';
import { AbortError, StreamClosedError } from '../src/index.js';
import { open } from './helpers/scripted-transport.js';

const big = (c: string) => c.repeat(2000);

describe('user code inside onChunk', () => {
  it('close() from onChunk (readBytes) does not re-enter onChunk and rejects the read', async () => {
    const { stream, t } = open();
    t.push(big('a'), big('b'), big('c'));
    let depth = 0;
    let maxDepth = 0;
    const seen: string[] = [];
    const read = stream.readBytes(10_000, {
      onChunk: (chunk) => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        seen.push(chunk.toString());
        if (seen.length === 1) stream.close();
        depth--;
      },
    });
    await expect(read).rejects.toBeInstanceOf(StreamClosedError);
    expect(maxDepth).toBe(1);
    expect(stream.closed()).toBe(true);
  });

  it('close() from onChunk (readUntilClose) streams what is buffered, once each, then resolves', async () => {
    const { stream, t } = open();
    t.push(big('1'), big('2'), big('3'));
    let depth = 0;
    let maxDepth = 0;
    const seen: string[] = [];
    const read = stream.readUntilClose({
      onChunk: (chunk) => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        seen.push(chunk.toString());
        if (seen.length === 1) stream.close();
        depth--;
      },
    });
    expect((await read).length).toBe(0);
    expect(maxDepth).toBe(1);
    expect(seen.join('')).toBe(big('1') + big('2') + big('3'));
  });

  it('aborting from onChunk stops the stream of chunks and keeps the rest buffered', async () => {
    const { stream, t } = open();
    t.push(big('1'), big('2'), big('3'));
    const controller = new AbortController();
    const seen: string[] = [];
    const read = stream.readBytes(10_000, {
      signal: controller.signal,
      onChunk: (chunk) => {
        seen.push(chunk.toString());
        controller.abort();
      },
    });
    await expect(read).rejects.toBeInstanceOf(AbortError);
    expect(seen.length).toBe(1);
    const rest = stream.tryReadBytes(stream.readableLength);
    expect(seen.join('') + rest?.toString()).toBe(big('1') + big('2') + big('3'));
    expect(stream.closed()).toBe(false);
  });
});

describe('EOF that carries an error', () => {
  it('closes a half-open stream with the error instead of half-closing', async () => {
    const { stream, t } = open({ allowHalfOpen: true });
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    t.fdError = reset;
    const read = stream.readBytes(1);
    t.pushEof();
    const error = await read.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).realError).toBe(reset);
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(reset);
  });
});

describe('sizes of the wrong type', () => {
  it('a BigInt size is a TypeError from the argument check, on every path', () => {
    const { stream, t } = open();
    t.push('0123456789');
    expect(() => stream.tryReadBytes(4n as never)).toThrow(TypeError);
    expect(() => stream.readBytes(4n as never)).toThrow(/must be a number/);
    expect(() => stream.tryReadBytes(4n as never)).toThrow(/must be a number/);
    expect(stream.readableLength).toBe(10);
  });
});
