import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromChildProcess, openPipe } from '../src/index.js';
import { makeFifo, openFifoFds } from './helpers/fifo.js';
import { expectNoLeaks } from './helpers/leaks.js';
import { tempFile } from './helpers/temp-file.js';

/**
 * openPipe validates its arguments before touching the descriptor: a bad fd,
 * direction or stream option throws at once and leaves the fd open and the
 * caller's; a good one is owned by the stream, reported by fileno() and closed
 * with it.
 */
describe('openPipe arguments and fd ownership', () => {
  expectNoLeaks();

  it('rejects bad descriptors and directions with TypeError/RangeError', () => {
    expect(() => openPipe(-1)).toThrow(RangeError);
    expect(() => openPipe(1.5)).toThrow(RangeError);
    expect(() => openPipe('3' as unknown as number)).toThrow(TypeError);
    expect(() => openPipe(0, { direction: 'sideways' as never })).toThrow(TypeError);
  });

  it('a bad stream option throws and leaves the fd open', () => {
    const fifo = makeFifo();
    const { readFd, writeFd } = openFifoFds(fifo.path);
    try {
      expect(() => openPipe(readFd, { maxBufferSize: -1 })).toThrow(RangeError);
      expect(() => openPipe(writeFd, { direction: 'write', readChunkSize: 0 })).toThrow(RangeError);
      expect(fstatSync(readFd).isFIFO()).toBe(true);
      expect(fstatSync(writeFd).isFIFO()).toBe(true);
    } finally {
      closeSync(readFd);
      closeSync(writeFd);
      fifo.remove();
    }
  });

  it('a regular file is refused with ERR_INVALID_FD_TYPE and left open', () => {
    const file = tempFile(Buffer.from('not a pipe'));
    const fd = openSync(file.path, 'r');
    try {
      expect(() => openPipe(fd)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_FD_TYPE' }));
      expect(fstatSync(fd).isFile()).toBe(true);
    } finally {
      closeSync(fd);
      file.remove();
    }
  });

  it('fileno() reports the descriptor, -1 once closed; closing the stream closes it', async () => {
    const fifo = makeFifo();
    const { readFd, writeFd } = openFifoFds(fifo.path);
    try {
      const b = openPipe(readFd);
      const a = openPipe(writeFd, { direction: 'write' });
      expect(b.fileno()).toBe(readFd);
      expect(a.fileno()).toBe(writeFd);
      const eof = b.readUntilClose();
      a.close();
      expect(await eof).toHaveLength(0);
      expect(b.closed()).toBe(true);
      // Closed descriptors are not reported (the number may already belong to another file).
      expect(a.fileno()).toBe(-1);
      expect(b.fileno()).toBe(-1);
    } finally {
      fifo.remove();
    }
  });

  it('fromChildProcess leaves out stdio that is not piped', async () => {
    const child = spawn('sh', ['-c', 'echo hi'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = once(child, 'close');
    const streams = fromChildProcess(child);
    expect(Object.keys(streams)).toEqual(['stdout']);
    expect((await streams.stdout!.readUntilClose()).toString()).toBe('hi\n');
    await exited;
  });
});
