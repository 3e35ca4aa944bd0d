// Receive-path measurement for @iostream/tcp: which way of pulling bytes out of a
// net.Socket feeds an IOStream fastest, compared with raw 'data' handling.
//
//   node bench/receive-path.mjs [MiB per run, default 512] [runs, default 3]
//
// A child process sends the bytes over loopback (64 KiB writes, honouring 'drain')
// so sender and receiver do not share one thread. Each variant reads them all; the
// IOStream variants consume with readBytes(65536, { partial: true }) and with
// readUntil over 100-byte lines. Numbers are MiB/s (median of the runs) and the
// ratio to raw 'data' events. Build core first (tsc -b) and, for the last row, tcp.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { EOF, IOStream } from '@iostream/core';

const MIB = 1024 * 1024;
const total = Number(process.argv[2] ?? 512) * MIB;
const runs = Number(process.argv[3] ?? 3);

// ---- the sender -------------------------------------------------------------

/** Child source shared by both senders: `send(socket)` writes `total` bytes of 64 KiB chunks, then ends. */
const sendSource = `
const net = require('node:net');
const chunk = Buffer.alloc(65536, 120);
if (mode === 'lines') for (let i = 99; i < chunk.length; i += 100) chunk[i] = 10;
function send(s) {
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void s.once('drain', pump);
    }
    s.end();
  };
  pump();
  s.on('error', () => {});
}
`;

const senderSource = `
const [port, total, mode] = process.argv.slice(1).map((v, i) => (i < 2 ? Number(v) : v));
${sendSource}
const s = net.connect(port, '127.0.0.1', () => send(s));
`;

/** Time `receive(socket)` (it resolves with the byte count), then check the count; MiB/s. */
async function timed(socket, child, receive) {
  const t0 = process.hrtime.bigint();
  const bytes = await receive(socket);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  socket.destroy();
  await new Promise((r) => child.once('exit', r));
  if (bytes !== total) throw new Error(`received ${bytes}, expected ${total}`);
  return (total / MIB / ms) * 1000;
}

/** Accept one connection from a child sender and time `receive` on it. */
async function withSender(mode, receive) {
  const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const accepted = new Promise((r) => server.once('connection', r));
  const child = spawn(process.execPath, ['-e', senderSource, String(port), String(total), mode], { stdio: 'inherit' });
  const socket = await accepted;
  server.close();
  return timed(socket, child, receive);
}

// ---- raw baseline -----------------------------------------------------------

function rawData(socket) {
  return new Promise((resolve) => {
    let n = 0;
    socket.on('data', (c) => {
      n += c.length;
    });
    socket.on('end', () => resolve(n));
    socket.resume();
  });
}

function rawLines(socket) {
  // A hand-written indexOf splitter, the fair raw counterpart of readUntil('\n').
  return new Promise((resolve) => {
    // Each line is a view of its chunk; only a line that began in an earlier chunk is joined
    // (one line's worth, not the whole chunk).
    let n = 0;
    let rest = null;
    socket.on('data', (c) => {
      let start = 0;
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, start)) {
        const line = rest === null ? c.subarray(start, i + 1) : Buffer.concat([rest, c.subarray(0, i + 1)]);
        rest = null;
        n += line.length;
        start = i + 1;
      }
      if (start < c.length) rest = rest === null ? c.subarray(start) : Buffer.concat([rest, c.subarray(start)]);
    });
    socket.on('end', () => resolve(n + (rest?.length ?? 0)));
    socket.resume();
  });
}

// ---- three receive mechanisms, as minimal FdTransports --------------------------

class Base {
  constructor(socket) {
    this.socket = socket;
    this.events = null;
    this.eof = false;
    socket.on('end', () => {
      this.eof = true;
      this.events?.readable();
    });
    socket.on('error', (e) => this.events?.error(e));
  }
  fileno() {
    return -1;
  }
  writeToFd(d) {
    return d.length;
  }
  closeFd() {
    this.socket.destroy();
  }
  getFdError() {
    return null;
  }
  watch(events) {
    this.events = events;
  }
}

/** 'data' events with pause()/resume(): a one-chunk stash between the event and readFromFd. */
class DataEvents extends Base {
  constructor(socket) {
    super(socket);
    this.stash = [];
    socket.pause();
    socket.on('data', (c) => {
      this.stash.push(c);
      this.events?.readable();
    });
  }
  readFromFd() {
    if (this.stash.length > 0) return this.stash.shift();
    return this.eof ? EOF : null;
  }
  setReadInterest(on) {
    if (on) this.socket.resume();
    else this.socket.pause();
  }
}

