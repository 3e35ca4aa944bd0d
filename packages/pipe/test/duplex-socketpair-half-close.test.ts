import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { IOStream } from '@iostream/core';
import { expect, it } from 'vitest';
import { PipeTransport } from '../src/index.js';
import { expectNoLeaks } from './helpers/leaks.js';

expectNoLeaks();

/**
 * A two-way pipe (the socketpair Node gives a child as an extra stdio): a
 * 'duplex' PipeTransport writes and reads on it, and end() half-closes, so the
 * child sees EOF while its last output still reaches us.
 */
it('duplex: echo over a socketpair, end() half-closes and the reply still arrives', async () => {
  // cat reads fd 3 and writes back to fd 3: an echo over one socketpair.
  const child = spawn('sh', ['-c', 'cat <&3 >&3'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const exited = once(child, 'close');
  const socket = child.stdio[3] as Socket;
  const stream = new IOStream(new PipeTransport(() => socket, 'duplex'), { allowHalfOpen: true });
  await stream.write('ping\n');
  expect((await stream.readUntil('\n')).toString()).toBe('ping\n');
  await stream.write('last words');
  await stream.end();
  expect(stream.closed()).toBe(false);
  expect((await stream.readUntilClose()).toString()).toBe('last words');
  expect(stream.closed()).toBe(true);
  expect(stream.error).toBeNull();
  expect((await exited)[0]).toBe(0);
});
