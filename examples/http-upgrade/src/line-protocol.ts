/**
 * The line protocol the upgraded connections speak: one command per line, one reply
 * line each. `ECHO text`, `UPPER text`, `QUIT` (the server says `BYE` and ends the
 * connection). Lines are read with `maxBytes`, so a peer that never sends a newline
 * cannot grow the buffer.
 */
import type { IOStream } from '@iostream/core';

/** The first line the server sends after switching protocols. */
export const GREETING = 'HELLO line/1';

/** Serve one connection until it says QUIT or goes away. */
export async function serveLines(stream: IOStream, maxLineBytes: number): Promise<void> {
  for (;;) {
    // The fast path takes lines already buffered (such as the ones in `head`) without a promise.
    const raw =
      stream.tryReadUntil('\n', { maxBytes: maxLineBytes }) ??
      (await stream.readUntil('\n', { maxBytes: maxLineBytes }));
    const line = raw.toString('utf8').replace(/\r?\n$/, '');
    const space = line.indexOf(' ');
    const command = space < 0 ? line : line.slice(0, space);
    const argument = space < 0 ? '' : line.slice(space + 1);
    switch (command) {
      case 'ECHO':
        await stream.write(`${argument}\n`);
        break;
      case 'UPPER':
        await stream.write(`${argument.toUpperCase()}\n`);
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
