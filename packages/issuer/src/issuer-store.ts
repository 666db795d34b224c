import { randomInt } from 'node:crypto';
import {
  type CredentialFormat,
  createBitstring,
  type KeyType,
  SkillpassError,
  setStatusBit,
} from '@skillpass/core';
import { migrate, type SqliteDatabase } from '@skillpass/store';
import { Mutex } from './internal/mutex.js';
import type { StatusPurpose } from './status-list.js';

/** The issuer's own settings, fixed at `initIssuer`. */
/**
 * Who issues: an assessment `centre` (assesses skills; a trust registry accredits it per skill),
 * or an `employer` (attests what a worker learned on the job, by workplace observation; a trust
 * registry lists it under `employers`). Both use the same store, register and status lists.
 */
export type IssuerRole = 'centre' | 'employer';

export interface IssuerProfileRecord {
  did: string;
  name: string;
  /** Default `centre` (every store created before roles is a centre). */
  role?: IssuerRole;
  url?: string;
  /**
   * Lists are published at `<statusBaseUrl>/<list number>`. Absent for an issuer created
   * without status lists (a did:key without `statusBaseUrl`): its credentials carry no
   * `credentialStatus`, so they cannot be revoked or suspended.
   */
  statusBaseUrl?: string;
  keyType: KeyType;
  /** Entries per status list (≥ 131,072, a multiple of 8). */
  listSize: number;
  /** `ttl` written into published lists, in ms. */
  statusTtlMs: number;
  createdAt: string;
}

/** A status list index handed to one credential. */
export interface StatusAllocation {
  purpose: StatusPurpose;
  /** List number (the last segment of its URL). */
  listId: number;
  listUrl: string;
  index: number;
}

/** One credential to allocate status for and register. */
export interface IssueRequest {
  /** The credential id it will carry (= JWT `jti`). */
  credentialId: string;
  /** One status entry per purpose, at most once each. */
  purposes: readonly StatusPurpose[];
}

/** What the register keeps about an issued credential. */
export interface RegisterInput {
  /** Credential id (= JWT `jti`). */
  id: string;
  subject: string;
  skillUri: string;
  skillName: string;
  level: number | null;
  format: CredentialFormat;
  validFrom: string;
  validUntil: string | null;
  issuedAt: string;
}

/** A register entry with its status. */
export interface IssuedRecord extends RegisterInput {
  status: StatusAllocation[];
  /** When it was revoked, or null. */
  revokedAt: string | null;
  suspended: boolean;
}

/** A revocation, suspension or unsuspension, as requested. */
export interface StatusChange {
  action: 'revoke' | 'suspend' | 'unsuspend';
  /** ISO date-time. */
  at: string;
  /** Who asked (a user name, an API client). */
  actor?: string;
  reason?: string;
}

/** One line of the audit log. */
export interface AuditEntry {
  seq: number;
  credentialId: string;
  action: StatusChange['action'];
  at: string;
  actor: string | null;
  reason: string | null;
}

/** A status list as stored. */
export interface StatusListRecord {
  listId: number;
  url: string;
  purpose: StatusPurpose;
  size: number;
  /** Indexes handed out so far. */
  allocated: number;
  bits: Uint8Array;
  /** Bumped on every bit change: a cache key for signed copies. */
  version: number;
  updatedAt: string;
}

/**
 * The issuer's durable state: profile, register of issued credentials, status lists and
 * their bits, and the audit log. Implemented on SQLite by {@link SqliteIssuerStore}; a
 * PostgreSQL implementation keeps the same contract (every method atomic; `issue` runs
 * allocation, signing and registration as one transaction; reads see committed state only,
 * never the rows of an `issue` still signing).
 */
