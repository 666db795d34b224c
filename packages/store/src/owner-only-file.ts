import { closeSync, openSync } from 'node:fs';
import { SkillpassError } from '@skillpass/core';

/**
 * Create `path` empty and owner-only (0600) before SQLite opens it — the one way skillpass
 * creates a file that holds secrets or private records (a wallet, an issuer's or a verifier's
 * store): the mode is set when the file is created, never by a `chmod` afterwards, so no other
 * user can open it in between, and SQLite gives its `-wal` and `-shm` files the same mode.
 * `wx` refuses an existing file (or link) without a check-then-create race. Files written
 * whole (backups, exports) go through {@link writeFileAtomically}, owner-only by default too.
 *
 * @throws SkillpassError ERR_ALREADY_EXISTS when `path` exists.
 * @example
 * ```ts
 * createOwnerOnlyFile('issuer.db');
 * const db = openSqlite('issuer.db', { kind: 'issuer' });
 * ```
 */
export function createOwnerOnlyFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new SkillpassError('ERR_ALREADY_EXISTS', `${path} already exists`, { cause: err });
    }
    throw err;
  }
}
