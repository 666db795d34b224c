import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSkillpassError } from '@skillpass/core';
import {
  createDidKeyIdentifier,
  createSecretBox,
  createSkillpassAgent,
  migrate,
  openSqlite,
  STORE_APPLICATION_IDS,
  type StoreKind,
} from '@skillpass/store';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEST_KDF, tempDir } from './helpers.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isSkillpassError(err) ? err.code : `not a SkillpassError: ${String(err)}`;
  }
  return undefined;
}

/** Everything a refusal must leave as it was: the bytes, the mtime, and the directory listing. */
function snapshot(path: string) {
  const dir = join(path, '..');
  return {
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    mtimeMs: statSync(path).mtimeMs,
    files: readdirSync(dir).sort(),
  };
}

function applicationIdOf(path: string): number {
  return readFileSync(path).readInt32BE(68);
}

/** A store of `kind` as versions before application ids wrote it: the tables, no id. */
async function earlierStore(path: string, kind: 'wallet' | 'issuer'): Promise<void> {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const box = await createSecretBox(db, 'passphrase', TEST_KDF);
  await createDidKeyIdentifier(createSkillpassAgent({ db, box }));
  if (kind === 'wallet') {
    migrate(db, 'wallet', [
      (d) => d.exec('CREATE TABLE wallet_credentials (row_key TEXT PRIMARY KEY, record BLOB)'),
    ]);
  } else {
    migrate(db, 'issuer', [
      (d) =>
        d.exec(`CREATE TABLE issuer_profile (singleton INTEGER PRIMARY KEY);
          CREATE TABLE issued_credentials (id TEXT PRIMARY KEY);
          CREATE TABLE status_lists (id INTEGER PRIMARY KEY);
          CREATE TABLE status_entries (list_id INTEGER);
          CREATE TABLE audit_log (seq INTEGER PRIMARY KEY AUTOINCREMENT)`),
      () => {},
    ]);
  }
  db.close();
}

/** A SQLite database skillpass did not write (an address book). */
function foreignDatabase(path: string, options: { wal?: boolean; applicationId?: number } = {}): void {
  const db = new Database(path);
  if (options.wal) db.pragma('journal_mode = WAL');
  if (options.applicationId !== undefined) db.pragma(`application_id = ${options.applicationId}`);
  db.exec("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('Ada')");
  db.close();
}