export interface IssuerStore {
  /** The profile written by `initIssuer`, or undefined in a store that is not set up. */
  readProfile(): Promise<IssuerProfileRecord | undefined>;
  /** Write the profile once; ERR_ALREADY_EXISTS when there is one. */
  writeProfile(profile: IssuerProfileRecord): Promise<void>;
  /**
   * In ONE transaction, for each request: allocate a random, never-used index in a list of each
   * purpose, call `sign` with them (it builds and signs the credential), and register the
   * result. All or nothing: if any `sign` throws, or the process dies before commit, nothing
   * is kept and no token was handed out. A batch shares one commit (one fsync). A store whose
   * profile has no `statusBaseUrl` registers requests with no purposes and refuses any other
   * with ERR_UNSUPPORTED.
   */
  issue<T>(
    requests: readonly IssueRequest[],
    sign: (allocations: StatusAllocation[], index: number) => Promise<{ record: RegisterInput; result: T }>,
  ): Promise<{ record: IssuedRecord; result: T }[]>;
  /** A register entry by credential id (`urn:uuid:…`, or the bare uuid). */
  getIssued(id: string): Promise<IssuedRecord | undefined>;
  /** The register, oldest first; optionally only one subject's credentials. */
  listIssued(filter?: { subject?: string }): Promise<IssuedRecord[]>;
  /**
   * Apply a revocation/suspension/unsuspension: bit, register and audit log in one
   * transaction. `changed` is false when it was already in that state (no audit line).
   * Throws ERR_NOT_FOUND for an unknown id, ERR_UNSUPPORTED when the credential has no
   * entry of that purpose or is revoked (revocation is final), or when the issuer was created
   * without status lists (no `statusBaseUrl`).
   */
  changeStatus(id: string, change: StatusChange): Promise<{ record: IssuedRecord; changed: boolean }>;
  /** Every status list with its bits and change counter, by list number. */
  listStatusLists(): Promise<StatusListRecord[]>;
  /** One status list by number, or undefined when there is none. */
  getStatusList(listId: number): Promise<StatusListRecord | undefined>;
  /** The audit log, oldest first; optionally for one credential. */
  auditLog(credentialId?: string): Promise<AuditEntry[]>;
}

/** Why revoke, suspend and status entries are refused by an issuer created without status lists. */
const WITHOUT_STATUS_LISTS =
  'this issuer was created without status lists (no statusBaseUrl): its credentials cannot be revoked or suspended';

/** Lists are filled to 7/8 before a new one starts, so random probing stays cheap. */
const FILL_NUMERATOR = 7;
const FILL_DENOMINATOR = 8;
const MAX_PROBES = 10_000;

interface CredentialRow {
  id: string;
  subject: string;
  skill_uri: string;
  skill_name: string;
  level: number | null;
  format: string;
  valid_from: string;
  valid_until: string | null;
  issued_at: string;
  revoked_at: string | null;
  suspended: number;
}

interface ListRow {
  id: number;
  url: string;
  purpose: string;
  size: number;
  allocated: number;
  bits: Uint8Array;
  version: number;
  updated_at: string;
}

