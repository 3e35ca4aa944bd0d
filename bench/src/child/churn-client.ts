/**
 * The W8 peer (not measured): makes `count` connections to the measured server, 50
 * at a time; each sends one 12-byte line, reads the line back, and ends. Variant
 * `plain` or `tls` (no certificate check: the server's is a throwaway).
 */
import net from 'node:net';
import tls from 'node:tls';
import { childArgs, HOST } from '../protocol.js';
import { fail, failOnStrayErrors } from './measure.js';

failOnStrayErrors();
const { variant, count, port } = childArgs();
const CONCURRENT = 50;
const LINE = 'hello world\n';

function once(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket =
      variant === 'tls'
        ? tls.connect({ host: HOST, port: port as number, rejectUnauthorized: false })
        : net.connect({ host: HOST, port: port as number });
    socket.setEncoding('latin1');
    socket.once(variant === 'tls' ? 'secureConnect' : 'connect', () => socket.write(LINE));
    let got = '';
    socket.on('data', (s: string) => {
      got += s;
      if (got === LINE) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => (got === LINE ? resolve() : reject(new Error(`got ${JSON.stringify(got)}`))));
  });
}

let started = 0;
const loop = async () => {
  while (started < count) {
    started++;
    await once();
  }
};
await Promise.all(Array.from({ length: CONCURRENT }, loop)).catch((e: Error) => fail(`churn-client: ${e.message}`));