describe('openSqlite with a kind: identified before anything is written', () => {
  it('a new store gets its kind’s application id and opens again', () => {
    const dir = tempDir();
    for (const kind of ['wallet', 'issuer', 'verifier'] as const) {
      const path = join(dir, `${kind}.db`);
      const db = openSqlite(path, { kind });
      db.exec('CREATE TABLE t (x)');
      db.close();
      expect(applicationIdOf(path)).toBe(STORE_APPLICATION_IDS[kind]);
      openSqlite(path, { kind, mustExist: true }).close();
    }
    expect(new Set(Object.values(STORE_APPLICATION_IDS)).size).toBe(3);
  });

  it.each([
    ['rollback journal', {}],
    ['WAL', { wal: true }],
    ['another application id', { applicationId: 0x12345678 }],
  ])('refuses a foreign SQLite database (%s) unchanged, with no -wal or -shm left', (_name, options) => {
    const dir = tempDir();
    const path = join(dir, 'addresses.db');
    foreignDatabase(path, options);
    const before = snapshot(path);
    for (const kind of ['wallet', 'issuer', 'verifier'] as const) {
      for (const mustExist of [true, false]) {
        expect(codeOf(() => openSqlite(path, { kind, mustExist }))).toBe('ERR_STORE_CORRUPT');
      }
    }
    expect(snapshot(path)).toEqual(before);
  });

  it('refuses a store of another kind unchanged (wallet ↔ issuer ↔ verifier)', () => {
    const dir = tempDir();
    const kinds: StoreKind[] = ['wallet', 'issuer', 'verifier'];
    for (const kind of kinds) {
      const path = join(dir, `${kind}.db`);
      const db = openSqlite(path, { kind });
      db.exec('CREATE TABLE t (x)');
      db.close();
      const before = snapshot(path);
      for (const other of kinds.filter((k) => k !== kind)) {
        expect(codeOf(() => openSqlite(path, { kind: other, mustExist: true }))).toBe('ERR_STORE_CORRUPT');
        expect(codeOf(() => openSqlite(path, { kind: other, readonly: true }))).toBe('ERR_STORE_CORRUPT');
      }
      expect(snapshot(path)).toEqual(before);
    }
  });

  it('refuses an earlier wallet as an issuer store and an earlier issuer store as a wallet, unchanged', async () => {
    const dir = tempDir();
    const wallet = join(dir, 'wallet.skillpass');
    const issuer = join(dir, 'issuer.db');
    await earlierStore(wallet, 'wallet');
    await earlierStore(issuer, 'issuer');
    const before = [snapshot(wallet), snapshot(issuer)];
    expect(codeOf(() => openSqlite(wallet, { kind: 'issuer', mustExist: true }))).toBe('ERR_STORE_CORRUPT');
    expect(codeOf(() => openSqlite(issuer, { kind: 'wallet', mustExist: true }))).toBe('ERR_STORE_CORRUPT');
    expect([snapshot(wallet), snapshot(issuer)]).toEqual(before);
  });

  it('accepts an earlier-version store by its exact tables and gives it the id', async () => {
    const dir = tempDir();
    for (const kind of ['wallet', 'issuer'] as const) {
      const path = join(dir, `${kind}-earlier.db`);
      await earlierStore(path, kind);
      expect(applicationIdOf(path)).toBe(0);
      // Read-only: accepted, the file not written (SQLite's read-only WAL access may add -wal/-shm).
      const before = snapshot(path);
      openSqlite(path, { kind, readonly: true }).close();
      expect({ ...snapshot(path), files: before.files }).toEqual(before);
      expect(applicationIdOf(path)).toBe(0);
      // Writable: accepted and stamped, the data kept.
      const db = openSqlite(path, { kind, mustExist: true });
      expect(db.pragma('application_id', { simple: true })).toBe(STORE_APPLICATION_IDS[kind]);
      expect((db.prepare('SELECT count(*) AS n FROM veramo_keys').get() as { n: number }).n).toBe(1);
      db.close();
      expect(applicationIdOf(path)).toBe(STORE_APPLICATION_IDS[kind]);
    }
  });

  it('refuses an earlier-looking store with one table more, or a wrong user_version, unchanged', async () => {
    const dir = tempDir();
    const extra = join(dir, 'extra.db');
    await earlierStore(extra, 'wallet');
    const db = new Database(extra);
    db.exec('CREATE TABLE something_else (x)');
    db.close();
    const version = join(dir, 'version.db');
    await earlierStore(version, 'issuer');
    const db2 = new Database(version);
    db2.pragma('user_version = 99');
    db2.close();
    for (const [path, kind] of [
      [extra, 'wallet'],
      [version, 'issuer'],
    ] as const) {
      const before = snapshot(path);
      expect(codeOf(() => openSqlite(path, { kind, mustExist: true }))).toBe('ERR_STORE_CORRUPT');
      expect(snapshot(path)).toEqual(before);
    }
  });

  it('identifies a store another connection holds open in WAL mode (-wal present)', () => {
    const dir = tempDir();
    const path = join(dir, 'issuer.db');
    const holder = openSqlite(path, { kind: 'issuer' });
    holder.exec('CREATE TABLE t (x)');
    const second = openSqlite(path, { kind: 'issuer', mustExist: true });
    expect(codeOf(() => openSqlite(path, { kind: 'wallet', mustExist: true }))).toBe('ERR_STORE_CORRUPT');
    second.close();
    holder.close();
  });

  it('refuses what is not a SQLite store: text, a FIFO, a directory, an empty file that must exist', () => {
    const dir = tempDir();
    const text = join(dir, 'notes.txt');
    writeFileSync(
      text,
      'not a database at all, just text that is long enough to look like something '.repeat(3),
    );
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const before = [snapshot(text), snapshot(empty)];
    expect(codeOf(() => openSqlite(text, { kind: 'wallet' }))).toBe('ERR_STORE_CORRUPT');
    expect(codeOf(() => openSqlite(empty, { kind: 'wallet', mustExist: true }))).toBe('ERR_NOT_FOUND');
    expect(codeOf(() => openSqlite(empty, { kind: 'issuer', readonly: true }))).toBe('ERR_NOT_FOUND');
    expect(codeOf(() => openSqlite(folder, { kind: 'issuer' }))).toBe('ERR_NOT_FOUND');
    expect(codeOf(() => openSqlite(fifo, { kind: 'issuer', mustExist: true }))).toBe('ERR_NOT_FOUND');
    expect(codeOf(() => openSqlite(join(dir, 'missing.db'), { kind: 'wallet', mustExist: true }))).toBe(
      'ERR_NOT_FOUND',
    );
    expect([snapshot(text), snapshot(empty)]).toEqual(before);
    // An empty file that may be created becomes a new store.
    openSqlite(empty, { kind: 'wallet' }).close();
    expect(applicationIdOf(empty)).toBe(STORE_APPLICATION_IDS.wallet);
  });

  it('property: a file without an id is accepted exactly when its tables and migration rows are an earlier store’s', () => {
    const walletTables = [
      'store_meta',
      'store_encrypted_columns',
      'veramo_keys',
      'veramo_private_keys',
      'veramo_dids',
      'wallet_credentials',
    ];
    const components = ['store', 'veramo:veramo_', 'wallet', 'issuer', 'other'];
    const dir = tempDir();
    let n = 0;
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(walletTables), fc.subarray([...walletTables, 'issuer_profile', 'people'])),
        fc.oneof(fc.constant(['store', 'veramo:veramo_', 'wallet']), fc.subarray(components)),
        fc.boolean(),
        (tables, rows, sumRight) => {
          const path = join(dir, `p${n++}.db`);
          const db = new Database(path);
          for (const t of tables) db.exec(`CREATE TABLE "${t}" (x)`);
          db.exec('CREATE TABLE store_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
          for (const c of rows) db.prepare('INSERT INTO store_migrations VALUES (?, 1)').run(c);
          db.pragma(`user_version = ${sumRight ? rows.length : rows.length + 1}`);
          db.close();
          const expected =
            sumRight &&
            [...rows].sort().join() === ['store', 'veramo:veramo_', 'wallet'].sort().join() &&
            [...tables].sort().join() === [...walletTables].sort().join();
          const before = snapshot(path);
          const code = codeOf(() => openSqlite(path, { kind: 'wallet', mustExist: true }).close());
          if (expected) {
            expect(code).toBeUndefined();
            expect(applicationIdOf(path)).toBe(STORE_APPLICATION_IDS.wallet);
          } else {
            expect(code).toBe('ERR_STORE_CORRUPT');
            expect(snapshot(path)).toEqual(before);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