/** The issuer tables, component `issuer` (see `migrate` in @skillpass/store). */
function migrateIssuerTables(db: SqliteDatabase): void {
  migrate(db, 'issuer', [
    (d) => {
      d.exec(`
        CREATE TABLE issuer_profile (
          singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
          did TEXT NOT NULL,
          name TEXT NOT NULL,
          url TEXT,
          status_base_url TEXT NOT NULL,
          key_type TEXT NOT NULL,
          list_size INTEGER NOT NULL,
          status_ttl_ms INTEGER NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE issued_credentials (
          id TEXT PRIMARY KEY,
          subject TEXT NOT NULL,
          skill_uri TEXT NOT NULL,
          skill_name TEXT NOT NULL,
          level INTEGER,
          format TEXT NOT NULL,
          valid_from TEXT NOT NULL,
          valid_until TEXT,
          issued_at TEXT NOT NULL,
          revoked_at TEXT,
          suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1))
        ) STRICT;
        CREATE INDEX issued_credentials_subject ON issued_credentials (subject);
        CREATE TABLE status_lists (
          id INTEGER PRIMARY KEY,
          url TEXT NOT NULL UNIQUE,
          purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
          size INTEGER NOT NULL,
          allocated INTEGER NOT NULL DEFAULT 0,
          bits BLOB NOT NULL,
          version INTEGER NOT NULL DEFAULT 0,
          updated_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE status_entries (
          list_id INTEGER NOT NULL REFERENCES status_lists (id),
          idx INTEGER NOT NULL,
          purpose TEXT NOT NULL,
          credential_id TEXT NOT NULL REFERENCES issued_credentials (id) DEFERRABLE INITIALLY DEFERRED,
          PRIMARY KEY (list_id, idx),
          UNIQUE (credential_id, purpose)
        ) STRICT;
        CREATE TABLE audit_log (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          credential_id TEXT NOT NULL REFERENCES issued_credentials (id),
          action TEXT NOT NULL CHECK (action IN ('revoke', 'suspend', 'unsuspend')),
          at TEXT NOT NULL,
          actor TEXT,
          reason TEXT
        ) STRICT;
      `);
    },
    (d) => {
      // An issuer without status lists has no base URL: the column becomes nullable. SQLite
      // cannot drop NOT NULL in place, so the one-row table is rebuilt (nothing references it).
      d.exec(`
        CREATE TABLE issuer_profile_v2 (
          singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
          did TEXT NOT NULL,
          name TEXT NOT NULL,
          url TEXT,
          status_base_url TEXT,
          key_type TEXT NOT NULL,
          list_size INTEGER NOT NULL,
          status_ttl_ms INTEGER NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        INSERT INTO issuer_profile_v2 (singleton, did, name, url, status_base_url, key_type, list_size, status_ttl_ms, created_at)
          SELECT singleton, did, name, url, status_base_url, key_type, list_size, status_ttl_ms, created_at FROM issuer_profile;
        DROP TABLE issuer_profile;
        ALTER TABLE issuer_profile_v2 RENAME TO issuer_profile;
      `);
    },
    (d) => {
      // Issue 15: an employer issues workplace attestations from the same kind of store.
      d.exec(
        "ALTER TABLE issuer_profile ADD COLUMN role TEXT NOT NULL DEFAULT 'centre' CHECK (role IN ('centre', 'employer'))",
      );
    },
  ]);
}

/**
 * {@link IssuerStore} on one SQLite file (the same file as the issuer's Veramo keys). Status
 * indexes are drawn at random (herd privacy) and recorded under a primary key, so an index is
 * never handed out twice, also across restarts and crashes.
 */
export class SqliteIssuerStore implements IssuerStore {
  readonly #db: SqliteDatabase;
  readonly #mutex = new Mutex();

