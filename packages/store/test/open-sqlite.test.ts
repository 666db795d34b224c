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

  it('refuses a file without an id that records a component version no such file had, unchanged', async () => {
    const dir = tempDir();
    // issuer 4 added the Token Status List tables after files carried the id: with or without them.
    const cases: { name: string; kind: 'wallet' | 'issuer'; set: string; extra?: string }[] = [
      { name: 'issuer-4.db', kind: 'issuer', set: "version = 4 WHERE component = 'issuer'" },
      {
        name: 'issuer-4-tsl.db',
        kind: 'issuer',
        set: "version = 4 WHERE component = 'issuer'",
        extra:
          'CREATE TABLE token_status_lists (id INTEGER PRIMARY KEY); CREATE TABLE token_status_entries (x)',
      },
      { name: 'issuer-99.db', kind: 'issuer', set: "version = 99 WHERE component = 'issuer'" },
      { name: 'wallet-2.db', kind: 'wallet', set: "version = 2 WHERE component = 'wallet'" },
      { name: 'store-2.db', kind: 'wallet', set: "version = 2 WHERE component = 'store'" },
      { name: 'veramo-0.db', kind: 'issuer', set: "version = 0 WHERE component = 'veramo:veramo_'" },
      { name: 'wallet-half.db', kind: 'wallet', set: "version = 1.5 WHERE component = 'wallet'" },
      { name: 'wallet-text.db', kind: 'wallet', set: "version = 'one' WHERE component = 'wallet'" },
    ];
    for (const { name, kind, set, extra } of cases) {
      const path = join(dir, name);
      await earlierStore(path, kind);
      const db = new Database(path);
      db.exec(`UPDATE store_migrations SET ${set}`);
      if (extra !== undefined) db.exec(extra);
      // user_version kept as migrate keeps it (the sum), so only the version itself is wrong.
      const sum = db.prepare('SELECT total(version) AS n FROM store_migrations').get() as { n: number };
      if (Number.isInteger(sum.n)) db.pragma(`user_version = ${sum.n}`);
      db.close();
      const before = snapshot(path);
      expect([name, codeOf(() => openSqlite(path, { kind, mustExist: true }))]).toEqual([
        name,
        'ERR_STORE_CORRUPT',
      ]);
      expect(snapshot(path)).toEqual(before);
    }
    // The last issuer version written without an id, 3, is still an earlier store.
    const three = join(dir, 'issuer-3.db');
    await earlierStore(three, 'issuer');
    const db = new Database(three);
    db.exec("UPDATE store_migrations SET version = 3 WHERE component = 'issuer'");
    db.pragma(
      `user_version = ${(db.prepare('SELECT sum(version) AS n FROM store_migrations').get() as { n: number }).n}`,
    );
    db.close();
    openSqlite(three, { kind: 'issuer', mustExist: true }).close();
    expect(applicationIdOf(three)).toBe(STORE_APPLICATION_IDS.issuer);
  });

  it('property: a file without an id is accepted exactly when its tables and migration rows (with versions) are an earlier store’s', () => {
    const base = [
      'store_meta',
      'store_encrypted_columns',
      'veramo_keys',
      'veramo_private_keys',
      'veramo_dids',
    ];
    const tablesOf: Record<string, string[]> = {
      store: base.slice(0, 2),
      'veramo:veramo_': base.slice(2),
      wallet: ['wallet_credentials'],
      issuer: ['issuer_profile', 'issued_credentials', 'status_lists', 'status_entries', 'audit_log'],
      oid4vci: ['oid4vci_offers', 'oid4vci_tokens', 'oid4vci_nonces', 'oid4vci_settings'],
    };
    // The highest version of each component written before application ids (an independent model).
    const lastEarlier: Record<string, number> = {
      store: 1,
      'veramo:veramo_': 1,
      wallet: 1,
      issuer: 3,
      oid4vci: 1,
    };
    const kinds = {
      wallet: { required: ['store', 'veramo:veramo_', 'wallet'], optional: [] as string[] },
      issuer: { required: ['store', 'veramo:veramo_', 'issuer'], optional: ['oid4vci'] },
    };
    const components = [...Object.keys(tablesOf), 'other'];
    const allTables = [...Object.values(tablesOf).flat(), 'people', 'token_status_lists'];
    const dir = tempDir();
    let n = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('wallet' as const, 'issuer' as const),
        fc.oneof(fc.constant(undefined), fc.subarray(components)),
        fc.array(fc.oneof(fc.constant(1), fc.integer({ min: -1, max: 5 })), { minLength: 6, maxLength: 6 }),
        fc.oneof(fc.constant(undefined), fc.subarray(allTables)),
        fc.boolean(),
        (kind, chosen, versions, chosenTables, sumRight) => {
          const spec = kinds[kind];
          const rows = (chosen ?? spec.required).map((component, i) => ({
            component,
            version: versions[i]!,
          }));
          const tables = chosenTables ?? [...new Set(rows.flatMap((r) => tablesOf[r.component] ?? []))];
          const path = join(dir, `p${n++}.db`);
          const db = new Database(path);
          for (const t of tables) db.exec(`CREATE TABLE "${t}" (x)`);
          db.exec('CREATE TABLE store_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
          for (const r of rows)
            db.prepare('INSERT INTO store_migrations VALUES (?, ?)').run(r.component, r.version);
          const sum = rows.reduce((a, r) => a + r.version, 0);
          db.pragma(`user_version = ${sumRight ? sum : sum + 1}`);
          db.close();
          const names = rows.map((r) => r.component);
          const implied = new Set(['store_migrations', ...names.flatMap((c) => tablesOf[c] ?? [])]);
          const expected =
            sumRight &&
            spec.required.every((c) => names.includes(c)) &&
            names.every((c) => spec.required.includes(c) || spec.optional.includes(c)) &&
            rows.every((r) => r.version >= 1 && r.version <= (lastEarlier[r.component] ?? 0)) &&
            tables.length + 1 === implied.size &&
            tables.every((t) => implied.has(t));
          const before = snapshot(path);
          const code = codeOf(() => openSqlite(path, { kind, mustExist: true }).close());
          if (expected) {
            expect(code).toBeUndefined();
            expect(applicationIdOf(path)).toBe(STORE_APPLICATION_IDS[kind]);
          } else {
            expect(code).toBe('ERR_STORE_CORRUPT');
            expect(snapshot(path)).toEqual(before);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
