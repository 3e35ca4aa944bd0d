// Failures on Unix domain sockets surface as over TCP: connect rejects with StreamClosedError
// whose realError is the system error (ENOENT, ECONNREFUSED, EACCES), listen rejects with
// EADDRINUSE on a path that exists (a stale socket file is left alone), and path with a TCP
// option is a TypeError.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StreamClosedError } from '@iostream/core';
import { activeResources, waitForNoNewResources } from '@iostream/testkit';
import { afterAll, expect, it } from 'vitest';
import { connect, createConnection, listen } from '../src/index.js';
import { makeStaleSocket, socketDir } from './unix-socket-dir.js';

const dir = socketDir();
afterAll(() => dir.remove());

async function connectError(path: string): Promise<StreamClosedError> {
  const error = await connect({ path }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StreamClosedError);
  expect((error as StreamClosedError).cause).toBe((error as StreamClosedError).realError);
  return error as StreamClosedError;
}

it('a path where nothing exists: realError ENOENT, and nothing is left open', async () => {
  const before = activeResources();
  const error = await connectError(dir.next('missing'));
  expect(error.realError).toMatchObject({ code: 'ENOENT', syscall: 'connect' });
  expect(await waitForNoNewResources(before)).toEqual([]);
});

it('a stale socket file (its listener died): realError ECONNREFUSED', async () => {
  const stale = dir.next('stale');
  makeStaleSocket(stale);
  expect(statSync(stale).isSocket()).toBe(true);
  const error = await connectError(stale);
  expect(error.realError).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
});

it('listen on an existing path fails with EADDRINUSE and leaves the file; after unlinking it works', async () => {
  const stale = dir.next('stale');
  makeStaleSocket(stale);
  const error = await listen({ path: stale }, () => {}).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'EADDRINUSE' });
  expect(statSync(stale).isSocket()).toBe(true);
  // Also a plain file: never replaced.
  const file = dir.next('file');
  writeFileSync(file, 'not a socket');
  await expect(listen({ path: file }, () => {})).rejects.toMatchObject({ code: 'EADDRINUSE' });
  expect(existsSync(file)).toBe(true);
  // What the README shows: remove the stale file first, then listen.
  rmSync(stale, { force: true });
  const server = await listen({ path: stale }, () => {});
  expect(server.path).toBe(stale);
  await server.close();
});

it('listen on a path a live server holds fails with EADDRINUSE, and the live server keeps working', async () => {
  const path = dir.next();
  const server = await listen({ path }, async (stream) => {
    await stream.write('up\n');
    await stream.end();
  });
  try {
    await expect(listen({ path }, () => {})).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const client = await connect({ path });
    expect((await client.readUntilClose()).toString()).toBe('up\n');
    client.close();
  } finally {
    await server.close({ closeStreams: true });
  }
});

const tcpDist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

it('a socket file the user may not write to: realError EACCES for connect, and for listen in a closed directory', async () => {
  // Permissions do not stop root, so as root the checks run in a child process as `nobody`
  // (the socket file is rwxr-xr-x: nobody may not connect, nor bind in the 0755 directory).
  // The child loads the built package (dist), which `turbo test` builds first.
  const path = dir.next('locked');
  const server = await listen({ path }, (stream) => stream.close());
  try {
    const root = process.getuid?.() === 0;
    chmodSync(dir.dir, 0o755);
    if (!root) {
      chmodSync(path, 0o000);
      chmodSync(dir.dir, 0o555);
    }
    const program = `
      const { connect, listen } = await import(${JSON.stringify(tcpDist)});
      const [path, other] = process.argv.slice(1);
      const c = await connect({ path }).catch((e) => e);
      const l = await listen({ path: other }, () => {}).catch((e) => e);
      console.log(JSON.stringify({ name: c.name, real: c.realError?.code, syscall: c.realError?.syscall, listen: l.code }));
    `;
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', program, path, dir.next('not-allowed')],
        { timeout: 10_000, ...(root ? { uid: 65534, gid: 65534 } : {}) },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    expect(JSON.parse(output)).toEqual({
      name: 'StreamClosedError',
      real: 'EACCES',
      syscall: 'connect',
      listen: 'EACCES',
    });
  } finally {
    chmodSync(dir.dir, 0o700);
    await server.close();
  }
});

it('path with host, port or another TCP-only option, or an empty path, throws TypeError at once', () => {
  const path = dir.next();
  expect(() => createConnection({ path, port: 80 })).toThrow(TypeError);
  expect(() => createConnection({ path, host: 'localhost' })).toThrow(/host/);
  expect(() => createConnection({ path, localPort: 4000 })).toThrow(/localPort/);
  expect(() => createConnection({ path: '' })).toThrow(TypeError);
  expect(() => createConnection({ path: 42 as unknown as string })).toThrow(TypeError);
  expect(() => createConnection({})).toThrow(TypeError);
  expect(() => listen({ path, port: 0 }, () => {})).toThrow(/port/);
  expect(() => listen({ path, host: '127.0.0.1' }, () => {})).toThrow(TypeError);
  expect(() => listen({ path, ipv6Only: true }, () => {})).toThrow(/ipv6Only/);
  expect(existsSync(path)).toBe(false);
});