  /** Wrap an open database (see openSqlite), creating or upgrading the issuer tables. */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    migrateIssuerTables(db);
  }

  async readProfile(): Promise<IssuerProfileRecord | undefined> {
    return this.#read(() => this.#profile());
  }

  async writeProfile(profile: IssuerProfileRecord): Promise<void> {
    await this.#mutex.run(async () => {
      if (this.#profile() !== undefined)
        throw new SkillpassError('ERR_ALREADY_EXISTS', 'this issuer store is already set up');
      this.#db
        .prepare(
          `INSERT INTO issuer_profile (singleton, did, name, role, url, status_base_url, key_type, list_size, status_ttl_ms, created_at)
           VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          profile.did,
          profile.name,
          profile.role ?? 'centre',
          profile.url ?? null,
          profile.statusBaseUrl ?? null,
          profile.keyType,
          profile.listSize,
          profile.statusTtlMs,
          profile.createdAt,
        );
    });
  }

  async issue<T>(
    requests: readonly IssueRequest[],
    sign: (allocations: StatusAllocation[], index: number) => Promise<{ record: RegisterInput; result: T }>,
  ): Promise<{ record: IssuedRecord; result: T }[]> {
    return this.#mutex.run(async () => {
      const db = this.#db;
      db.exec('BEGIN IMMEDIATE');
      try {
        const profile = this.#profile();
        if (profile === undefined)
          throw new SkillpassError('ERR_NOT_FOUND', 'this issuer store is not set up');
        const lists =
          profile.statusBaseUrl === undefined
            ? undefined
            : { baseUrl: profile.statusBaseUrl.replace(/\/+$/, ''), size: profile.listSize };
        const register = db.prepare(
          `INSERT INTO issued_credentials (id, subject, skill_uri, skill_name, level, format, valid_from, valid_until, issued_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        const out: { record: IssuedRecord; result: T }[] = [];
        for (const [i, request] of requests.entries()) {
          if (new Set(request.purposes).size !== request.purposes.length) {
            throw new SkillpassError('ERR_INVALID_OPTIONS', 'each status purpose at most once');
          }
          if (request.purposes.length > 0 && lists === undefined) {
            throw new SkillpassError('ERR_UNSUPPORTED', WITHOUT_STATUS_LISTS);
          }
          const allocations =
            lists === undefined
              ? []
              : request.purposes.map((purpose) => this.#allocate(lists, purpose, request.credentialId));
          const { record, result } = await sign(allocations, i);
          if (record.id !== request.credentialId) {
            throw new SkillpassError(
              'ERR_INVALID_OPTIONS',
              'the signed credential id differs from the allocated one',
            );
          }
          register.run(
            record.id,
            record.subject,
            record.skillUri,
            record.skillName,
            record.level,
            record.format,
            record.validFrom,
            record.validUntil,
            record.issuedAt,
          );
          out.push({ record: { ...record, status: allocations, revokedAt: null, suspended: false }, result });
        }
        db.exec('COMMIT');
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        const code = (err as { code?: string }).code;
        if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new SkillpassError('ERR_ALREADY_EXISTS', 'a credential id is already registered', {
            cause: err,
          });
        }
        throw err;
      }
    });
  }

  async getIssued(id: string): Promise<IssuedRecord | undefined> {
    return this.#read(() => {
      const row = this.#findRow(id);
      return row === undefined ? undefined : this.#toRecord(row);
    });
  }

  async listIssued(filter: { subject?: string } = {}): Promise<IssuedRecord[]> {
    return this.#read(() => {
      const rows = this.#db
        .prepare(
          'SELECT * FROM issued_credentials WHERE (@subject IS NULL OR subject = @subject) ORDER BY issued_at, rowid',
        )
        .all({ subject: filter.subject ?? null }) as CredentialRow[];
      return rows.map((r) => this.#toRecord(r));
    });
  }

  async changeStatus(id: string, change: StatusChange): Promise<{ record: IssuedRecord; changed: boolean }> {
    return this.#mutex.run(async () =>
      this.#db
        .transaction(() => {
          const profile = this.#profile();
          if (profile !== undefined && profile.statusBaseUrl === undefined) {
            throw new SkillpassError('ERR_UNSUPPORTED', WITHOUT_STATUS_LISTS);
          }
          const row = this.#findRow(id);
          if (row === undefined)
            throw new SkillpassError('ERR_NOT_FOUND', `no credential ${id} in the register`);
          const purpose: StatusPurpose = change.action === 'revoke' ? 'revocation' : 'suspension';
          const entry = this.#entries(row.id).find((e) => e.purpose === purpose);
          if (row.revoked_at !== null && change.action !== 'revoke') {
            throw new SkillpassError('ERR_UNSUPPORTED', `${row.id} is revoked; revocation is final`);
          }
          if (entry === undefined) {
            throw new SkillpassError(
              'ERR_UNSUPPORTED',
              change.action === 'revoke'
                ? `${row.id} was issued without a revocation entry`
                : `${row.id} was issued without a suspension entry (issue with suspendable: true / --suspendable)`,
            );
          }
          const target = change.action !== 'unsuspend';
          const current = change.action === 'revoke' ? row.revoked_at !== null : row.suspended === 1;
          if (current === target) return { record: this.#toRecord(row), changed: false };
          const list = this.#db
            .prepare('SELECT * FROM status_lists WHERE id = ?')
            .get(entry.listId) as ListRow;
          const bits = new Uint8Array(list.bits);
          setStatusBit(bits, entry.index, target);
          this.#db
            .prepare('UPDATE status_lists SET bits = ?, version = version + 1, updated_at = ? WHERE id = ?')
            .run(bits, change.at, list.id);
          if (change.action === 'revoke') {
            this.#db
              .prepare('UPDATE issued_credentials SET revoked_at = ? WHERE id = ?')
              .run(change.at, row.id);
          } else {
            this.#db
              .prepare('UPDATE issued_credentials SET suspended = ? WHERE id = ?')
              .run(target ? 1 : 0, row.id);
          }
          this.#db
            .prepare(
              'INSERT INTO audit_log (credential_id, action, at, actor, reason) VALUES (?, ?, ?, ?, ?)',
            )
            .run(row.id, change.action, change.at, change.actor ?? null, change.reason ?? null);
          return { record: this.#toRecord(this.#findRow(row.id)!), changed: true };
        })
        .immediate(),
    );
  }

  async listStatusLists(): Promise<StatusListRecord[]> {
    return this.#read(() =>
      (this.#db.prepare('SELECT * FROM status_lists ORDER BY id').all() as ListRow[]).map(toListRecord),
    );
  }

  async getStatusList(listId: number): Promise<StatusListRecord | undefined> {
    return this.#read(() => {
      const row = this.#db.prepare('SELECT * FROM status_lists WHERE id = ?').get(listId) as
        | ListRow
        | undefined;
      return row === undefined ? undefined : toListRecord(row);
    });
  }

  async auditLog(credentialId?: string): Promise<AuditEntry[]> {
    return this.#read(() => this.#auditLog(credentialId));
  }

  /**
   * Run a read under the mutex: `issue` keeps its transaction open across `await sign()` on
   * this same connection, so an unguarded read would see rows that a rollback then removes
   * (and a status list could be signed and served from them).
   */
  #read<T>(fn: () => T): Promise<T> {
    return this.#mutex.run(async () => fn());
  }

  #auditLog(credentialId: string | undefined): AuditEntry[] {
    const id = credentialId === undefined ? null : (this.#findRow(credentialId)?.id ?? credentialId);
    const rows = this.#db
      .prepare('SELECT * FROM audit_log WHERE (@id IS NULL OR credential_id = @id) ORDER BY seq')
      .all({ id }) as {
      seq: number;
      credential_id: string;
      action: string;
      at: string;
      actor: string | null;
      reason: string | null;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      credentialId: r.credential_id,
      action: r.action as StatusChange['action'],
      at: r.at,
      actor: r.actor,
      reason: r.reason,
    }));
  }

  /** Pick a random free index in the open list of this purpose (a new list when full). Inside the transaction. */
  #allocate(
    lists: { baseUrl: string; size: number },
    purpose: StatusPurpose,
    credentialId: string,
  ): StatusAllocation {
    const sql = this.#allocSql();
    // Only id/url/size: the 16 KiB bits are not needed to pick an index.
    let list = sql.openList.get(purpose) as { id: number; url: string; size: number } | undefined;
    if (list === undefined) {
      const next = (sql.nextListId.get() as { n: number }).n;
      list = {
        id: next,
        url: `${lists.baseUrl}/${next}`,
        size: lists.size,
      };
      sql.insertList.run(
        list.id,
        list.url,
        purpose,
        list.size,
        createBitstring(list.size),
        new Date().toISOString(),
      );
    }
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const index = randomInt(list.size);
      if (sql.taken.get(list.id, index) !== undefined) continue;
      sql.insertEntry.run(list.id, index, purpose, credentialId);
      sql.countAllocation.run(list.id);
      return { purpose, listId: list.id, listUrl: list.url, index };
    }
    throw new SkillpassError('ERR_STORE_CORRUPT', `no free index found in status list ${list.id}`);
  }

  #allocStatements: ReturnType<typeof prepareAllocation> | undefined;

  #allocSql(): ReturnType<typeof prepareAllocation> {
    this.#allocStatements ??= prepareAllocation(this.#db);
    return this.#allocStatements;
  }

  #profile(): IssuerProfileRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM issuer_profile WHERE singleton = 1').get() as
      | {
          did: string;
          name: string;
          role: IssuerRole;
          url: string | null;
          status_base_url: string | null;
          key_type: string;
          list_size: number;
          status_ttl_ms: number;
          created_at: string;
        }
      | undefined;
    if (row === undefined) return undefined;
    return {
      did: row.did,
      name: row.name,
      role: row.role,
      ...(row.url === null ? {} : { url: row.url }),
      ...(row.status_base_url === null ? {} : { statusBaseUrl: row.status_base_url }),
      keyType: row.key_type as KeyType,
      listSize: row.list_size,
      statusTtlMs: row.status_ttl_ms,
      createdAt: row.created_at,
    };
  }

  #findRow(id: string): CredentialRow | undefined {
    const get = this.#db.prepare('SELECT * FROM issued_credentials WHERE id = ?');
    return (get.get(id) ?? (id.includes(':') ? undefined : get.get(`urn:uuid:${id}`))) as
      | CredentialRow
      | undefined;
  }

  #entries(credentialId: string): StatusAllocation[] {
    const rows = this.#db
      .prepare(
        `SELECT e.purpose, e.list_id, e.idx, l.url FROM status_entries e JOIN status_lists l ON l.id = e.list_id
         WHERE e.credential_id = ? ORDER BY e.purpose`,
      )
      .all(credentialId) as { purpose: string; list_id: number; idx: number; url: string }[];
    return rows.map((r) => ({
      purpose: r.purpose as StatusPurpose,
      listId: r.list_id,
      listUrl: r.url,
      index: r.idx,
    }));
  }

  #toRecord(row: CredentialRow): IssuedRecord {
    return {
      id: row.id,
      subject: row.subject,
      skillUri: row.skill_uri,
      skillName: row.skill_name,
      level: row.level,
      format: row.format as RegisterInput['format'],
      validFrom: row.valid_from,
      validUntil: row.valid_until,
      issuedAt: row.issued_at,
      status: this.#entries(row.id),
      revokedAt: row.revoked_at,
      suspended: row.suspended === 1,
    };
  }
}

