// Calls made from inside the stream's own callbacks, over real loopback sockets: close()
// from inside onChunk and from inside the close callback, a read started from inside
// another read's continuation, and reads attempted from inside onChunk while that read is
// still pending. None may throw out of the stream, run a callback twice, or lose bytes.
import type net from 'node:net';
import { AlreadyReadingError, type IOStream, StreamClosedError } from '@iostream/core';
import { expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { turn, useRawServer, waitFor } from './helpers.js';

const server = useRawServer();

async function pair(): Promise<{ stream: IOStream; peer: net.Socket }> {
  const stream = await connect({ host: '127.0.0.1', port: server.port, readChunkSize: 4096 });
  return { stream, peer: await server.accepted() };
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await turn();
}

it('close() from inside onChunk: the read rejects cleanly, nothing throws, the callback runs once', async () => {
  const { stream, peer } = await pair();
  let closeRuns = 0;
  stream.setCloseCallback(() => closeRuns++);
  const seen: Buffer[] = [];
  let got = 0;
  const read = stream
    .readBytes(1 << 20, {
      onChunk: (chunk) => {
        seen.push(Buffer.from(chunk));
        got += chunk.length;
        if (got >= 10_000 && !stream.closed()) stream.close();
      },
    })
    .catch((e: unknown) => e);
  const sent = Buffer.alloc(200_000);
  for (let i = 0; i < sent.length; i++) sent[i] = i % 253;
  peer.write(sent);
  const error = await read;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).realError).toBeNull();
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBeNull();
  // What onChunk was given is the start of what was sent, in order, nothing invented.
  const given = Buffer.concat(seen);
  expect(given.length).toBeGreaterThanOrEqual(10_000);
  expect(given.equals(sent.subarray(0, given.length))).toBe(true);
  await waitFor(() => closeRuns > 0, 'the close callback ran');
  await turns(10);
  expect(closeRuns).toBe(1);
});

it('close(error) from inside readUntilClose onChunk: resolves, stream.error is that error', async () => {
  const { stream, peer } = await pair();
  const stop = new Error('enough');
  let got = 0;
  const done = stream.readUntilClose({
    onChunk: (chunk) => {
      got += chunk.length;
      if (got >= 1000) stream.close(stop);
    },
  });
  peer.write(Buffer.alloc(50_000, 0x64));
  expect(await done).toHaveLength(0);
  expect(stream.error).toBe(stop);
  expect(got).toBeGreaterThanOrEqual(1000);
});

it('close() from inside the close callback is a no-op; a callback set there runs once', async () => {
  const { stream, peer } = await pair();
  const first = new Error('first');
  const runs: string[] = [];
  stream.setCloseCallback(() => {
    runs.push('cb1');
    stream.close();
    stream.close(new Error('second'));
    stream.setCloseCallback(() => {
      runs.push('cb2');
      stream.close(new Error('third'));
    });
  });
  peer.write('x');
  stream.close(first);
  await waitFor(() => runs.length >= 2, 'both callbacks ran');
  await turns(10);
  expect(runs).toEqual(['cb1', 'cb2']);
  expect(stream.error).toBe(first);
});

it('a read started inside another read’s continuation gets the next bytes, in order', async () => {
  const { stream, peer } = await pair();
  const results: string[] = [];
  const chain = new Promise<void>((resolve, reject) => {
    stream.readUntil('\n').then((one) => {
      results.push(one.toString());
      // Inside the continuation: the first read has finished, so this one starts at once.
      stream.readUntil('\n').then((two) => {
        results.push(two.toString());
        stream.readBytes(5).then((rest) => {
          results.push(rest.toString());
          resolve();
        }, reject);
      }, reject);
    }, reject);
  });
  peer.write('line 1\nline 2\n');
  await waitFor(() => results.length === 2, 'the two lines were read');
  peer.write('tail!');
  await chain;
  expect(results).toEqual(['line 1\n', 'line 2\n', 'tail!']);
  stream.close();
});

it('reads attempted from inside onChunk are refused (ERR_ALREADY_READING); the pending read is untouched', async () => {
  const { stream, peer } = await pair();
  const refused: unknown[] = [];
  const seen: Buffer[] = [];
  const read = stream.readBytes(3000, {
    onChunk: (chunk) => {
      seen.push(Buffer.from(chunk));
      if (refused.length === 0) {
        try {
          stream.tryReadBytes(1);
        } catch (error) {
          refused.push(error);
        }
        stream.readUntil('\n').catch((error: unknown) => refused.push(error));
      }
    },
  });
  const sent = Buffer.alloc(3000);
  for (let i = 0; i < sent.length; i++) sent[i] = i % 251;
  peer.write(sent);
  await read;
  await turn();
  expect(refused).toHaveLength(2);
  for (const e of refused) {
    expect(e).toBeInstanceOf(AlreadyReadingError);
    expect(e).toMatchObject({ code: 'ERR_ALREADY_READING' });
  }
  expect(Buffer.concat(seen).equals(sent)).toBe(true);
  expect(stream.closed()).toBe(false);
  stream.close();
});

it('a read started from inside the close callback still gets the buffered bytes', async () => {
  const { stream, peer } = await pair();
  const late = new Promise<Buffer>((resolve, reject) =>
    stream.setCloseCallback(() => {
      stream.readBytes(4).then(resolve, reject);
    }),
  );
  peer.write('abcdEFGH');
  expect((await stream.readBytes(4)).toString()).toBe('abcd');
  await waitFor(() => stream.readableLength === 4, 'the rest was buffered');
  peer.resetAndDestroy();
  expect((await late).toString()).toBe('EFGH');
  expect(stream.error).toMatchObject({ code: 'ECONNRESET' });
  const after = await stream.readBytes(1).catch((e: unknown) => e);
  expect(after).toBeInstanceOf(StreamClosedError);
});
