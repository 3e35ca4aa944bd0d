// fromDuplex / DuplexTransport over plain Node streams: a PassThrough is a loopback
// (what the stream writes comes back to it), and small hand-made Duplexes stand in
// for streams that fail, get destroyed, or emit events at awkward moments.
import { Duplex, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DuplexTransport, fromDuplex, IOStream, StreamClosedError } from '../src/index.js';
import { rejection, tick as turn } from './helpers/scripted-transport.js';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await turn();
  expect(condition()).toBe(true);
}

describe('fromDuplex', () => {
  it('reads back what it wrote through a PassThrough, with every read mode', async () => {
    const stream = fromDuplex(new PassThrough());
    await stream.write(['HELLO 5\r\n', 'world', 'x=1;', 'tail']);
    expect((await stream.readUntil('\r\n', { maxBytes: 64 })).toString()).toBe('HELLO 5\r\n');
    expect((await stream.readBytes(5)).toString()).toBe('world');
    expect((await stream.readUntilRegex(/=\d;/)).toString()).toBe('x=1;');
    const into = Buffer.alloc(4);
    expect(await stream.readInto(into)).toBe(4);
    expect(into.toString()).toBe('tail');
    expect(stream.fileno()).toBe(-1);
    stream.close();
  });

  it('copies written bytes: the caller may reuse its buffer once the write resolved', async () => {
    const stream = fromDuplex(new PassThrough());
    const data = Buffer.from('abcdef');
    await stream.write(data);
    data.fill(0x7a);
    expect((await stream.readBytes(6)).toString()).toBe('abcdef');
    stream.close();
  });

  it('end() ends the duplex; over a loopback that is EOF, and readUntilClose gets the rest', async () => {
    const loop = new PassThrough();
    const stream = fromDuplex(loop);
    await stream.write('last words');
    await stream.end();
    expect(loop.writableFinished).toBe(true);
    expect((await stream.readUntilClose()).toString()).toBe('last words');
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(null);
  });

  it('holds the duplex back (paused) while no read is pending and a chunk is buffered', async () => {
    const loop = new PassThrough({ highWaterMark: 1024 });
    const stream = fromDuplex(loop, { readChunkSize: 4096, maxBufferSize: 64 * 1024 });
    const total = 1024 * 1024;
    const writing = stream.write(Array.from({ length: total / 1024 }, () => Buffer.alloc(1024, 'q')));
    await until(() => loop.isPaused() && loop.writableNeedDrain);
    // Flow control held the writer: far less than the megabyte is in the stream's buffer.
    expect(stream.readableLength).toBeLessThan(64 * 1024);
    let got = 0;
    while (got < total) got += (await stream.readBytes(Math.min(10_000, total - got))).length;
    await writing;
    expect(got).toBe(total);
    stream.close();
  });

  it("write backpressure: after the duplex's write() returned false, writes wait for 'drain'", async () => {
    const taken: Buffer[] = [];
    let release: (() => void) | null = null;
    const sink = new Duplex({
      highWaterMark: 16,
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        taken.push(chunk);
        release = callback; // hold every write until the test lets it go
      },
    });
    const stream = fromDuplex(sink);
    await stream.write(Buffer.alloc(100, 'w')); // taken, but write() returned false
    expect(sink.writableNeedDrain).toBe(true);
    let resolved = false;
    const second = stream.write('second').then(() => {
      resolved = true;
    });
    for (let i = 0; i < 5; i++) await turn();
    expect(resolved).toBe(false);
    expect(stream.writableLength).toBe(6);
    (release as unknown as () => void)();
    await second;
    expect(Buffer.concat(taken).toString()).toBe(`${'w'.repeat(100)}second`);
    stream.close();
  });

  it("an 'error' event closes the stream with that error as realError", async () => {
    const loop = new PassThrough();
    const stream = fromDuplex(loop);
    const pending = stream.readBytes(1);
    const boom = new Error('boom');
    loop.destroy(boom);
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).realError).toBe(boom);
    expect(stream.error).toBe(boom);
    expect(stream.closed()).toBe(true);
  });

  it('a duplex destroyed underneath the stream, without an error, is not passed off as a clean EOF', async () => {
    const loop = new PassThrough();
    const stream = fromDuplex(loop);
    const pending = stream.readUntil('\n');
    loop.destroy();
    const error = (await rejection(pending)) as StreamClosedError;
    expect(error.code).toBe('ERR_STREAM_CLOSED');
    expect((error.realError as { code?: string }).code).toBe('ERR_STREAM_PREMATURE_CLOSE');
  });

  it('close() destroys the duplex, and writes afterwards reject', async () => {
    const loop = new PassThrough();
    const stream = fromDuplex(loop);
    stream.close();
    expect(loop.destroyed).toBe(true);
    expect(await rejection(stream.write('x'))).toBeInstanceOf(StreamClosedError);
  });

  it('bytes the duplex buffered before it was wrapped are read first', async () => {
    const loop = new PassThrough();
    loop.write('early\n');
    const stream = fromDuplex(loop);
    await stream.write('late\n');
    expect((await stream.readUntil('\n')).toString()).toBe('early\n');
    expect((await stream.readUntil('\n')).toString()).toBe('late\n');
    stream.close();
  });

  it('string chunks (after setEncoding) become bytes again', async () => {
    const loop = new PassThrough();
    loop.setEncoding('latin1');
    const stream = fromDuplex(loop);
    await stream.write(Buffer.from([0xff, 0x00, 0xe9, 0x0a]));
    expect([...(await stream.readUntil('\n'))]).toEqual([0xff, 0x00, 0xe9, 0x0a]);
    stream.close();
  });

  it("a duplex that emits 'data' synchronously inside write() does not re-enter the stream", async () => {
    // An echo device: whatever is written is pushed back from inside _write.
    const echo = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        this.push(chunk);
        callback();
      },
    });
    echo.resume(); // flowing already, so push() emits 'data' at once
    const stream = fromDuplex(echo);
    for (let i = 0; i < 100; i++) {
      const [, line] = await Promise.all([stream.write(`line ${i}\n`), stream.readUntil('\n')]);
      expect(line.toString()).toBe(`line ${i}\n`);
    }
    stream.close();
  });

  it('refuses object-mode duplexes and non-streams with a TypeError', () => {
    expect(() => fromDuplex(new PassThrough({ objectMode: true }))).toThrow(TypeError);
    expect(() => fromDuplex({} as Duplex)).toThrow(TypeError);
  });

  it('bad stream options throw and leave the duplex untouched (no listeners)', () => {
    const loop = new PassThrough();
    expect(() => fromDuplex(loop, { maxBufferSize: -1 })).toThrow(RangeError);
    expect(loop.listenerCount('data')).toBe(0);
    expect(loop.listenerCount('error')).toBe(0);
  });

  it('DuplexTransport.release() gives the duplex back, with the bytes core has not pulled still in it', async () => {
    const loop = new PassThrough();
    const transport = new DuplexTransport(loop);
    const stream = new IOStream(transport);
    expect(transport.duplex).toBe(loop);
    stream.detach();
    loop.write('kept');
    await turn();
    transport.release();
    expect(loop.listenerCount('readable')).toBe(0);
    expect(loop.destroyed).toBe(false);
    expect(String(loop.read())).toBe('kept');
  });
});
