import { randomUUID } from 'node:crypto';
import { SkillpassError } from '@skillpass/core';
import type { TKeyType } from '@veramo/core-types';
import {
  AbstractPrivateKeyStore,
  type ImportablePrivateKey,
  type ManagedPrivateKey,
} from '@veramo/key-manager';
import { veramoTables } from './internal/veramo-tables.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { cellAd, type SecretBox } from './secret-box.js';
import type { VeramoStoreOptions } from './sqlite-key-store.js';

interface PrivateKeyRow {
  alias: string;
  type: string;
  private_key: Uint8Array;
}

/**
 * Veramo's private-key store (used by kms-local) on SQLite. `privateKeyHex` is encrypted
 * with the {@link SecretBox}, bound to its table, column and alias.
 */
export class SqlitePrivateKeyStore extends AbstractPrivateKeyStore {
  readonly #db: SqliteDatabase;
  readonly #box: SecretBox;
  readonly #table: string;

  constructor(db: SqliteDatabase, box: SecretBox, options: VeramoStoreOptions = {}) {
    super();
    this.#db = db;
    this.#box = box;
    this.#table = veramoTables(db, options.prefix ?? 'veramo_').privateKeys;
  }

  override async importKey(args: ImportablePrivateKey): Promise<ManagedPrivateKey> {
    if (!args.privateKeyHex || !args.type) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'a private key needs privateKeyHex and type');
    }
    const alias = args.alias || randomUUID();
    const existing = this.#read(alias);
    if (existing !== undefined) {
      if (existing.privateKeyHex !== args.privateKeyHex) {
        throw new SkillpassError(
          'ERR_ALREADY_EXISTS',
          `key_already_exists: a different key has alias ${alias}`,
        );
      }
      return existing;
    }
    const blob = this.#box.encrypt(args.privateKeyHex.toLowerCase(), this.#ad(alias));
    this.#db
      .prepare(`INSERT INTO "${this.#table}" (alias, type, private_key) VALUES (?, ?, ?)`)
      .run(alias, args.type, blob);
    return { alias, type: args.type, privateKeyHex: args.privateKeyHex.toLowerCase() };
  }

  override async getKey({ alias }: { alias: string }): Promise<ManagedPrivateKey> {
    const key = this.#read(alias);
    if (key === undefined) throw new SkillpassError('ERR_NOT_FOUND', `not_found: no private key ${alias}`);
    return key;
  }

  override async deleteKey({ alias }: { alias: string }): Promise<boolean> {
    const result = this.#db.prepare(`DELETE FROM "${this.#table}" WHERE alias = ?`).run(alias);
    if (result.changes === 0) throw new SkillpassError('ERR_NOT_FOUND', `not_found: no private key ${alias}`);
    return true;
  }

  override async listKeys(_args: object = {}): Promise<ManagedPrivateKey[]> {
    return (this.#db.prepare(`SELECT * FROM "${this.#table}" ORDER BY rowid`).all() as PrivateKeyRow[]).map(
      (row) => this.#decode(row),
    );
  }

  #read(alias: string): ManagedPrivateKey | undefined {
    const row = this.#db.prepare(`SELECT * FROM "${this.#table}" WHERE alias = ?`).get(alias) as
      | PrivateKeyRow
      | undefined;
    return row === undefined ? undefined : this.#decode(row);
  }

  #decode(row: PrivateKeyRow): ManagedPrivateKey {
    return {
      alias: row.alias,
      type: row.type as TKeyType,
      privateKeyHex: this.#box.decryptText(row.private_key, this.#ad(row.alias)),
    };
  }

  #ad(alias: string): string {
    return cellAd(this.#table, 'private_key', alias);
  }
}
