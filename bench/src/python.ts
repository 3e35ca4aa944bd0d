/** Whether the Python peers can run: `/usr/bin/python3` for asyncio, plus Tornado for the Tornado contenders. */
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

export interface PythonStatus {
  /** Why asyncio contenders are skipped, or null if they run. */
  asyncio: string | null;
  /** Why Tornado contenders are skipped, or null if they run. */
  tornado: string | null;
  /** Versions found, for the results file. */
  versions: { python?: string; tornado?: string };
}

export function detectPython(enabled: boolean): PythonStatus {
  if (!enabled) return { asyncio: 'skipped (--no-python)', tornado: 'skipped (--no-python)', versions: {} };
  const py = spawnSync(PYTHON, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' });
  if (py.status !== 0)
    return { asyncio: 'skipped (no /usr/bin/python3)', tornado: 'skipped (no /usr/bin/python3)', versions: {} };
  const versions: PythonStatus['versions'] = { python: py.stdout.trim() };
  const tornado = spawnSync(PYTHON, ['-c', 'import tornado; print(tornado.version)'], { encoding: 'utf8' });
  if (tornado.status !== 0) return { asyncio: null, tornado: 'skipped (tornado not installed)', versions };
  versions.tornado = tornado.stdout.trim();
  return { asyncio: null, tornado: null, versions };
}
