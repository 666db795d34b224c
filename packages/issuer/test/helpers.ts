import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FetchLike } from '@skillpass/core';
import { afterEach } from 'vitest';
import type { Issuer } from '../src/index.js';

/** Fast scrypt for tests (the floor); production uses the default N = 2^17. */
export const TEST_KDF = { kdf: { N: 2 ** 14 }, allowWeakKdf: true } as const;

export const STATUS_BASE = 'https://centre.example/status';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skillpass-issuer-'));
  dirs.push(dir);
  return dir;
}

/** A fetch that serves an issuer's signed status lists (Bitstring and Token) by URL, counting calls. */
export function issuerFetch(issuer: Issuer): FetchLike & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (url: string) => {
    calls.push(url);
    const lists = [...(await issuer.signedStatusLists()), ...(await issuer.signedTokenStatusLists())];
    const hit = lists.find((l) => l.url === url);
    return {
      ok: hit !== undefined,
      status: hit === undefined ? 404 : 200,
      text: async () => hit?.token ?? 'not found',
      headers: { get: () => null },
    };
  };
  return Object.assign(fn, { calls });
}
