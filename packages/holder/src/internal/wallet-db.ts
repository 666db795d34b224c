import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CredentialFormat, SkillpassError } from '@skillpass/core';
import { DEFAULT_KDF, type KdfParams, migrate, type SecretBox, type SqliteDatabase } from '@skillpass/store';
import { cellAd, registerEncryptedColumn } from '@skillpass/store/internal';

/** The wallet's tables (component `wallet` in store_migrations). */
const CREDENTIALS = 'wallet_credentials';
const RECORD = 'record';

/** Veramo alias of the holder identifier: a wallet has exactly one. */
export const HOLDER_ALIAS = 'holder';

/** What the wallet keeps per credential; encrypted as one JSON blob per row. */
export interface CredentialRecord {
  id: string;
  format: CredentialFormat;
  token: string;
  /** ISO date-time the wallet accepted it. */
  addedAt: string;
  issuer: string | null;
  issuerName?: string;
  skill: { uri: string; name: string; level: number | null } | null;
  validUntil: string | null;
}

/** Create or upgrade the wallet tables. */
export function migrateWallet(db: SqliteDatabase): void {
  migrate(db, 'wallet', [
    (d) => {
      // Only a random row key is in the clear: the credential, its id, issuer and dates are inside the blob.
      d.exec(`CREATE TABLE ${CREDENTIALS} (row_key TEXT PRIMARY KEY, ${RECORD} BLOB NOT NULL) STRICT`);
      registerEncryptedColumn(d, { table: CREDENTIALS, column: RECORD, keyColumn: 'row_key' });
    },
  ]);
}

/** True when the file has the wallet tables (checked before anything writes to it). */
export function isWallet(db: SqliteDatabase): boolean {
  const table = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'store_migrations'")
    .get();
  if (table === undefined) return false;
  return db.prepare("SELECT 1 FROM store_migrations WHERE component = 'wallet'").get() !== undefined;
}

/** Every credential record, decrypted, in the order they were added. */
export function readRecords(
  db: SqliteDatabase,
  box: SecretBox,
): { rowKey: string; record: CredentialRecord }[] {
  const rows = db.prepare(`SELECT row_key, ${RECORD} AS blob FROM ${CREDENTIALS} ORDER BY rowid`).all() as {
    row_key: string;
    blob: Uint8Array;
  }[];
  return rows.map((row) => ({
    rowKey: row.row_key,
    record: JSON.parse(
      box.decryptText(row.blob, cellAd(CREDENTIALS, RECORD, row.row_key)),
    ) as CredentialRecord,
  }));
}

/** Insert one record (call inside a transaction that checked for duplicates). */
export function insertRecord(db: SqliteDatabase, box: SecretBox, record: CredentialRecord): void {
  const rowKey = randomBytes(16).toString('hex');
  db.prepare(`INSERT INTO ${CREDENTIALS} (row_key, ${RECORD}) VALUES (?, ?)`).run(
    rowKey,
    box.encrypt(JSON.stringify(record), cellAd(CREDENTIALS, RECORD, rowKey)),
  );
}

/** Delete one row. */
export function deleteRow(db: SqliteDatabase, rowKey: string): void {
  db.prepare(`DELETE FROM ${CREDENTIALS} WHERE row_key = ?`).run(rowKey);
}

/** The scrypt parameters stored with the wallet (store_meta row `kdf`, see @skillpass/store). */
export function readKdfParams(db: SqliteDatabase): KdfParams {
  const row = db.prepare("SELECT value FROM store_meta WHERE name = 'kdf'").get() as
    | { value: string }
    | undefined;
  if (row === undefined)
    throw new SkillpassError('ERR_STORE_CORRUPT', 'the wallet has no key-derivation parameters');
  const kdf = JSON.parse(row.value) as { N: number; r: number; p: number; salt: string };
  return { N: kdf.N, r: kdf.r, p: kdf.p, salt: Buffer.from(kdf.salt, 'base64') };
}

/** Options for deriving a key at the same cost as an existing one. */
export function sameCost(params: KdfParams): {
  kdf: { N: number; r: number; p: number };
  allowWeakKdf: boolean;
} {
  return { kdf: { N: params.N, r: params.r, p: params.p }, allowWeakKdf: params.N < DEFAULT_KDF.N };
}

/** A fresh sibling path for building a file before it is moved into place. */
export function tempSibling(path: string, purpose: string): string {
  return `${path}.${purpose}-${randomBytes(6).toString('hex')}`;
}

/** Leave WAL mode and close, so the file alone holds every committed transaction. */
export function closeSelfContained(db: SqliteDatabase): void {
  db.pragma('journal_mode = DELETE');
  db.close();
}

/**
 * Move a finished SQLite file (closed with {@link closeSelfContained}) into place without ever
 * overwriting: a hard link is atomic and fails if `target` exists (ERR_ALREADY_EXISTS). The
 * temporary name is removed and the directory synced, so the new name survives a power cut.
 */
export function publishFile(temp: string, target: string): void {
  try {
    linkSync(temp, target);
    const dir = openSync(dirname(target), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new SkillpassError('ERR_ALREADY_EXISTS', `${target} already exists`, { cause: err });
    }
    throw err;
  } finally {
    removeDatabaseFiles(temp);
  }
}

/** Remove a SQLite file and its -wal / -shm companions, if present. */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(`${path}${suffix}`)) rmSync(`${path}${suffix}`, { force: true });
  }
}
