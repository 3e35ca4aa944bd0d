import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `data` in a file of a fresh temp dir; `remove()` deletes the dir. */
export function tempFile(data: Uint8Array): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'iostream-pipe-'));
  const path = join(dir, 'input');
  writeFileSync(path, data);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
