import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The shared external test vectors (`../shared/vectors` next to the checkout). Set
 * SKILLPASS_VECTORS to point elsewhere. Fails loudly when absent: vector tests never silently skip.
 */
export const VECTORS_DIR: string = (() => {
  const candidates = [
    process.env.SKILLPASS_VECTORS,
    join(repoRoot, '..', 'shared', 'vectors'),
    '/work/shared/vectors',
  ];
  const found = candidates.find((c): c is string => c !== undefined && existsSync(join(c, 'SOURCES.md')));
  if (found === undefined) {
    throw new Error(
      `shared test vectors not found (tried ${candidates.filter(Boolean).join(', ')}); set SKILLPASS_VECTORS`,
    );
  }
  return found;
})();

/** Read a vector file as text. */
export function readVector(path: string): string {
  return readFileSync(join(VECTORS_DIR, path), 'utf8');
}

/** Read a vector file as JSON. */
export function readVectorJson<T = unknown>(path: string): T {
  return JSON.parse(readVector(path)) as T;
}
