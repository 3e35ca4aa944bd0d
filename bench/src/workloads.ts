/**
 * The workloads of issue 6, their contenders, baselines and targets. Sizes are
 * the issue's; `scale` shrinks them for a quick run.
 */

import { MiB } from './data.js';

/** A process the harness starts: a Node script in dist/child, or a Python script in bench/python. */
export interface Program {
  lang: 'node' | 'python';
  /** File name: under dist/child for node, under bench/python for python. */
  script: string;
  variant: string;
}

/** `ratio ≥ min` against contender `vs` (a throughput ratio). */
export interface RatioTarget {
  vs: string;
  min: number;
}

export interface Contender {
  id: string;
  label: string;
  /** The measured process. */
  program: Program;
  /** Its peer, when it brings its own (W3: each side runs the same implementation). */
  peer?: Program;
  /** Which Python library it needs, if any. */
  needs?: 'asyncio' | 'tornado';
  targets?: RatioTarget[];
  /** Peak RSS limit of the measured process, MiB. */
  rssMaxMiB?: number;
}

export interface ThroughputWorkload {
  kind: 'throughput';
  id: string;
  title: string;
  /** What one unit is, and how a rate is shown: `units / s * scale` in `unitLabel`. */
  unitLabel: string;
  rateScale: number;
  count: number;
  /** Which process is measured, for the table header. */
  measured: string;
  /** The default peer (data source or sink). */
  peer: Program | null;
  /** The measured process listens and the peer connects (W5: so the sink can use `onread`). */
  peerConnects?: boolean;
  /** Pin both processes to CPU 0. */
  pin: boolean;
  baseline: string;
  contenders: Contender[];
}

export interface ScalingWorkload {
  kind: 'scaling';
  id: string;
  title: string;
  counts: number[];
  program: Program;
  /** Most growth of the time per 4x step. */
  maxGrowth: number;
}

export type Workload = ThroughputWorkload | ScalingWorkload;

const node = (script: string, variant: string): Program => ({ lang: 'node', script, variant });
/** A Node contender whose script is told its id as the variant to run (the two never differ). */
const contender = (id: string, label: string, script: string, more: Partial<Contender> = {}): Contender => ({
  id,
  label,
  program: node(script, id),
  ...more,
});
const tornado = (variant: string): Contender => ({
  id: 'tornado',
  label: `Tornado ${variant === 'pingpong' ? 'IOStream both ends' : 'IOStream'}`,
  program: { lang: 'python', script: 'tornado_contender.py', variant },
  ...(variant === 'pingpong' ? { peer: { lang: 'python', script: 'tornado_contender.py', variant: 'echo' } } : {}),
  needs: 'tornado',
});
const asyncio = (variant: string): Contender => ({
  id: 'asyncio',
  label: `asyncio StreamReader${variant === 'pingpong' ? ' both ends' : ''}`,
  program: { lang: 'python', script: 'asyncio_contender.py', variant },
  ...(variant === 'pingpong' ? { peer: { lang: 'python', script: 'asyncio_contender.py', variant: 'echo' } } : {}),
  needs: 'asyncio',
});

const GiB = 1024 * MiB;
/** A count of 2^20 (W6's chunk counts). */
const Mi = MiB;

