// Pack every publishable package (packages/*, not private) with pnpm, as it would be published:
// `workspace:*` ranges become the versions of the packed siblings. Used by check-packages.mjs
// (publint, attw) and by the install test (`npm run test:pack`).
//
//   node scripts/pack.mjs <out-dir>     prints one line per tarball: <package name> <tarball path>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The publishable packages: `{ name, dir }` for each packages/* whose package.json is not private. */
export function publishablePackages() {
  return readdirSync(join(root, 'packages'))
    .map((d) => join(root, 'packages', d))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.private !== true)
    .map(({ dir, pkg }) => ({ name: pkg.name, version: pkg.version, dir }));
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/**
 * A dist/ file whose source is gone would be published: `tsc -b` never deletes outputs. Refuse
 * to pack then, rather than ship it.
 */
function assertNoStaleOutput(dir) {
  const dist = join(dir, 'dist');
  const stale = filesUnder(dist)
    .filter((f) => f.endsWith('.js'))
    .filter((f) => !existsSync(join(dir, 'src', f.replace(/\.js$/, '.ts'))));
  if (stale.length > 0) {
    throw new Error(
      `${relative(root, dir)}/dist has output without a source (${stale.join(', ')}): ` +
        'remove packages/*/dist and run npm run build',
    );
  }
}

/** Build, then pack every publishable package into `outDir`; returns `{ name, version, tarball }` for each. */
export function packAll(outDir) {
  mkdirSync(outDir, { recursive: true });
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], {
    cwd: root,
    stdio: 'inherit',
  });
  const packages = publishablePackages();
  for (const { dir } of packages) assertNoStaleOutput(dir);
  const packed = [];
  for (const { name, version, dir } of packages) {
    execFileSync('npx', ['--yes', 'pnpm@10.34.9', 'pack', '--pack-destination', outDir], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = join(outDir, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`pnpm pack wrote no ${tarball}`);
    packed.push({ name, version, tarball });
  }
  return packed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (out === undefined) {
    console.error('usage: node scripts/pack.mjs <out-dir>');
    process.exit(2);
  }
  for (const { name, tarball } of packAll(resolve(out))) console.log(`${name} ${tarball}`);
}
