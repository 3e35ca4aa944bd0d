import type { IOStream } from '@iostream/core';
import { transportCompliance } from '@iostream/testkit/compliance';
import { fromChildProcess } from '../src/index.js';
import { type Spawned, spawnPiped } from './helpers/child.js';
import { expectNoLeaks } from './helpers/leaks.js';

/** The transport compliance suite with `cat` as the pipe: write to its stdin, read from its stdout. */
let spawned: Spawned | null = null;
let stderr: IOStream | undefined;

expectNoLeaks();

transportCompliance('pipe (child process cat)', {
  async setup(options) {
    spawned = spawnPiped('cat');
    const streams = fromChildProcess(spawned.child, options);
    stderr = streams.stderr;
    return { a: streams.stdin!, b: streams.stdout! };
  },
  async teardown() {
    stderr?.close();
    await spawned?.reap();
    spawned = null;
  },
  duplex: false,
  halfClose: false,
});
