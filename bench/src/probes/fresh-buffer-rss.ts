/**
 * How high a process's peak RSS climbs when it takes a fresh 64 KiB buffer per read and
 * drops it at once, with no sockets and no library: the memory shape of any reader whose
 * results the caller may keep (W1's `readBytes(65536)`). It writes 1 GiB through fresh
 * `Buffer.allocUnsafeSlow(65536)` buffers, one `await` per buffer, and prints the peak
 * RSS before and after. V8 frees such memory only when a collection runs, which external
 * memory growth triggers; so the peak is the process's own size plus the garbage that
 * accumulates in between.
 *
 *   node bench/dist/probes/fresh-buffer-rss.js [MiB, default 1024]
 */
import { Buffer } from 'node:buffer';

const SIZE = 65536;
const mib = Number(process.argv[2] ?? 1024);
if (!(mib > 0)) throw new RangeError(`MiB must be a positive number, got ${process.argv[2]}`);
const peakMiB = () => process.resourceUsage().maxRSS / 1024;

const before = peakMiB();
let checksum = 0;
for (let i = 0; i < (mib * 1024 * 1024) / SIZE; i++) {
  const chunk = Buffer.allocUnsafeSlow(SIZE);
  chunk.fill(i & 0xff);
  checksum += chunk[SIZE - 1] as number;
  await null;
}
console.log(
  `${mib} MiB in fresh ${SIZE / 1024} KiB buffers: peak RSS ${before.toFixed(0)} MiB before, ${peakMiB().toFixed(0)} MiB after (checksum ${checksum})`,
);
