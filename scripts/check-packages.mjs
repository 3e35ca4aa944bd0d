#!/usr/bin/env node
// `pnpm check:packages`: pack every published package the way `pnpm publish` would
// (workspace:^ turned into real versions) and check the tarball:
//   - publint --strict: exports, main/types, files, package.json fields;
//   - attw --profile esm-only: the types resolve for every entry point under
//     node16 (ESM) and bundler resolution. The packages are ESM-only ("type": "module",
//     no require condition), so the CommonJS (node10 / node16-from-CJS) rows are not
//     asked for: that is exactly what the esm-only profile leaves out;
//   - the file list: only dist/ (no tests, sources, build info or source maps),
//     package.json, README.md, CHANGELOG.md and LICENSE.
// Exits non-zero with every problem listed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['core', 'tcp', 'tls', 'pipe', 'testkit'];
const ALLOWED = /^package\/(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+\.(js|d\.ts))$/;
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const out = mkdtempSync(path.join(os.tmpdir(), 'iostream-pack-'));
const failures = [];
try {
  for (const name of PACKAGES) {
    const dir = path.join(root, 'packages', name);
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(out).find((f) => f.startsWith(`iostream-${name}-`) && f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`pnpm pack made no tarball for ${name}`);
    const file = path.join(out, tarball);
    console.log(`\n@iostream/${name}: ${tarball}`);

    const listing = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
    const stray = listing.filter((f) => !ALLOWED.test(f));
    console.log(`  files: ${listing.length} (${listing.filter((f) => f.startsWith('package/dist/')).length} in dist/)`);
    if (stray.length > 0) failures.push(`@iostream/${name} ships files it should not: ${stray.join(', ')}`);

    for (const [tool, args] of [
      ['publint', ['run', file, '--strict']],
      ['attw', [file, '--profile', 'esm-only', '--format', 'table-flipped', '--no-emoji', '--no-color']],
    ]) {
      try {
        const text = execFileSync(bin(tool), args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        console.log(`  ${tool}: ok`);
        if (tool === 'attw') console.log(text.trim().replace(/^/gm, '    '));
      } catch (error) {
        console.log(`  ${tool}: FAILED`);
        console.log(`${error.stdout ?? ''}${error.stderr ?? ''}`.trim().replace(/^/gm, '    '));
        failures.push(`@iostream/${name}: ${tool} failed`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`\ncheck:packages failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log(`\ncheck:packages: ${PACKAGES.length} packages ok`);