/** Paused mode: 'readable' events and socket.read(). */
class PausedRead extends Base {
  constructor(socket) {
    super(socket);
    this.interest = false;
    socket.on('readable', () => {
      if (this.interest) this.events?.readable();
    });
  }
  readFromFd() {
    const c = this.socket.read();
    if (c !== null) return c;
    return this.eof ? EOF : null;
  }
  setReadInterest(on) {
    this.interest = on;
  }
}

/** The `onread` option (client sockets): one reused buffer, so each chunk is copied out. */
class OnRead extends Base {
  constructor(socket, holder) {
    super(socket);
    this.stash = [];
    holder.target = this;
  }
  static options(holder, fresh) {
    const size = 65536;
    return {
      onread: {
        buffer: fresh ? () => Buffer.allocUnsafe(size) : Buffer.allocUnsafe(size),
        callback: (n, buf) => {
          const t = holder.target;
          t.stash.push(fresh ? buf.subarray(0, n) : Buffer.from(buf.subarray(0, n)));
          t.events?.readable();
          return t.interest !== false;
        },
      },
    };
  }
  readFromFd() {
    if (this.stash.length > 0) return this.stash.shift();
    return this.eof ? EOF : null;
  }
  setReadInterest(on) {
    this.interest = on;
    if (on) this.socket.resume();
    else this.socket.pause();
  }
}

// ---- consumers ----------------------------------------------------------------

async function consumeChunks(stream) {
  let n = 0;
  for (;;) {
    try {
      n += (await stream.readBytes(65536, { partial: true })).length;
    } catch {
      return n;
    }
  }
}

async function consumeLines(stream) {
  let n = 0;
  for (;;) {
    const line = stream.tryReadUntil('\n');
    if (line !== null) {
      n += line.length;
      continue;
    }
    try {
      n += (await stream.readUntil('\n')).length;
    } catch {
      return n + (await stream.readUntilClose()).length;
    }
  }
}

// The onread option only exists on sockets we create, so those variants dial the
// sender instead: the child listens and the receiver connects.
const dialSource = `
const [total, mode] = process.argv.slice(1).map((v, i) => (i < 1 ? Number(v) : v));
${sendSource}
const server = net.createServer((s) => {
  server.close();
  send(s);
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

async function withDial(mode, socketOptions, receive) {
  const child = spawn(process.execPath, ['-e', dialSource, String(total), mode], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise((r) => child.once('message', r));
  child.disconnect();
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true, ...socketOptions });
  await new Promise((r) => socket.once('connect', r));
  return timed(socket, child, receive);
}

let tcp = null;
try {
  tcp = await import('../dist/index.js');
} catch {
  // tcp not built yet: its row is left out.
}

// [name, make the transport (or a raw receive promise), socket options: only for variants that dial]
const variants = [
  ['raw net.Socket data events', (s, _h, mode) => (mode === 'lines' ? rawLines(s) : rawData(s))],
  ['data events + pause/resume', (s) => new DataEvents(s)],
  ['paused-mode read()', (s) => new PausedRead(s)],
  ['onread, reused buffer + copy', (s, h) => new OnRead(s, h), (h) => OnRead.options(h, false)],
  ['onread, fresh 64 KiB buffer', (s, h) => new OnRead(s, h), (h) => OnRead.options(h, true)],
];
if (tcp) variants.push(['@iostream/tcp SocketTransport', (s) => new tcp.SocketTransport(s)]);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

console.log(`node ${process.version}, ${total / MIB} MiB per run, ${runs} runs, median MiB/s (ratio to raw)`);
for (const mode of ['chunks', 'lines']) {
  console.log(
    `\n${mode === 'chunks' ? 'readBytes(65536, { partial: true })' : 'readUntil("\\n") over 100-byte lines'}`,
  );
  let raw = 0;
  for (const [name, make, dialOptions] of variants) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const holder = {};
      const receive = (socket) => {
        const t = make(socket, holder, mode);
        if (t instanceof Promise) return t;
        const stream = new IOStream(t);
        return mode === 'lines' ? consumeLines(stream) : consumeChunks(stream);
      };
      results.push(dialOptions ? await withDial(mode, dialOptions(holder), receive) : await withSender(mode, receive));
    }
    const mbps = median(results);
    if (raw === 0) raw = mbps;
    console.log(`  ${name.padEnd(34)} ${mbps.toFixed(0).padStart(6)} MiB/s  (${(mbps / raw).toFixed(2)}x)`);
  }
}
