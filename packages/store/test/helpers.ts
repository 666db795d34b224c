import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Fast scrypt for tests (the floor); production uses the default N = 2^17. */
export const TEST_KDF = { kdf: { N: 2 ** 14 }, allowWeakKdf: true } as const;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skillpass-store-'));
  dirs.push(dir);
  return dir;
}
