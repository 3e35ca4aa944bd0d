/**
 * `pnpm demo`: the read modes in memory, then real transports in one process: a TCP
 * line-protocol server and client on 127.0.0.1, the same over a Unix domain socket and
 * over TLS (certificates made at start-up with the openssl command, verified against the
 * demo CA), a STARTTLS upgrade, and child processes driven through @iostream/pipe.
 * Each step prints what it sent and received and how long it took. Exits 0 on success,
 * 1 with a message naming the failed step otherwise.
 */
import { type DemoCerts, makeDemoCerts } from './certs.js';
import { inMemoryStep } from './in-memory.js';
import { pipeStep } from './pipe.js';
import { ms } from './report.js';
import { runtimeName, skipReason } from './runtime.js';
import { startTlsStep } from './starttls.js';
import { tcpStep } from './tcp.js';
import { tlsStep } from './tls.js';
import { unixStep } from './unix.js';

const TIME_LIMIT_MS = 30_000;

const started = performance.now();
let step = 'start-up';
let certs: DemoCerts | null = null;
/** Steps this runtime cannot run (see runtime.ts), named in the last line. */
const skipped: string[] = [];

const watchdog = setTimeout(() => {
  console.error(`\ndemo failed: step "${step}" did not finish within ${TIME_LIMIT_MS / 1000} s`);
  process.exit(1);
}, TIME_LIMIT_MS);
watchdog.unref();

console.log(`iostream demo (${runtimeName}, ${process.platform})`);
try {
  step = 'in-memory';
  await inMemoryStep();
  step = 'tcp';
  await tcpStep();
  step = 'unix';
  await unixStep();
  step = 'certificates';
  const t = performance.now();
  certs = makeDemoCerts();
  console.log(`\n   (demo CA and a server certificate for localhost/127.0.0.1 made with openssl in ${ms(t)})`);
  step = 'tls';
  await tlsStep(certs);
  step = 'starttls';
  const why = skipReason(step);
  if (why === null) await startTlsStep(certs);
  else {
    skipped.push(step);
    console.log(`\nSTARTTLS step skipped on ${runtimeName}: ${why}`);
  }
  step = 'pipe';
  await pipeStep();
  const but = skipped.length === 0 ? '' : ` (skipped on ${runtimeName}: ${skipped.join(', ')})`;
  console.log(`\ndemo ok: every step passed${but} in ${ms(started)}`);
} catch (error) {
  console.error(`\ndemo failed in step "${step}": ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && error.stack) console.error(error.stack.split('\n').slice(1, 4).join('\n'));
  process.exitCode = 1;
} finally {
  certs?.remove();
}
// Everything was closed above; if some handle still lingered, do not hang CI on it.
setTimeout(() => process.exit(), 2000).unref();
