import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { type ErrorCode, SkillpassError } from '@skillpass/core';
import { checkKdfParams, deriveKey, type KdfOptions, type KdfParams, newKdfParams } from './derive-key.js';
import { migrate, type SqliteDatabase } from './open-sqlite.js';

const VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_CHECK_AD = 'store_meta\u0000key_check\u0000';
const KEY_CHECK_TEXT = 'skillpass key check v1';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * AES-256-GCM with a random 12-byte nonce per message. Byte format, version 1:
 * `0x01 || nonce (12) || ciphertext || tag (16)`. The version byte is also authenticated.
 * Every ciphertext is bound to associated data naming where it lives (see
 * `cellAd` in `@skillpass/store/internal`), so a blob copied into another row or column does not decrypt.
 */
export class SecretBox {
  readonly #key: KeyObject;

  /** Wrap a 32-byte key. Most callers use {@link createSecretBox} or {@link unlockSecretBox}. */
  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new SkillpassError('ERR_INVALID_OPTIONS', 'a SecretBox key is 32 bytes');
    this.#key = createSecretKey(key);
  }

  /** Encrypt `plaintext`, bound to `ad`. */
  encrypt(plaintext: Uint8Array | string, ad: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(aadOf(ad));
    const body = Buffer.concat([
      cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
      cipher.final(),
    ]);
    return Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]);
  }

  /**
   * Decrypt a blob made by {@link SecretBox.encrypt} with the same `ad`. A wrong key, a
   * tampered blob or one moved from another row throws ERR_STORE_CORRUPT.
   */
  decrypt(blob: Uint8Array, ad: string): Buffer {
    if (!(blob instanceof Uint8Array) || blob.length < 1 + NONCE_BYTES + TAG_BYTES || blob[0] !== VERSION) {
      throw new SkillpassError('ERR_STORE_CORRUPT', 'not a skillpass v1 ciphertext');
    }
    const nonce = blob.subarray(1, 1 + NONCE_BYTES);
    const tag = blob.subarray(blob.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce);
    decipher.setAAD(aadOf(ad));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(blob.subarray(1 + NONCE_BYTES, blob.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (err) {
      throw new SkillpassError('ERR_STORE_CORRUPT', 'ciphertext does not authenticate here', { cause: err });
    }
  }

  /** Decrypt to a UTF-8 string. */
  decryptText(blob: Uint8Array, ad: string): string {
    return this.decrypt(blob, ad).toString('utf8');
  }
}

/** Associated data for one encrypted cell: table, column and the row's key, unambiguously joined. */
export function cellAd(table: string, column: string, rowKey: string): string {
  return `${table}\u0000${column}\u0000${rowKey}`;
}

function aadOf(ad: string): Buffer {
  return Buffer.concat([Buffer.from([VERSION]), Buffer.from(ad, 'utf8')]);
}

/** Options of {@link createSecretBox} and {@link unlockSecretBox}. */
export interface SecretBoxOptions extends KdfOptions {
  /** scrypt cost for a new store (default N = 2^17, r = 8, p = 1). */
  kdf?: Partial<Omit<KdfParams, 'salt'>>;
  /**
   * The code thrown for a wrong passphrase. Default ERR_STORE_LOCKED; the wallet passes
   * ERR_WALLET_LOCKED.
   */
  lockedCode?: ErrorCode;
}

interface StoredKdf {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
}

/** Create the tables behind encryption at rest (idempotent; run by the create/unlock functions). */
export function migrateEncryption(db: SqliteDatabase): void {
  migrate(db, 'store', [
    (d) => {
      d.exec(`
        CREATE TABLE store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE store_encrypted_columns (
          table_name TEXT NOT NULL,
          column_name TEXT NOT NULL,
          key_column TEXT NOT NULL,
          PRIMARY KEY (table_name, column_name)
        ) STRICT;
      `);
    },
  ]);
}

/**
 * Set up encryption at rest on a new store: fresh salt, derived key, and a key-check blob
 * that lets {@link unlockSecretBox} reject a wrong passphrase before touching any data.
 * Throws ERR_ALREADY_EXISTS when the store already has a passphrase.
 */
export async function createSecretBox(
  db: SqliteDatabase,
  passphrase: string,
  options: SecretBoxOptions = {},
): Promise<SecretBox> {
  migrateEncryption(db);
  const params = newKdfParams(options.kdf);
  checkKdfParams(params, options);
  if (readKdf(db) !== undefined)
    throw new SkillpassError('ERR_ALREADY_EXISTS', 'this store already has a passphrase');
  const box = new SecretBox(await deriveKey(passphrase, params, options));
  db.transaction(() => {
    if (readKdf(db) !== undefined)
      throw new SkillpassError('ERR_ALREADY_EXISTS', 'this store already has a passphrase');
    writeKeyMaterial(db, params, box);
  }).immediate();
  return box;
}

/**
 * Derive the key of an existing store from its passphrase. A wrong passphrase throws
 * `options.lockedCode` (default ERR_STORE_LOCKED); a store without encryption set up
 * throws ERR_NOT_FOUND.
 */
export async function unlockSecretBox(
  db: SqliteDatabase,
  passphrase: string,
  options: SecretBoxOptions = {},
): Promise<SecretBox> {
  migrateEncryption(db);
  const stored = readKdf(db);
  if (stored === undefined) throw new SkillpassError('ERR_NOT_FOUND', 'this store has no passphrase set up');
  const params = { N: stored.N, r: stored.r, p: stored.p, salt: Buffer.from(stored.salt, 'base64') };
  try {
    checkKdfParams(params, { allowWeakKdf: true });
  } catch (err) {
    throw new SkillpassError('ERR_STORE_CORRUPT', 'stored key-derivation parameters are out of range', {
      cause: err,
    });
  }
  const box = new SecretBox(await deriveKey(passphrase, params, { allowWeakKdf: true }));
  const check = db.prepare("SELECT value FROM store_meta WHERE name = 'key_check'").get() as
    | { value: string }
    | undefined;
  if (check === undefined) throw new SkillpassError('ERR_STORE_CORRUPT', 'the key-check blob is missing');
  try {
    box.decrypt(Buffer.from(check.value, 'base64'), KEY_CHECK_AD);
  } catch {
    throw new SkillpassError(options.lockedCode ?? 'ERR_STORE_LOCKED', 'wrong passphrase');
  }
  return box;
}

/** Throws `lockedCode` unless `box` holds this store's current key. */
export function assertBoxFits(
  db: SqliteDatabase,
  box: SecretBox,
  lockedCode: ErrorCode = 'ERR_STORE_LOCKED',
): void {
  const check = db.prepare("SELECT value FROM store_meta WHERE name = 'key_check'").get() as
    | { value: string }
    | undefined;
  try {
    if (check === undefined) throw new Error('no key check');
    box.decrypt(Buffer.from(check.value, 'base64'), KEY_CHECK_AD);
  } catch {
    throw new SkillpassError(lockedCode, 'this key does not open the store');
  }
}

/** Where an encrypted column lives: {@link rekey} re-encrypts every registered column. */
export interface EncryptedColumn {
  table: string;
  column: string;
  /** The column whose value identifies the row in the associated data (a primary key). */
  keyColumn: string;
}

/**
 * Record that `table.column` holds SecretBox blobs made with `cellAd(table, column, row[keyColumn])`.
 * Call it from the migration that creates the column. Idempotent.
 */
export function registerEncryptedColumn(db: SqliteDatabase, column: EncryptedColumn): void {
  for (const name of [column.table, column.column, column.keyColumn]) {
    if (!IDENTIFIER.test(name))
      throw new SkillpassError('ERR_INVALID_OPTIONS', `not a plain SQL identifier: ${name}`);
  }
  migrateEncryption(db);
  db.prepare(
    'INSERT OR IGNORE INTO store_encrypted_columns (table_name, column_name, key_column) VALUES (?, ?, ?)',
  ).run(column.table, column.column, column.keyColumn);
}

/** Every registered encrypted column. */
export function listEncryptedColumns(db: SqliteDatabase): EncryptedColumn[] {
  migrateEncryption(db);
  return (
    db
      .prepare(
        'SELECT table_name, column_name, key_column FROM store_encrypted_columns ORDER BY table_name, column_name',
      )
      .all() as { table_name: string; column_name: string; key_column: string }[]
  ).map((r) => ({ table: r.table_name, column: r.column_name, keyColumn: r.key_column }));
}

/** Write KDF parameters and the key-check blob. Call inside a transaction. */
export function writeKeyMaterial(db: SqliteDatabase, params: KdfParams, box: SecretBox): void {
  const kdf: StoredKdf = {
    kdf: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    salt: Buffer.from(params.salt).toString('base64'),
  };
  const upsert = db.prepare(
    'INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
  );
  upsert.run('kdf', JSON.stringify(kdf));
  upsert.run('key_check', box.encrypt(KEY_CHECK_TEXT, KEY_CHECK_AD).toString('base64'));
}

function readKdf(db: SqliteDatabase): StoredKdf | undefined {
  const row = db.prepare("SELECT value FROM store_meta WHERE name = 'kdf'").get() as
    | { value: string }
    | undefined;
  if (row === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.value);
  } catch (err) {
    throw new SkillpassError('ERR_STORE_CORRUPT', 'stored key-derivation parameters are not JSON', {
      cause: err,
    });
  }
  const k = parsed as Partial<StoredKdf>;
  if (
    k?.kdf !== 'scrypt' ||
    typeof k.N !== 'number' ||
    typeof k.r !== 'number' ||
    typeof k.p !== 'number' ||
    typeof k.salt !== 'string'
  ) {
    throw new SkillpassError('ERR_STORE_CORRUPT', 'stored key-derivation parameters are malformed');
  }
  return k as StoredKdf;
}
