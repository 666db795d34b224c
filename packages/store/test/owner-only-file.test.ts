import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSkillpassError } from '@skillpass/core';
import { createOwnerOnlyFile, openSqlite } from '@skillpass/store';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return isSkillpassError(err) ? err.code : `not a SkillpassError: ${String(err)}`;
  }
  return undefined;
};

describe('createOwnerOnlyFile', () => {
  it('creates an empty file only its owner can read or write, whatever the umask', () => {
    const previous = process.umask(0);
    try {
      const path = join(tempDir(), 'store.db');
      createOwnerOnlyFile(path);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(path).size).toBe(0);
    } finally {
      process.umask(previous);
    }
  });

  it('gives SQLite a file whose -wal and -shm are owner-only too', () => {
    const path = join(tempDir(), 'store.db');
    createOwnerOnlyFile(path);
    const db = openSqlite(path);
    db.exec('CREATE TABLE t (x)');
    db.prepare('INSERT INTO t VALUES (1)').run();
    for (const file of [path, `${path}-wal`, `${path}-shm`])
      expect(statSync(file).mode & 0o077, file).toBe(0);
    db.close();
  });

  it('refuses an existing file, directory or link with ERR_ALREADY_EXISTS and leaves it unchanged', () => {
    const dir = tempDir();
    const file = join(dir, 'taken');
    writeFileSync(file, 'keep me', { mode: 0o644 });
    mkdirSync(join(dir, 'folder'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'link'));
    expect(codeOf(() => createOwnerOnlyFile(file))).toBe('ERR_ALREADY_EXISTS');
    expect(codeOf(() => createOwnerOnlyFile(join(dir, 'folder')))).toBe('ERR_ALREADY_EXISTS');
    // a dangling link is not followed: the file it points at is not created
    expect(codeOf(() => createOwnerOnlyFile(join(dir, 'link')))).toBe('ERR_ALREADY_EXISTS');
    expect(() => statSync(join(dir, 'elsewhere'))).toThrow();
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });
});
