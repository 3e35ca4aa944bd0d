/**
 * Runs one repetition of one contender: start its peer (if any) and wait for
 * the port, start the measured process, collect its measurement, make sure
 * both exit cleanly. Every failure is an exception with the child's stderr.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildArgs, Measurement } from './protocol.js';
import { PYTHON } from './python.js';
import type { Program } from './workloads.js';

const CHILD_DIR = fileURLToPath(new URL('./child/', import.meta.url));
const PYTHON_DIR = fileURLToPath(new URL('../python/', import.meta.url));

export interface RunSpec {
  program: Program;
  peer: Program | null;
  count: number;
  /** The measured process listens and the peer connects to it (W5), instead of the other way round. */
  peerConnects: boolean;
  /** Prefix both commands with `taskset -c 0`. */
  pin: boolean;
  /** Kill everything and fail after this long. */
  timeoutMs: number;
}

interface Child {
  proc: ChildProcess;
  name: string;
  lines: AsyncIterator<unknown>;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(program: Program, args: ChildArgs, pin: boolean): Child {
  const file = program.lang === 'node' ? `${CHILD_DIR}${program.script}` : `${PYTHON_DIR}${program.script}`;
  const exe = program.lang === 'node' ? process.execPath : PYTHON;
  const argv = [file, JSON.stringify(args)];
  const proc = pin
    ? spawn('taskset', ['-c', '0', exe, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(exe, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
    if (err.length < 8192) err += s;
  });
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code, signal) => resolve(signal ? null : code));
    proc.once('error', (e) => {
      err += String(e);
      resolve(null);
    });
  });
  return {
    proc,
    name: `${program.script} ${program.variant}`,
    lines: jsonLines(proc),
    stderr: () => err.trim(),
    exited,
  };
}

async function* jsonLines(proc: ChildProcess): AsyncGenerator<unknown> {
  let pending = '';
  for await (const chunk of proc.stdout?.setEncoding('utf8') ?? []) {
    pending += chunk as string;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
}

async function next(child: Child): Promise<unknown> {
  const r = await child.lines.next();
  if (r.done) {
    const code = await child.exited;
    throw new Error(`${child.name} exited (${code ?? 'killed'}) without answering${stderrOf(child)}`);
  }
  return r.value;
}

function stderrOf(child: Child): string {
  const s = child.stderr();
  return s ? `:\n${s}` : '';
}

/** Run one repetition and return the measured process's report. */
export async function runOnce(spec: RunSpec): Promise<Measurement> {
  const children: Child[] = [];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    for (const c of children) c.proc.kill('SIGKILL');
  }, spec.timeoutMs);
  const launch = (program: Program, port?: number) =>
    start(
      program,
      {
        variant: program.variant,
        count: spec.count,
        ...(port === undefined ? {} : { port }),
        ...(program.transport === undefined ? {} : { transport: program.transport }),
      },
      spec.pin,
    );
  try {
    let port: number | undefined;
    let measured: Child;
    if (spec.peer && spec.peerConnects) {
      measured = launch(spec.program);
      children.push(measured);
      port = ((await next(measured)) as { port: number }).port;
      children.unshift(launch(spec.peer, port));
    } else {
      if (spec.peer) {
        const peer = launch(spec.peer);
        children.push(peer);
        port = ((await next(peer)) as { port: number }).port;
      }
      measured = launch(spec.program, port);
      children.push(measured);
    }
    // A peer that dies early would leave the measured process waiting: fail at once instead.
    const peerDied = new Promise<never>((_, reject) => {
      for (const peer of children.filter((c) => c !== measured))
        void peer.exited.then((code) => {
          if (code !== 0) reject(new Error(`peer ${peer.name} exited with ${code ?? 'a signal'}${stderrOf(peer)}`));
        });
    });
    peerDied.catch(() => {});
    const m = (await Promise.race([next(measured), peerDied])) as Measurement;
    const code = await measured.exited;
    if (code !== 0) throw new Error(`${measured.name} exited with ${code ?? 'a signal'}${stderrOf(measured)}`);
    for (const peer of children.filter((c) => c !== measured)) {
      // The peer finishes when its connection closes; give it a moment, then make sure.
      const late = setTimeout(() => peer.proc.kill('SIGKILL'), 5000);
      const peerCode = await peer.exited;
      clearTimeout(late);
      if (peerCode !== 0) throw new Error(`peer ${peer.name} exited with ${peerCode ?? 'a signal'}${stderrOf(peer)}`);
    }
    return m;
  } catch (error) {
    for (const c of children) c.proc.kill('SIGKILL');
    if (timedOut) throw new Error(`timed out after ${spec.timeoutMs / 1000} s: ${(error as Error).message}`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