export function workloads(scale: number): Workload[] {
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const bulk = n(GiB);
  const lines = n(5_000_000);
  const trips = n(100_000);
  const frames = n(2_000_000);
  return [
    {
      kind: 'throughput',
      id: 'W1',
      title: `W1 bulk receive: ${fmtBytes(bulk)} over loopback TCP`,
      unitLabel: 'MB/s',
      rateScale: 1e-6,
      count: bulk,
      measured: 'receiver',
      peer: node('sender.js', 'bulk'),
      pin: false,
      baseline: 'onread',
      contenders: [
        contender('onread', 'raw net.connect({ onread })', 'recv-bulk-raw.js'),
        contender('data', "raw 'data' events", 'recv-bulk-raw.js'),
        contender('onread-fresh', 'raw onread, a fresh 64 KiB buffer per read', 'recv-bulk-raw.js'),
        contender('ours-readBytes', 'ours: await readBytes(65536)', 'recv-bulk-ours.js', {
          targets: [{ vs: 'onread', min: 0.9 }],
          rssMaxMiB: 64,
        }),
        contender('ours-readInto', 'ours: await readInto(64 KiB buf)', 'recv-bulk-ours.js', {
          targets: [{ vs: 'onread', min: 0.9 }],
          rssMaxMiB: 64,
        }),
        tornado('bulk'),
        asyncio('bulk'),
      ],
    },
    {
      kind: 'throughput',
      id: 'W2',
      title: `W2 lines: ${lines.toLocaleString('en-US')} x 64 B '\\r\\n' lines over loopback TCP`,
      unitLabel: 'M lines/s',
      rateScale: 1e-6,
      count: lines,
      measured: 'receiver',
      peer: node('sender.js', 'lines'),
      pin: false,
      baseline: 'readline',
      contenders: [
        contender('readline', "readline 'line' events", 'recv-lines-raw.js'),
        contender('splitter', 'tuned indexOf(0x0d) splitter', 'recv-lines-raw.js'),
        contender('ours-await', "ours: await readUntil('\\r\\n')", 'recv-lines-ours.js', {
          targets: [{ vs: 'readline', min: 0.7 }],
        }),
        contender('ours-try', 'ours: tryReadUntil ?? await readUntil', 'recv-lines-ours.js', {
          targets: [
            { vs: 'readline', min: 1.3 },
            { vs: 'splitter', min: 0.8 },
          ],
        }),
        tornado('lines'),
        asyncio('lines'),
      ],
    },
    {
      kind: 'throughput',
      id: 'W3',
      title: `W3 ping-pong: ${trips.toLocaleString('en-US')} round trips of 16 B over loopback TCP`,
      unitLabel: 'k trips/s',
      rateScale: 1e-3,
      count: trips,
      measured: 'client',
      peer: null,
      pin: true,
      baseline: 'raw',
      contenders: [
        contender('raw', 'raw net echo, both ends', 'pingpong-raw.js', {
          peer: node('echo-raw.js', 'raw'),
        }),
        contender('raw-await', 'raw net, awaiting each write and echo, both ends', 'pingpong-raw-await.js', {
          peer: node('echo-raw-await.js', 'raw-await'),
        }),
        contender('ours', "ours: write + readUntil('\\n'), both ends", 'pingpong-ours.js', {
          peer: node('echo-ours.js', 'ours'),
          targets: [{ vs: 'raw', min: 0.9 }],
        }),
        tornado('pingpong'),
        asyncio('pingpong'),
      ],
    },
    {
      kind: 'throughput',
      id: 'W4',
      title: `W4 frames: ${frames.toLocaleString('en-US')} x (u32 length + 100 B) over loopback TCP`,
      unitLabel: 'M frames/s',
      rateScale: 1e-6,
      count: frames,
      measured: 'receiver',
      peer: node('sender.js', 'frames'),
      pin: false,
      baseline: 'parser',
      contenders: [
        contender('parser', "hand-written parser over 'data'", 'recv-frames-raw.js'),
        contender('ours-await', 'ours: await readBytes(4), readBytes(n)', 'recv-frames-ours.js', {
          targets: [{ vs: 'parser', min: 0.3 }],
        }),
        contender('ours-try', 'ours: tryReadBytes ?? await readBytes', 'recv-frames-ours.js', {
          targets: [{ vs: 'parser', min: 0.8 }],
        }),
        tornado('frames'),
        asyncio('frames'),
      ],
    },
    {
      kind: 'throughput',
      id: 'W5',
      title: `W5 bulk send: ${fmtBytes(bulk)} in 64 KiB writes over loopback TCP`,
      unitLabel: 'MB/s',
      rateScale: 1e-6,
      count: bulk,
      measured: 'sender',
      peer: node('sink.js', 'sink'),
      peerConnects: true,
      pin: false,
      baseline: 'raw-drain',
      contenders: [
        contender('raw-drain', "raw socket.write + 'drain'", 'send-raw.js'),
        contender('ours-await', 'ours: await write(64 KiB)', 'send-ours.js', {
          targets: [{ vs: 'raw-drain', min: 0.9 }],
          rssMaxMiB: 64,
        }),
        contender('ours-drained', 'ours: write, await drained() on needsDrain', 'send-ours.js', {
          targets: [{ vs: 'raw-drain', min: 0.9 }],
          rssMaxMiB: 64,
        }),
      ],
    },
    {
      kind: 'scaling',
      id: 'W6',
      title: 'W6 scaling: one readUntil whose delimiter arrives after N one-byte chunks (fake transport, in-process)',
      counts: [Mi, 4 * Mi, 16 * Mi].map(n),
      program: node('scaling.js', 'ours-readUntil'),
      maxGrowth: 5,
    },
  ];
}

export function fmtBytes(bytes: number): string {
  if (bytes >= GiB && bytes % (GiB / 4) === 0) return `${bytes / GiB} GiB`;
  if (bytes >= Mi) return `${(bytes / Mi).toFixed(bytes % Mi === 0 ? 0 : 1)} MiB`;
  return `${bytes} B`;
}
