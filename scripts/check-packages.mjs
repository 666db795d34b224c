// publint (strict) and Are the Types Wrong? on the tarball of every publishable package.
// Run by `npm run check:packages` and .ci/run. Exits 1 when either reports anything.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packAll } from './pack.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const out = mkdtempSync(join(tmpdir(), 'skillpass-check-packages-'));
let failed = 0;
try {
  for (const { name, tarball } of packAll(out)) {
    for (const [tool, args] of [
      ['publint', ['run', tarball, '--strict']],
      // ESM-only packages: require() of them is not supported, so CommonJS resolution is not checked.
      ['attw', [tarball, '--profile', 'esm-only', '--format', 'ascii']],
    ]) {
      const run = spawnSync(bin(tool), args, { encoding: 'utf8' });
      const text = `${run.stdout}${run.stderr}`.trim();
      if (run.status !== 0) {
        failed++;
        console.log(`✗ ${tool} ${name}\n${text}\n`);
      } else console.log(`✓ ${tool} ${name}`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failed > 0) {
  console.log(`${failed} check(s) failed`);
  process.exit(1);
}