function toListRecord(row: ListRow): StatusListRecord {
  return {
    listId: row.id,
    url: row.url,
    purpose: row.purpose as StatusPurpose,
    size: row.size,
    allocated: row.allocated,
    bits: new Uint8Array(row.bits),
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** The statements of index allocation, prepared once per store. */
function prepareAllocation(db: SqliteDatabase) {
  return {
    openList: db.prepare(
      `SELECT id, url, size FROM status_lists
       WHERE purpose = ? AND allocated * ${FILL_DENOMINATOR} < size * ${FILL_NUMERATOR}
       ORDER BY id DESC LIMIT 1`,
    ),
    nextListId: db.prepare('SELECT coalesce(max(id), 0) + 1 AS n FROM status_lists'),
    insertList: db.prepare(
      'INSERT INTO status_lists (id, url, purpose, size, allocated, bits, version, updated_at) VALUES (?, ?, ?, ?, 0, ?, 0, ?)',
    ),
    taken: db.prepare('SELECT 1 FROM status_entries WHERE list_id = ? AND idx = ?'),
    insertEntry: db.prepare(
      'INSERT INTO status_entries (list_id, idx, purpose, credential_id) VALUES (?, ?, ?, ?)',
    ),
    countAllocation: db.prepare('UPDATE status_lists SET allocated = allocated + 1 WHERE id = ?'),
  };
}
