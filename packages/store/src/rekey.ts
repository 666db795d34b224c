import { checkKdfParams, deriveKey, newKdfParams } from './derive-key.js';
import type { SqliteDatabase } from './open-sqlite.js';
import {
  assertBoxFits,
  cellAd,
  listEncryptedColumns,
  SecretBox,
  type SecretBoxOptions,
  writeKeyMaterial,
} from './secret-box.js';

/**
 * Change a store's passphrase: derive a new key (fresh salt), then, in ONE transaction,
 * re-encrypt every registered encrypted column and replace the key-check blob. If anything
 * fails half-way, nothing changes and the old passphrase still opens everything.
 *
 * @returns the box for the new key; `oldBox` no longer opens the store.
 */
export async function rekey(
  db: SqliteDatabase,
  oldBox: SecretBox,
  newPassphrase: string,
  options: SecretBoxOptions = {},
): Promise<SecretBox> {
  assertBoxFits(db, oldBox, options.lockedCode);
  const params = newKdfParams(options.kdf);
  checkKdfParams(params, options);
  const newBox = new SecretBox(await deriveKey(newPassphrase, params, options));
  db.transaction(() => {
    // Checked again inside the write lock: another process may have re-keyed meanwhile.
    assertBoxFits(db, oldBox, options.lockedCode);
    for (const { table, column, keyColumn } of listEncryptedColumns(db)) {
      const rows = db
        .prepare(`SELECT "${keyColumn}" AS k, "${column}" AS v FROM "${table}" WHERE "${column}" IS NOT NULL`)
        .all() as { k: unknown; v: Uint8Array }[];
      const update = db.prepare(`UPDATE "${table}" SET "${column}" = ? WHERE "${keyColumn}" = ?`);
      for (const row of rows) {
        const ad = cellAd(table, column, String(row.k));
        update.run(newBox.encrypt(oldBox.decrypt(row.v, ad), ad), row.k);
      }
    }
    writeKeyMaterial(db, params, newBox);
  }).immediate();
  return newBox;
}
