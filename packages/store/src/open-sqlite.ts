import { SkillpassError } from '@skillpass/core';
import Database from 'better-sqlite3';
import { identifyStore, type StoreIdentity, stampStore } from './internal/identify-store.js';
import { type StoreKind, storeKindLabel } from './store-kinds.js';

/** A better-sqlite3 connection, as returned by {@link openSqlite}. */
export type SqliteDatabase = Database.Database;

/** Options of {@link openSqlite}. */
export interface OpenSqliteOptions {
  /** Open read-only; the file must exist. Default false. */
  readonly?: boolean;
  /** Refuse to create the file when it does not exist (ERR_NOT_FOUND). Default false. */
  mustExist?: boolean;
  /** How long a writer waits for another connection's lock, in ms. Default 5,000. */
  busyTimeoutMs?: number;
  /**
   * The kind of store the file must be. Given, the file is identified before anything is
   * written to it or its journal mode changed: by its `application_id` (see
   * `STORE_APPLICATION_IDS`), or, for a file written before stores carried one, by its
   * exact set of tables and migration rows (it then gets the id, in a write transaction that
   * checks again). A foreign SQLite file, or a skillpass store of another kind, is refused with
   * ERR_STORE_CORRUPT and left byte for byte as it was (no `-wal` or `-shm` file created); an
   * empty file is a new store unless `mustExist` or `readonly` (then ERR_NOT_FOUND).
   */
  kind?: StoreKind;
}

/**
 * Open (or create) a SQLite file for skillpass: WAL journal, `synchronous=FULL` so a
 * committed transaction survives a power cut or a SIGKILL, foreign keys on, and a busy
 * timeout so two processes on one file wait instead of failing. `:memory:` works for tests.
 * With `kind`, the file is identified read-only first and refused unchanged when it is not
 * a store of that kind (see {@link OpenSqliteOptions.kind}).
 *
 * @example
 * ```ts
 * const db = openSqlite('wallet.skillpass', { kind: 'wallet', mustExist: true });
 * ```
 * @throws SkillpassError ERR_NOT_FOUND (no such file, not a regular file, or an empty file that
 *   must exist), ERR_STORE_CORRUPT (not a SQLite database, or not a store of `kind`).
 */
export function openSqlite(path: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  const busy = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busy) || busy < 0) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'busyTimeoutMs must be a non-negative integer');
  }
  const kind = path === ':memory:' || path === '' ? undefined : options.kind;
  let found: StoreIdentity | undefined;
  if (kind !== undefined) {
    found = identifyStore(path, kind);
    if ((found === 'missing' || found === 'empty') && (options.mustExist || options.readonly)) {
      throw new SkillpassError(
        'ERR_NOT_FOUND',
        found === 'missing' ? `cannot open database ${path}` : `${path} is not a ${storeKindLabel(kind)}`,
      );
    }
  }
  let db: SqliteDatabase;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.mustExist ?? options.readonly ?? false,
      timeout: busy,
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    // better-sqlite3 reports a missing file (fileMustExist) or folder as a TypeError without a code.
    if (code === 'SQLITE_CANTOPEN' || (err instanceof TypeError && /does not exist/.test(err.message))) {
      throw new SkillpassError('ERR_NOT_FOUND', `cannot open database ${path}`, { cause: err });
    }
    throw new SkillpassError('ERR_STORE_CORRUPT', `cannot open database ${path}`, { cause: err });
  }
  try {
    if (!db.readonly && path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${busy}`);
    // Reading the schema fails fast on a file that is not a SQLite database.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    db.close();
    throw new SkillpassError('ERR_STORE_CORRUPT', `${path} is not a usable SQLite database`, { cause: err });
  }
  if (kind !== undefined && found !== 'ours' && !db.readonly) {
    try {
      // IMMEDIATE: the check and the id are one write transaction, so no other process slips between.
      db.transaction(() => stampStore(db, path, kind)).immediate();
    } catch (err) {
      db.close();
      throw err;
    }
  }
  return db;
}

/** One schema step. Steps of a component run in order, each once, inside a transaction. */
export type Migration = (db: SqliteDatabase) => void;

/**
 * Bring a component's tables up to date. Several components share one file (the Veramo
 * stores, the issuer register, the wallet), so each keeps its own version in
 * `store_migrations`; `PRAGMA user_version` holds the sum over all components, so a
 * plain `sqlite3` shell shows whether a file changed schema. A file written by a newer
 * version (more steps than known) is refused with ERR_STORE_CORRUPT rather than misread;
 * a read-only connection that would need a step throws ERR_UNSUPPORTED.
 *
 * @returns the component's version after migrating (= `steps.length`).
 */
export function migrate(db: SqliteDatabase, component: string, steps: readonly Migration[]): number {
  if (component.length === 0) throw new SkillpassError('ERR_INVALID_OPTIONS', 'component name is empty');
  // Up to date (the common case): answer from a read, without taking the write lock.
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'store_migrations'")
    .get();
  let stored = 0;
  if (hasTable !== undefined) {
    const row = db.prepare('SELECT version FROM store_migrations WHERE component = ?').get(component) as
      | { version: number }
      | undefined;
    if (row?.version === steps.length) return steps.length;
    stored = row?.version ?? 0;
  }
  const run = db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS store_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
    );
    const row = db.prepare('SELECT version FROM store_migrations WHERE component = ?').get(component) as
      | { version: number }
      | undefined;
    const current = row?.version ?? 0;
    if (current > steps.length) {
      throw new SkillpassError(
        'ERR_STORE_CORRUPT',
        `${component} schema version ${current} is newer than this software (${steps.length})`,
      );
    }
    for (let v = current; v < steps.length; v++) steps[v]!(db);
    if (current === steps.length) return current;
    db.prepare(
      'INSERT INTO store_migrations (component, version) VALUES (?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version',
    ).run(component, steps.length);
    const total = db.prepare('SELECT coalesce(sum(version), 0) AS n FROM store_migrations').get() as {
      n: number;
    };
    db.pragma(`user_version = ${total.n}`);
    return steps.length;
  });
  if (db.readonly && stored < steps.length) {
    throw new SkillpassError(
      'ERR_UNSUPPORTED',
      `${component} tables need creating or upgrading, which a read-only connection cannot do: open the file writable once`,
    );
  }
  // IMMEDIATE: two processes opening a fresh file at once must not both run step 1.
  return run.immediate();
}
