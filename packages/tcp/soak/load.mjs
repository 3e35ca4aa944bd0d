// The load run shared by `pnpm soak` (soak.mjs, full size) and test/load.test.ts (CI size):
// N concurrent loopback connections, each doing M request/response round trips against a
// server built on `listen`. A request is a header line "<seq> <len>\n" and a body of <len>
// bytes; the server reads them with readUntil + readBytes and answers with the same header
// and body, which the client reads the same way and compares byte for byte. Every byte is
// counted on both sides, so nothing can go missing unnoticed.
//
// `connect` and `listen` are passed in, so the test runs it against the package's source
// and the soak program against its build.

/** 64 KiB of seeded bytes; bodies are views into it (no allocation per request). */
function pool(seed) {
  let a = seed >>> 0;
  const out = Buffer.allocUnsafe(65536);
  for (let i = 0; i < out.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

/** Body length and offset of round trip `k` on connection `c`: deterministic, 0 to maxBody bytes. */
function plan(c, k, maxBody) {
  const x = Math.imul(c + 1, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b);
  const h = (x ^ (x >>> 13)) >>> 0;
  // Mostly small requests, one in 16 up to maxBody (several chunks on the wire).
  const len = h % 16 === 0 ? h % (maxBody + 1) : h % 257;
  return { len, offset: (h >>> 8) % (65536 - len + 1) };
}

/**
 * Run the load and return its figures. Never throws for a failed connection or a wrong
 * byte: those are counted in `errors` (with the first few kept in `errorSamples`).
 */
export async function runLoad({
  connect,
  listen,
  connections,
  roundTrips,
  maxBody = 16384,
  seed = 1,
  connectConcurrency = 100,
}) {
  const bytes = pool(seed);
  const errors = [];
  const fail = (where, error) => errors.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  const server = { requests: 0, bytesIn: 0, bytesOut: 0 };
  const client = { roundTrips: 0, bytesOut: 0, bytesIn: 0 };
  let expectedEachWay = 0;
  let peakRss = process.memoryUsage.rss();
  const sampleRss = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  };
  const sampler = setInterval(sampleRss, 50);

  const srv = await listen(
    {
      host: '127.0.0.1',
      port: 0,
      backlog: Math.max(511, connections),
      noDelay: true,
      onError: (e) => fail('server', e),
    },
    async (stream) => {
      for (;;) {
        const head = stream.tryReadUntil('\n', { maxBytes: 64 }) ?? (await stream.readUntil('\n', { maxBytes: 64 }));
        const len = Number(head.toString('latin1', head.indexOf(32) + 1, head.length - 1));
        const body = len === 0 ? Buffer.alloc(0) : (stream.tryReadBytes(len) ?? (await stream.readBytes(len)));
        server.requests++;
        server.bytesIn += head.length + body.length;
        server.bytesOut += head.length + body.length;
        await stream.write([head, body]);
      }
    },
  );
  const port = srv.address().port;
  const started = performance.now();

  // Connect everyone first (a bounded number at a time), so all N are open at once.
  const streams = new Array(connections).fill(null);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(connectConcurrency, connections) }, async () => {
      while (next < connections) {
        const c = next++;
        try {
          streams[c] = await connect({ host: '127.0.0.1', port, noDelay: true, timeout: 30_000 });
        } catch (error) {
          fail(`connect ${c}`, error);
        }
      }
    }),
  );
  const connectedAt = performance.now();
  const open = streams.filter((s) => s !== null).length;
  sampleRss();

  await Promise.all(
    streams.map(async (stream, c) => {
      if (stream === null) return;
      try {
        for (let k = 0; k < roundTrips; k++) {
          const { len, offset } = plan(c, k, maxBody);
          const body = bytes.subarray(offset, offset + len);
          const head = Buffer.from(`${k} ${len}\n`, 'latin1');
          expectedEachWay += head.length + len;
          await stream.write([head, body]);
          client.bytesOut += head.length + len;
          const echoed =
            stream.tryReadUntil('\n', { maxBytes: 64 }) ?? (await stream.readUntil('\n', { maxBytes: 64 }));
          const got = len === 0 ? Buffer.alloc(0) : (stream.tryReadBytes(len) ?? (await stream.readBytes(len)));
          client.bytesIn += echoed.length + got.length;
          if (!echoed.equals(head)) throw new Error(`round trip ${k}: header ${JSON.stringify(echoed.toString())}`);
          if (!got.equals(body)) throw new Error(`round trip ${k}: body differs`);
          client.roundTrips++;
        }
        await stream.end();
      } catch (error) {
        fail(`connection ${c}`, error);
      } finally {
        stream.close();
      }
    }),
  );
  const finished = performance.now();
  sampleRss();
  clearInterval(sampler);
  await srv.close({ closeStreams: true });

  return {
    connections: open,
    roundTrips: client.roundTrips,
    expectedRoundTrips: connections * roundTrips,
    errors: errors.length,
    errorSamples: errors.slice(0, 10),
    bytes: {
      expectedEachWay,
      clientOut: client.bytesOut,
      serverIn: server.bytesIn,
      serverOut: server.bytesOut,
      clientIn: client.bytesIn,
    },
    serverRequests: server.requests,
    connectMs: connectedAt - started,
    durationMs: finished - started,
    peakRss: Math.max(peakRss, process.resourceUsage().maxRSS * 1024),
  };
}

/** The figures as a few human-readable lines. */
export function formatFigures(r) {
  const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
  return [
    `connections held:   ${r.connections} concurrent (connected in ${r.connectMs.toFixed(0)} ms)`,
    `round trips:        ${r.roundTrips} of ${r.expectedRoundTrips} (server answered ${r.serverRequests})`,
    `errors:             ${r.errors}${r.errors > 0 ? ` e.g. ${r.errorSamples.join('; ')}` : ''}`,
    `bytes each way:     ${r.bytes.expectedEachWay} expected; client sent ${r.bytes.clientOut}, server read ${r.bytes.serverIn}, server wrote ${r.bytes.serverOut}, client read ${r.bytes.clientIn} (${mib(r.bytes.clientIn)})`,
    `duration:           ${(r.durationMs / 1000).toFixed(2)} s (${Math.round(r.roundTrips / (r.durationMs / 1000))} round trips/s)`,
    `peak RSS:           ${mib(r.peakRss)}`,
  ].join('\n');
}
