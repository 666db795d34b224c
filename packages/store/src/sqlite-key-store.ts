import { SkillpassError } from '@skillpass/core';
import type { IKey, ManagedKeyInfo } from '@veramo/core-types';
import { AbstractKeyStore } from '@veramo/key-manager';
import { veramoTables } from './internal/veramo-tables.js';
import type { SqliteDatabase } from './open-sqlite.js';

/** Options of the SQLite Veramo stores. */
export interface VeramoStoreOptions {
  /** Table-name prefix, so several agents can share one file. Default `veramo_`. */
  prefix?: string;
}

interface KeyRow {
  kid: string;
  kms: string;
  type: string;
  public_key_hex: string;
  meta: string | null;
}

/**
 * Veramo's key store (key metadata: kid, kms, type, public key) on SQLite. Holds no
 * private key material: that lives, encrypted, in {@link SqlitePrivateKeyStore}.
 */
export class SqliteKeyStore extends AbstractKeyStore {
  readonly #db: SqliteDatabase;
  readonly #table: string;

  constructor(db: SqliteDatabase, options: VeramoStoreOptions = {}) {
    super();
    this.#db = db;
    this.#table = veramoTables(db, options.prefix ?? 'veramo_').keys;
  }

  override async importKey(args: Partial<IKey>): Promise<boolean> {
    const { kid, kms, type, publicKeyHex, meta } = args;
    if (!kid || !kms || !type || !publicKeyHex) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'a key needs kid, kms, type and publicKeyHex');
    }
    this.#db
      .prepare(
        `INSERT INTO "${this.#table}" (kid, kms, type, public_key_hex, meta) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(kid) DO UPDATE SET kms = excluded.kms, type = excluded.type,
           public_key_hex = excluded.public_key_hex, meta = excluded.meta`,
      )
      .run(kid, kms, type, publicKeyHex, meta == null ? null : JSON.stringify(meta));
    return true;
  }

  override async getKey({ kid }: { kid: string }): Promise<IKey> {
    const row = this.#db.prepare(`SELECT * FROM "${this.#table}" WHERE kid = ?`).get(kid) as
      | KeyRow
      | undefined;
    if (row === undefined) throw new SkillpassError('ERR_NOT_FOUND', `not_found: no key ${kid}`);
    return toKey(row);
  }

  override async deleteKey({ kid }: { kid: string }): Promise<boolean> {
    const result = this.#db.prepare(`DELETE FROM "${this.#table}" WHERE kid = ?`).run(kid);
    if (result.changes === 0) throw new SkillpassError('ERR_NOT_FOUND', `not_found: no key ${kid}`);
    return true;
  }

  override async listKeys(_args: object = {}): Promise<ManagedKeyInfo[]> {
    return (this.#db.prepare(`SELECT * FROM "${this.#table}" ORDER BY rowid`).all() as KeyRow[]).map(toKey);
  }
}

function toKey(row: KeyRow): IKey {
  const key: IKey = { kid: row.kid, kms: row.kms, type: row.type, publicKeyHex: row.public_key_hex };
  if (row.meta !== null) key.meta = JSON.parse(row.meta) as IKey['meta'];
  return key;
}
