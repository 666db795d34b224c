import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The openly licensed vectors vendored in this repository (`vectors/`, see vectors/SOURCES.md). */
export const VECTORS_DIR: string = join(repoRoot, 'vectors');

/** Read a vendored vector file (path relative to `vectors/`) as text. */
export function readVector(path: string): string {
  return readFileSync(join(VECTORS_DIR, path), 'utf8');
}

/** Read a vendored vector file (path relative to `vectors/`) as JSON. */
export function readVectorJson<T = unknown>(path: string): T {
  return JSON.parse(readVector(path)) as T;
}

/**
 * The checkout that holds this one's git data: the repository itself, or, in a `git worktree`,
 * the main checkout (so `../shared/vectors` means the same folder from every worktree).
 */
function mainCheckout(): string | undefined {
  const dotGit = join(repoRoot, '.git');
  if (!existsSync(dotGit) || statSync(dotGit).isDirectory()) return undefined;
  const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
  if (gitdir === undefined) return undefined;
  const worktreeGitDir = isAbsolute(gitdir) ? gitdir : resolve(repoRoot, gitdir);
  const commondirFile = join(worktreeGitDir, 'commondir');
  if (!existsSync(commondirFile)) return undefined;
  const commonDir = resolve(worktreeGitDir, readFileSync(commondirFile, 'utf8').trim());
  return dirname(commonDir);
}

let conformanceDir: string | undefined;

/**
 * The folder of the conformance material that may not be redistributed (1EdTech's Open Badges
 * schemas, contexts, examples and validator fixtures): `SKILLPASS_VECTORS` when set, else
 * `../shared/vectors` next to the checkout (next to the main checkout for a git worktree).
 * Throws when it is missing: the conformance suite never skips silently.
 */
export function conformanceVectorsDir(): string {
  if (conformanceDir !== undefined) return conformanceDir;
  const fromEnv = process.env.SKILLPASS_VECTORS;
  const main = mainCheckout();
  const candidates =
    fromEnv !== undefined && fromEnv !== ''
      ? [resolve(fromEnv)]
      : [
          join(repoRoot, '..', 'shared', 'vectors'),
          ...(main === undefined ? [] : [join(main, '..', 'shared', 'vectors')]),
        ];
  const found = candidates.find((c) => existsSync(join(c, '1edtech-openbadges-specification')));
  if (found === undefined) {
    throw new Error(
      `conformance vectors (1EdTech Open Badges 3.0 files) not found in ${candidates.join(' or ')}: ` +
        'set SKILLPASS_VECTORS to the folder that holds 1edtech-openbadges-specification/ (see vectors/SOURCES.md)',
    );
  }
  conformanceDir = found;
  return found;
}

/** Read a conformance file (path relative to the conformance folder) as text. */
export function readConformanceVector(path: string): string {
  return readFileSync(join(conformanceVectorsDir(), path), 'utf8');
}

/** Read a conformance file (path relative to the conformance folder) as JSON. */
export function readConformanceVectorJson<T = unknown>(path: string): T {
  return JSON.parse(readConformanceVector(path)) as T;
}
