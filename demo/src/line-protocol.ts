/**
 * The demo's line protocol, shared by the TCP and TLS steps: one command per line,
 * one reply line each. `ECHO text`, `UPPER text`, `ADD a b`, `QUIT`. Lines are read
 * with `maxBytes`, so a peer that never sends a newline cannot grow the buffer.
 */
import type { IOStream } from '@iostream/core';
import { expectEqual, shown } from './report.js';

const MAX_LINE = 1024;

/** Serve one client until it says QUIT or goes away. */
export async function serveLines(stream: IOStream): Promise<void> {
  for (;;) {
    const line = (await stream.readUntil('\n', { maxBytes: MAX_LINE })).toString('utf8').trimEnd();
    const [command = '', ...rest] = line.split(' ');
    const argument = rest.join(' ');
    switch (command) {
      case 'ECHO':
        await stream.write(`${argument}\n`);
        break;
      case 'UPPER':
        await stream.write(`${argument.toUpperCase()}\n`);
        break;
      case 'ADD':
        await stream.write(`${rest.reduce((sum, n) => sum + Number(n), 0)}\n`);
        break;
      case 'QUIT':
        await stream.write('BYE\n');
        await stream.end();
        return;
      default:
        await stream.write(`ERR unknown command ${JSON.stringify(command)}\n`);
    }
  }
}

/** The client half: each command, its reply, and the round trip's time. */
export async function runLines(
  stream: IOStream,
  exchanges: readonly [command: string, reply: string][],
): Promise<void> {
  for (const [command, reply] of exchanges) {
    const started = performance.now();
    await stream.write(`${command}\n`);
    shown('client', 'server', `${command}\n`);
    const line = await stream.readUntil('\n', { maxBytes: MAX_LINE });
    shown('server', 'client', line, started);
    expectEqual(`reply to ${command}`, line, `${reply}\n`);
  }
}
