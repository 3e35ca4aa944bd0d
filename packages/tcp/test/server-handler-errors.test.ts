// An exception or rejection from onStream closes that stream and goes to onError
// (or to process.emitWarning by default); the process goes on. A StreamClosedError
// is how a read loop ends when the peer leaves, and is not reported.

import { type IOStream, StreamClosedError } from '@iostream/core';
import { afterEach, expect, it } from 'vitest';
import { connect, createConnection, listen, type TcpServer } from '../src/index.js';
import { waitFor } from './helpers.js';

class HandlerFailure extends Error {
  override name = 'HandlerFailure';
}

let server: TcpServer | null = null;
afterEach(async () => {
  await server?.close({ closeStreams: true });
  server = null;
});

function reported(): {
  errors: [Error, IOStream | null][];
  next: Promise<void>;
  onError: (e: Error, s: IOStream | null) => void;
} {
  let wake!: () => void;
  const out = {
    errors: [] as [Error, IOStream | null][],
    next: new Promise<void>((resolve) => {
      wake = resolve;
    }),
    onError: (e: Error, s: IOStream | null) => {
      out.errors.push([e, s]);
      wake();
    },
  };
  return out;
}

it.each([
  [
    'throws',
    () => {
      throw new HandlerFailure();
    },
  ],
  [
    'rejects',
    async () => {
      throw new HandlerFailure();
    },
  ],
])('a handler that %s closes its stream and reports the error', async (_how, handler) => {
  const r = reported();
  server = await listen({ host: '127.0.0.1', port: 0, onError: r.onError }, handler);
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  await r.next;
  expect(r.errors).toHaveLength(1);
  const [error, stream] = r.errors[0] ?? [];
  expect(error).toBeInstanceOf(HandlerFailure);
  expect(stream?.closed()).toBe(true);
  expect(stream?.error).toBe(error);
  // The client sees the connection end.
  expect((await client.readUntilClose()).length).toBe(0);
});

it('a handler that throws a value that is not an Error is reported as an Error with the value as its cause', async () => {
  const r = reported();
  server = await listen({ host: '127.0.0.1', port: 0, onError: r.onError }, () => {
    throw 'not an error';
  });
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  await r.next;
  const [error, stream] = r.errors[0] ?? [];
  expect(error).toBeInstanceOf(Error);
  expect(error?.cause).toBe('not an error');
  expect(stream?.error).toBe(error);
  client.close();
});

it('without onError, the failure becomes a process warning', async () => {
  const warning = new Promise<Error>((resolve) => process.once('warning', resolve));
  server = await listen({ host: '127.0.0.1', port: 0 }, () => {
    throw new HandlerFailure();
  });
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  expect(await warning).toBeInstanceOf(HandlerFailure);
  client.close();
});

it('a handler ending with StreamClosedError (peer gone) is not reported', async () => {
  const r = reported();
  let handlerDone!: (e: unknown) => void;
  const done = new Promise((resolve) => {
    handlerDone = resolve;
  });
  server = await listen({ host: '127.0.0.1', port: 0, onError: r.onError }, async (s) => {
    try {
      await s.readUntil('\n');
    } catch (e) {
      handlerDone(e);
      throw e;
    }
  });
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  client.close();
  expect(await done).toBeInstanceOf(StreamClosedError);
  await new Promise((resolve) => setImmediate(resolve));
  expect(r.errors).toEqual([]);
});

it("a handler rejecting with another stream's StreamClosedError closes its own stream, unreported", async () => {
  // A proxy whose upstream is refused: its write to the upstream rejects with the upstream's
  // StreamClosedError (realError ECONNREFUSED) while the accepted stream is still open.
  const refused = await listen({ host: '127.0.0.1', port: 0 }, () => {});
  const refusedPort = refused.address().port;
  await refused.close();
  const r = reported();
  let upstreamError: unknown = null;
  server = await listen({ host: '127.0.0.1', port: 0, onError: r.onError }, async (s) => {
    await s.readUntil('\n');
    const upstream = createConnection({ host: '127.0.0.1', port: refusedPort }).stream;
    try {
      await upstream.write('forwarded\n');
    } catch (e) {
      upstreamError = e;
      throw e;
    }
  });
  const client = await connect({ host: '127.0.0.1', port: server.address().port });
  await client.write('hello\n');
  // The accepted stream closes: the client sees the connection end, and the server counts none.
  expect((await client.readUntilClose()).length).toBe(0);
  expect(upstreamError).toBeInstanceOf(StreamClosedError);
  expect((upstreamError as StreamClosedError).realError).toMatchObject({ code: 'ECONNREFUSED' });
  await waitFor(() => server?.connections === 0, 'the server counts no connection');
  expect(r.errors).toEqual([]);
});
