import { randomUUID } from 'node:crypto';
import { type ErrorCode, isSkillpassError, SkillpassError } from '@skillpass/core';
import type { TKeyType } from '@veramo/core-types';
import {
  AbstractPrivateKeyStore,
  type ImportablePrivateKey,
  type ManagedPrivateKey,
} from '@veramo/key-manager';
import { veramoTables } from './internal/veramo-tables.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { assertBoxFits, cellAd, type SecretBox } from './secret-box.js';
import type { VeramoStoreOptions } from './sqlite-key-store.js';

interface PrivateKeyRow {
  alias: string;
  type: string;
  private_key: Uint8Array;
}

/** Options of {@link SqlitePrivateKeyStore}. */
export interface SqlitePrivateKeyStoreOptions extends VeramoStoreOptions {
  /**
   * Thrown when the box no longer opens the store (another connection re-keyed it).
   * Default ERR_STORE_LOCKED; the wallet passes ERR_WALLET_LOCKED.
   */
  lockedCode?: ErrorCode;
}

/**
 * Veramo's private-key store (used by kms-local) on SQLite. `privateKeyHex` is encrypted
 * with the {@link SecretBox}, bound to its table, column and alias. Every write checks, in
 * the same IMMEDIATE transaction, that the box still holds the store's key: after another
 * connection or process re-keyed the file, a stale handle is refused (`lockedCode`) instead
 * of writing a key that neither passphrase could decrypt.
 */
export class SqlitePrivateKeyStore extends AbstractPrivateKeyStore {
  readonly #db: SqliteDatabase;
  readonly #box: SecretBox;
  readonly #table: string;
  readonly #lockedCode: ErrorCode;

  constructor(db: SqliteDatabase, box: SecretBox, options: SqlitePrivateKeyStoreOptions = {}) {
    super();
    this.#db = db;
    this.#box = box;
    this.#table = veramoTables(db, options.prefix ?? 'veramo_').privateKeys;
    this.#lockedCode = options.lockedCode ?? 'ERR_STORE_LOCKED';
  }

  override async importKey(args: ImportablePrivateKey): Promise<ManagedPrivateKey> {
    if (!args.privateKeyHex || !args.type) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'a private key needs privateKeyHex and type');
    }
    const alias = args.alias || randomUUID();
    const type = args.type;
    const hex = args.privateKeyHex.toLowerCase();
    // Check, read and insert under one write lock: no other connection can re-key the store
    // or insert the same alias in between.
    return this.#db
      .transaction((): ManagedPrivateKey => {
        assertBoxFits(this.#db, this.#box, this.#lockedCode);
        const existing = this.#read(alias);
        if (existing !== undefined) {
          if (existing.privateKeyHex.toLowerCase() !== hex) {
            throw new SkillpassError(
              'ERR_ALREADY_EXISTS',
              `key_already_exists: a different key has alias ${alias}`,
            );
          }
          return existing;
        }
        this.#db
          .prepare(`INSERT INTO "${this.#table}" (alias, type, private_key) VALUES (?, ?, ?)`)
          .run(alias, type, this.#box.encrypt(hex, this.#ad(alias)));
        return { alias, type, privateKeyHex: hex };
      })
      .immediate();
  }

  override async getKey({ alias }: { alias: string }): Promise<ManagedPrivateKey> {
    const key = this.#staleAware(() => this.#read(alias));
    if (key === undefined) throw new SkillpassError('ERR_NOT_FOUND', `not_found: no private key ${alias}`);
    return key;
  }

  override async deleteKey({ alias }: { alias: string }): Promise<boolean> {
    const result = this.#db.prepare(`DELETE FROM "${this.#table}" WHERE alias = ?`).run(alias);
    if (result.changes === 0) throw new SkillpassError('ERR_NOT_FOUND', `not_found: no private key ${alias}`);
    return true;
  }

  override async listKeys(_args: object = {}): Promise<ManagedPrivateKey[]> {
    return this.#staleAware(() =>
      (this.#db.prepare(`SELECT * FROM "${this.#table}" ORDER BY rowid`).all() as PrivateKeyRow[]).map(
        (row) => this.#decode(row),
      ),
    );
  }

  /** A blob that does not decrypt is corrupt, unless the whole box went stale: say which. */
  #staleAware<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (isSkillpassError(err, 'ERR_STORE_CORRUPT')) assertBoxFits(this.#db, this.#box, this.#lockedCode);
      throw err;
    }
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
