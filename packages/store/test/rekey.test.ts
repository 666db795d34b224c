import { isSkillpassError } from '@skillpass/core';
import {
  createDidKeyIdentifier,
  createSecretBox,
  createSkillpassAgent,
  openSqlite,
  rekey,
  SqlitePrivateKeyStore,
  unlockSecretBox,
} from '@skillpass/store';
import { cellAd, registerEncryptedColumn } from '@skillpass/store/internal';
import { describe, expect, it } from 'vitest';
import { TEST_KDF, tempDir } from './helpers.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return isSkillpassError(err) ? err.code : `not a SkillpassError: ${String(err)}`;
  }
  return undefined;
}

async function storeWithKeys(path: string, count: number) {
  const db = openSqlite(path);
  const box = await createSecretBox(db, 'old passphrase', TEST_KDF);
  const agent = createSkillpassAgent({ db, box });
  for (let i = 0; i < count; i++) await createDidKeyIdentifier(agent);
  const keys = await new SqlitePrivateKeyStore(db, box).listKeys();
  return { db, box, keys };
}

describe('rekey', () => {
  it('re-encrypts every registered column: the new passphrase opens all, the old none', async () => {
    const path = `${tempDir()}/r.db`;
    const { db, box, keys } = await storeWithKeys(path, 4);
    const newBox = await rekey(db, box, 'new passphrase', TEST_KDF);
    expect(await new SqlitePrivateKeyStore(db, newBox).listKeys()).toEqual(keys);
    db.close();

    const reopened = openSqlite(path);
    expect(await codeOf(unlockSecretBox(reopened, 'old passphrase'))).toBe('ERR_STORE_LOCKED');
    const unlocked = await unlockSecretBox(reopened, 'new passphrase');
    expect(await new SqlitePrivateKeyStore(reopened, unlocked).listKeys()).toEqual(keys);
    reopened.close();
  });

  it('is atomic: a failure half-way leaves every row under the old passphrase', async () => {
    const path = `${tempDir()}/r.db`;
    const { db, box, keys } = await storeWithKeys(path, 5);
    // A second registered table, so the failure hits after a whole table was already re-encrypted.
    db.exec('CREATE TABLE zz_notes (id TEXT PRIMARY KEY, body BLOB)');
    registerEncryptedColumn(db, { table: 'zz_notes', column: 'body', keyColumn: 'id' });
    for (const id of ['n1', 'n2', 'n3']) {
      db.prepare('INSERT INTO zz_notes VALUES (?, ?)').run(
        id,
        box.encrypt(`note ${id}`, cellAd('zz_notes', 'body', id)),
      );
    }
    // Simulate a write failure (disk full, I/O error) on the last row of the last table.
    db.exec(
      "CREATE TEMP TRIGGER fail_mid BEFORE UPDATE ON zz_notes WHEN NEW.id = 'n3' BEGIN SELECT RAISE(ABORT, 'simulated I/O failure'); END",
    );
    // The SQLite error passes through unchanged (its code names the cause).
    await expect(rekey(db, box, 'new passphrase', TEST_KDF)).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_TRIGGER',
    });
    db.exec('DROP TRIGGER fail_mid');
    db.close();

    const reopened = openSqlite(path);
    expect(await codeOf(unlockSecretBox(reopened, 'new passphrase'))).toBe('ERR_STORE_LOCKED');
    const old = await unlockSecretBox(reopened, 'old passphrase');
    expect(await new SqlitePrivateKeyStore(reopened, old).listKeys()).toEqual(keys);
    for (const id of ['n1', 'n2', 'n3']) {
      const row = reopened.prepare('SELECT body FROM zz_notes WHERE id = ?').get(id) as { body: Buffer };
      expect(old.decryptText(row.body, cellAd('zz_notes', 'body', id))).toBe(`note ${id}`);
    }
    reopened.close();
  });

  it('refuses an old box that does not open the store', async () => {
    const { db } = await storeWithKeys(':memory:', 1);
    const other = await createSecretBox(openSqlite(':memory:'), 'x', TEST_KDF);
    expect(await codeOf(rekey(db, other, 'new', TEST_KDF))).toBe('ERR_STORE_LOCKED');
  });

  it('a handle on another connection that still holds the old key cannot write after a rekey', async () => {
    const path = `${tempDir()}/r.db`;
    const { db: first, box: oldBox } = await storeWithKeys(path, 1);
    const staleAgent = createSkillpassAgent({ db: first, box: oldBox });
    const staleKeys = new SqlitePrivateKeyStore(first, oldBox);

    const second = openSqlite(path);
    const secondBox = await unlockSecretBox(second, 'old passphrase');
    await rekey(second, secondBox, 'new passphrase', TEST_KDF);
    second.close();

    expect(
      await codeOf(staleKeys.importKey({ alias: 'late', type: 'Ed25519', privateKeyHex: 'ab'.repeat(64) })),
    ).toBe('ERR_STORE_LOCKED');
    expect(await codeOf(createDidKeyIdentifier(staleAgent))).toBe('ERR_STORE_LOCKED');
    // Reads say why, too, rather than calling every row corrupt.
    expect(await codeOf(staleKeys.listKeys())).toBe('ERR_STORE_LOCKED');
    const wallet = new SqlitePrivateKeyStore(first, oldBox, { lockedCode: 'ERR_WALLET_LOCKED' });
    expect(await codeOf(wallet.getKey({ alias: 'late' }))).toBe('ERR_NOT_FOUND');
    expect(
      await codeOf(wallet.importKey({ alias: 'late', type: 'Ed25519', privateKeyHex: 'ab'.repeat(64) })),
    ).toBe('ERR_WALLET_LOCKED');
    first.close();

    const reopened = openSqlite(path);
    const keys = await new SqlitePrivateKeyStore(
      reopened,
      await unlockSecretBox(reopened, 'new passphrase'),
    ).listKeys();
    expect(keys).toHaveLength(1);
    expect(keys.every((k) => /^[0-9a-f]+$/.test(k.privateKeyHex))).toBe(true);
    const identifiers = reopened.prepare('SELECT count(*) AS n FROM veramo_dids').get() as { n: number };
    expect(identifiers.n).toBe(1);
    reopened.close();
  });
});
