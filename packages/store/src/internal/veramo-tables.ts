import { SkillpassError } from '@skillpass/core';
import { migrate, type SqliteDatabase } from '../open-sqlite.js';
import { migrateEncryption, registerEncryptedColumn } from '../secret-box.js';

const PREFIX = /^[A-Za-z_][A-Za-z0-9_]{0,30}$/;

/** The table names of the Veramo stores under one prefix. */
export interface VeramoTables {
  keys: string;
  privateKeys: string;
  dids: string;
}

/** Validate a table-name prefix and create (or upgrade) the Veramo tables under it. */
export function veramoTables(db: SqliteDatabase, prefix: string): VeramoTables {
  if (!PREFIX.test(prefix)) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `table prefix must be a plain SQL identifier: ${prefix}`);
  }
  const t: VeramoTables = {
    keys: `${prefix}keys`,
    privateKeys: `${prefix}private_keys`,
    dids: `${prefix}dids`,
  };
  migrateEncryption(db);
  migrate(db, `veramo:${prefix}`, [
    (d) => {
      d.exec(`
        CREATE TABLE "${t.keys}" (
          kid TEXT PRIMARY KEY,
          kms TEXT NOT NULL,
          type TEXT NOT NULL,
          public_key_hex TEXT NOT NULL,
          meta TEXT
        ) STRICT;
        CREATE TABLE "${t.privateKeys}" (
          alias TEXT PRIMARY KEY,
          type TEXT NOT NULL,
          private_key BLOB NOT NULL
        ) STRICT;
        CREATE TABLE "${t.dids}" (
          did TEXT PRIMARY KEY,
          alias TEXT UNIQUE,
          provider TEXT NOT NULL,
          controller_key_id TEXT,
          keys TEXT NOT NULL,
          services TEXT NOT NULL
        ) STRICT;
      `);
      registerEncryptedColumn(d, { table: t.privateKeys, column: 'private_key', keyColumn: 'alias' });
    },
  ]);
  return t;
}
