// @iostream/tcp on whatever runtime runs this (Node, Bun, Deno; scripts/runtimes.sh runs it
// on each): which receive path each stream took, and that bytes arrive intact and a reader
// that stops reading holds the sender back, on that path.
//
// Streams from connect() read through net.connect's `onread` option into slabs. Streams from
// listen() do too where the runtime keeps `onread` in the private slots Node uses and the
// accepted socket's handle has `useUserBuffer`; elsewhere they must fall back to 'data'
// events. Bun has neither (checked here, not assumed), so there the fallback is what runs.
//
//   <runtime> scripts/runtime-check.mjs [--accepted=slabs|data]
//
// --accepted pins the path listen() streams must take on this runtime. Uses the built
// packages (pnpm build first). Exits 0 when everything held, 1 naming what did not.
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { connect, listen } from '../packages/tcp/dist/index.js';

const UP = 1 << 20; // client → server
const DOWN = 32 << 20; // server → client: more than loopback's kernel buffers hold
const READ_AHEAD = 64 * 1024;
const TIME_LIMIT_MS = 20_000;

const versions = process.versions;
const runtime = versions.bun
  ? `Bun ${versions.bun}`
  : versions.deno
    ? `Deno ${versions.deno}`
    : `Node ${process.version}`;
const pinned = process.argv.find((a) => a.startsWith('--accepted='))?.slice('--accepted='.length);
if (pinned !== undefined && pinned !== 'slabs' && pinned !== 'data') fail(`--accepted must be slabs or data`);

let step = 'start-up';
const watchdog = setTimeout(
  () => fail(`step "${step}" did not finish within ${TIME_LIMIT_MS / 1000} s`),
  TIME_LIMIT_MS,
);

function fail(message) {
  console.error(`runtime check failed on ${runtime}: ${message}`);
  process.exit(1);
}

function check(ok, message) {
  if (!ok) fail(message);
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** What the runtime offers, found with plain node:net (as our code looks for it, not through it). */
async function capabilities() {
  const probe = new net.Socket({ onread: { buffer: () => Buffer.alloc(1), callback: () => true } });
  const names = Object.getOwnPropertySymbols(probe).map((s) => s.description);
  const slots = ['kBuffer', 'kBufferCb', 'kBufferGen'].every((name) => names.includes(name));
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = net.connect(server.address().port, '127.0.0.1');
  const accepted = await new Promise((resolve) => server.once('connection', resolve));
  const userBuffer = typeof accepted._handle?.useUserBuffer === 'function';
  accepted.destroy();
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
  return { slots, userBuffer };
}

/** How a stream from @iostream/tcp receives: its transport listens for 'data' only on the fallback path. */
const receivePath = (stream) => (stream.getTransport().socket.listenerCount('data') > 0 ? 'data' : 'slabs');
const describe = (path) => (path === 'slabs' ? 'onread slabs' : "'data' events");

console.log(`runtime check on ${runtime} (${process.platform} ${process.arch})`);
step = 'capabilities';
const caps = await capabilities();
const expected = caps.slots && caps.userBuffer ? 'slabs' : 'data';
console.log(
  `  onread slots: ${caps.slots ? 'yes' : 'no'}; accepted handle's useUserBuffer: ${caps.userBuffer ? 'yes' : 'no'}`,
);
check(
  pinned === undefined || pinned === expected,
  `expected listen() streams on ${pinned}, but this runtime offers ${expected}`,
);

const up = randomBytes(UP);
const down = randomBytes(DOWN);
let acceptedPath = null;
let upHash = null;
let downSent = false;
let serverError = null;
step = 'listen';
const server = await listen(
  { host: '127.0.0.1', port: 0, onError: (error) => (serverError = error) },
  async (stream) => {
    acceptedPath = receivePath(stream);
    upHash = sha256(await stream.readBytes(UP));
    await stream.write(down);
    downSent = true;
    await stream.end();
  },
);
try {
  step = 'connect';
  const client = await connect({ host: '127.0.0.1', port: server.address().port, readChunkSize: READ_AHEAD });
  const clientPath = receivePath(client);
  step = `${UP >> 20} MiB client → server`;
  let t = performance.now();
  await client.write(up);
  while (upHash === null) await new Promise((resolve) => setTimeout(resolve, 5));
  console.log(
    `  connect() stream reads through ${describe(clientPath)}; listen() stream through ${describe(acceptedPath)}`,
  );
  check(clientPath === 'slabs', 'connect() streams should read through onread');
  check(acceptedPath === expected, `listen() streams should read through ${describe(expected)} here`);
  check(upHash === sha256(up), 'the server received other bytes than the client sent');
  console.log(`  ${step}: sha256 matches (${(performance.now() - t).toFixed(1)} ms)`);

  step = `${DOWN >> 20} MiB server → client`;
  t = performance.now();
  // The client reads nothing for a while: its stream stops reading after one chunk, so TCP
  // flow control holds the server's write back. A runtime that ignored pause() would let
  // every byte in (the write would finish) and buffer it out of sight.
  await new Promise((resolve) => setTimeout(resolve, 300));
  check(
    !downSent,
    `the server's ${DOWN >> 20} MiB write finished while the client read nothing: reading did not pause`,
  );
  check(
    client.readableLength <= 2 * READ_AHEAD,
    `the client buffered ${client.readableLength} bytes while not reading`,
  );
  const hash = createHash('sha256');
  let got = 0;
  while (got < DOWN) {
    const chunk = await client.readBytes(Math.min(1 << 20, DOWN - got));
    hash.update(chunk);
    got += chunk.length;
  }
  check(hash.digest('hex') === sha256(down), 'the client received other bytes than the server sent');
  check((await client.readUntilClose()).length === 0, 'bytes after the end');
  console.log(
    `  ${step}: held back while the client did not read, then sha256 matches (${(performance.now() - t).toFixed(1)} ms)`,
  );
  client.close();
} finally {
  await server.close({ closeStreams: true });
}
check(serverError === null, `the server reported ${serverError}`);
clearTimeout(watchdog);
console.log(`runtime check ok on ${runtime}`);
