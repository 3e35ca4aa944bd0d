/**
 * Drive the openssl command as a TLS peer no one here wrote: `s_server` (started on a free
 * port it picks itself, ready once it prints its ACCEPT line and takes a connection) and
 * `s_client` (run to completion). Every child is killed by `killAll()`; call it in afterEach.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kill every openssl child still running and wait until each has exited. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** Try to connect once; true if the port took the connection. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Start `openssl s_server` on 127.0.0.1 with `args`; resolves with its port once it accepts connections. */
export async function sServer(args: string[]): Promise<{ port: number; output: () => string }> {
  const child = track(
    spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', ...args], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString('latin1');
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString('latin1');
  });
  const port = await new Promise<number>((resolve, reject) => {
    const check = () => {
      const m = /^ACCEPT .*:(\d+)\s*$/m.exec(output);
      if (m?.[1]) {
        child.stdout?.off('data', check);
        child.off('exit', onExit);
        resolve(Number(m[1]));
      }
    };
    const onExit = () => reject(new Error(`openssl s_server exited early:\n${output}`));
    child.stdout?.on('data', check);
    child.once('exit', onExit);
  });
  // Bounded: the ACCEPT line comes after listen(), so this normally succeeds at once.
  for (let i = 0; !(await accepts(port)); i++) {
    if (i >= 100) throw new Error(`openssl s_server on port ${port} never accepted a connection`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { port, output: () => output };
}

/** Run `openssl s_client` with `args`, feeding it `input`; resolves when it exits. */
export function sClient(
  args: string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = track(spawn('openssl', ['s_client', ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString('latin1');
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString('latin1');
  });
  child.stdin?.on('error', () => {});
  child.stdin?.write(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
