import { isSkillpassError } from '@skillpass/core';
import {
  checkKdfParams,
  createSecretBox,
  DEFAULT_KDF,
  deriveKey,
  MAX_KDF_MEMORY_BYTES,
  MAX_KDF_WORK,
  migrate,
  newKdfParams,
  openSqlite,
  SecretBox,
  unlockSecretBox,
} from '@skillpass/store';
import { cellAd, registerEncryptedColumn } from '@skillpass/store/internal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEST_KDF, tempDir } from './helpers.js';

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    return isSkillpassError(err) ? err.code : `not a SkillpassError: ${String(err)}`;
  }
  return undefined;
}

describe('deriveKey', () => {
  it('refuses N below 2^14 even with allowWeakKdf, and below 2^17 without it', async () => {
    expect(await codeOf(deriveKey('pw', newKdfParams({ N: 2 ** 13 }), { allowWeakKdf: true }))).toBe(
      'ERR_INVALID_OPTIONS',
    );
    expect(await codeOf(deriveKey('pw', newKdfParams({ N: 2 ** 14 })))).toBe('ERR_INVALID_OPTIONS');
    expect(await codeOf(deriveKey('pw', newKdfParams({ N: 3 * 2 ** 14 }), { allowWeakKdf: true }))).toBe(
      'ERR_INVALID_OPTIONS',
    );
    expect(await codeOf(deriveKey('', newKdfParams({ N: 2 ** 14 }), { allowWeakKdf: true }))).toBe(
      'ERR_INVALID_OPTIONS',
    );
  });

  it.each([
    ['N = 2^20, r = 32 (4 GiB)', { N: 2 ** 20, r: 32, p: 1 }],
    ['N = 2^20, r = 8 (1 GiB)', { N: 2 ** 20, r: 8, p: 1 }],
    ['N = 2^17, r = 8, p = 16 (16× the work)', { N: 2 ** 17, r: 8, p: 16 }],
    ['N = 2^14, r = 32, p = 16 (2^23 work)', { N: 2 ** 14, r: 32, p: 16 }],
  ])('refuses %s with ERR_INVALID_OPTIONS before deriving', (_name, cost) => {
    expect(() => checkKdfParams(newKdfParams(cost), { allowWeakKdf: true })).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });

  it.each([
    ['the default', DEFAULT_KDF],
    ['N = 2^18, r = 8 (256 MiB)', { N: 2 ** 18, r: 8, p: 1 }],
    ['N = 2^17, r = 8, p = 4 (2^22 work)', { N: 2 ** 17, r: 8, p: 4 }],
  ])('accepts %s', (_name, cost) => {
    expect(() => checkKdfParams(newKdfParams(cost))).not.toThrow();
    const { N, r, p } = cost;
    expect(128 * N * r).toBeLessThanOrEqual(MAX_KDF_MEMORY_BYTES);
    expect(N * r * p).toBeLessThanOrEqual(MAX_KDF_WORK);
  });

  it('is deterministic for the same salt, different for another, and NFC-normalises', async () => {
    const params = newKdfParams({ N: 2 ** 14 });
    const a = await deriveKey('caf\u00e9', params, { allowWeakKdf: true });
    const b = await deriveKey('cafe\u0301', params, { allowWeakKdf: true });
    const c = await deriveKey('caf\u00e9', newKdfParams({ N: 2 ** 14 }), { allowWeakKdf: true });
    expect(a.length).toBe(32);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('derives with the default parameters (N = 2^17) within the default maxmem', async () => {
    const key = await deriveKey('correct horse battery staple', newKdfParams());
    expect(key.length).toBe(32);
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('round-trips and uses a fresh nonce each time', () => {
    const ad = cellAd('t', 'c', 'row-1');
    const one = box.encrypt('secret', ad);
    const two = box.encrypt('secret', ad);
    expect(one.equals(two)).toBe(false);
    expect(one[0]).toBe(1);
    expect(one.length).toBe(1 + 12 + 6 + 16);
    expect(box.decryptText(one, ad)).toBe('secret');
  });

  it('rejects a blob under other associated data, a wrong key, or a bad version', async () => {
    const blob = box.encrypt('secret', cellAd('t', 'c', 'row-1'));
    expect(await codeOf(() => box.decrypt(blob, cellAd('t', 'c', 'row-2')))).toBe('ERR_STORE_CORRUPT');
    expect(
      await codeOf(() => new SecretBox(Buffer.alloc(32, 8)).decrypt(blob, cellAd('t', 'c', 'row-1'))),
    ).toBe('ERR_STORE_CORRUPT');
    const versioned = Buffer.from(blob);
    versioned[0] = 2;
    expect(await codeOf(() => box.decrypt(versioned, cellAd('t', 'c', 'row-1')))).toBe('ERR_STORE_CORRUPT');
  });

  it('never accepts a mutated ciphertext (property)', () => {
    const ad = cellAd('t', 'c', 'k');
    const blob = box.encrypt('a private key in hex', ad);
    fc.assert(
      fc.property(fc.nat(blob.length - 1), fc.integer({ min: 1, max: 255 }), (pos, flip) => {
        const mutated = Buffer.from(blob);
        mutated[pos] = (mutated[pos]! ^ flip) & 0xff;
        expect(() => box.decrypt(mutated, ad)).toThrowError(
          expect.objectContaining({ code: 'ERR_STORE_CORRUPT' }),
        );
      }),
    );
  });
});

describe('createSecretBox / unlockSecretBox', () => {
  it('unlocks with the right passphrase; a wrong one is ERR_STORE_LOCKED (or the caller-chosen code)', async () => {
    const path = `${tempDir()}/s.db`;
    const db = openSqlite(path);
    const box = await createSecretBox(db, 'right passphrase', TEST_KDF);
    const blob = box.encrypt('x', 'ad');
    db.close();

    const reopened = openSqlite(path);
    const again = await unlockSecretBox(reopened, 'right passphrase');
    expect(again.decryptText(blob, 'ad')).toBe('x');
    expect(await codeOf(unlockSecretBox(reopened, 'wrong passphrase'))).toBe('ERR_STORE_LOCKED');
    expect(
      await codeOf(unlockSecretBox(reopened, 'wrong passphrase', { lockedCode: 'ERR_WALLET_LOCKED' })),
    ).toBe('ERR_WALLET_LOCKED');
    expect(await codeOf(createSecretBox(reopened, 'another', TEST_KDF))).toBe('ERR_ALREADY_EXISTS');
    reopened.close();
  });

  it('stores the scrypt parameters and salt in store_meta, and refuses weak parameters unless allowed', async () => {
    const db = openSqlite(':memory:');
    expect(await codeOf(createSecretBox(db, 'pw', { kdf: { N: 2 ** 14 } }))).toBe('ERR_INVALID_OPTIONS');
    await createSecretBox(db, 'pw', TEST_KDF);
    const kdf = JSON.parse(
      (db.prepare("SELECT value FROM store_meta WHERE name = 'kdf'").get() as { value: string }).value,
    );
    expect(kdf).toMatchObject({ kdf: 'scrypt', N: 2 ** 14, r: 8, p: 1 });
    expect(Buffer.from(kdf.salt, 'base64').length).toBe(16);
  });

  it('refuses to unlock a store whose stored parameters were tampered to below the floor', async () => {
    const db = openSqlite(':memory:');
    await createSecretBox(db, 'pw', TEST_KDF);
    const row = db.prepare("SELECT value FROM store_meta WHERE name = 'kdf'").get() as { value: string };
    db.prepare("UPDATE store_meta SET value = ? WHERE name = 'kdf'").run(
      JSON.stringify({ ...JSON.parse(row.value), N: 1024 }),
    );
    expect(await codeOf(unlockSecretBox(db, 'pw'))).toBe('ERR_STORE_CORRUPT');
  });

  it.each([
    ['4 GiB of memory', { N: 2 ** 20, r: 32 }],
    ['16× the default work', { p: 16 }],
  ])(
    'refuses to unlock a store whose stored parameters ask for %s (ERR_STORE_CORRUPT)',
    async (_name, cost) => {
      const db = openSqlite(':memory:');
      await createSecretBox(db, 'pw', TEST_KDF);
      const row = db.prepare("SELECT value FROM store_meta WHERE name = 'kdf'").get() as { value: string };
      db.prepare("UPDATE store_meta SET value = ? WHERE name = 'kdf'").run(
        JSON.stringify({ ...JSON.parse(row.value), N: 2 ** 17, ...cost }),
      );
      expect(await codeOf(unlockSecretBox(db, 'pw'))).toBe('ERR_STORE_CORRUPT');
    },
  );

  it('a store without a passphrase is ERR_NOT_FOUND on unlock', async () => {
    expect(await codeOf(unlockSecretBox(openSqlite(':memory:'), 'pw'))).toBe('ERR_NOT_FOUND');
  });

  it('ciphertexts swapped between rows do not decrypt', async () => {
    const db = openSqlite(':memory:');
    const box = await createSecretBox(db, 'pw', TEST_KDF);
    db.exec('CREATE TABLE notes (id TEXT PRIMARY KEY, body BLOB)');
    registerEncryptedColumn(db, { table: 'notes', column: 'body', keyColumn: 'id' });
    const put = db.prepare('INSERT INTO notes (id, body) VALUES (?, ?)');
    put.run('a', box.encrypt('for a', cellAd('notes', 'body', 'a')));
    put.run('b', box.encrypt('for b', cellAd('notes', 'body', 'b')));
    const get = (id: string) =>
      (db.prepare('SELECT body FROM notes WHERE id = ?').get(id) as { body: Buffer }).body;
    const [a, b] = [get('a'), get('b')];
    db.prepare('UPDATE notes SET body = ? WHERE id = ?').run(b, 'a');
    db.prepare('UPDATE notes SET body = ? WHERE id = ?').run(a, 'b');
    expect(await codeOf(() => box.decrypt(get('a'), cellAd('notes', 'body', 'a')))).toBe('ERR_STORE_CORRUPT');
    expect(await codeOf(() => box.decrypt(get('b'), cellAd('notes', 'body', 'b')))).toBe('ERR_STORE_CORRUPT');
  });
});

describe('openSqlite / migrate', () => {
  it('runs each step once, tracks versions per component and in user_version, refuses a newer file', async () => {
    const path = `${tempDir()}/m.db`;
    const db = openSqlite(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const runs: string[] = [];
    const steps = [() => runs.push('a1'), () => runs.push('a2')];
    expect(migrate(db, 'a', steps)).toBe(2);
    expect(migrate(db, 'a', steps)).toBe(2);
    expect(migrate(db, 'b', [() => runs.push('b1')])).toBe(1);
    expect(runs).toEqual(['a1', 'a2', 'b1']);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(() => migrate(db, 'a', [steps[0]!])).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_CORRUPT' }),
    );
    db.close();
    // An up-to-date file opens read-only without needing the write lock.
    const ro = openSqlite(path, { readonly: true });
    expect(migrate(ro, 'a', steps)).toBe(2);
    // A step it cannot run is ERR_UNSUPPORTED (not a raw SQLITE_READONLY), and nothing ran.
    expect(() => migrate(ro, 'a', [...steps, () => runs.push('a3')])).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED' }),
    );
    expect(() => migrate(ro, 'c', [() => runs.push('c1')])).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED' }),
    );
    // A newer file stays ERR_STORE_CORRUPT read-only too.
    expect(() => migrate(ro, 'a', [steps[0]!])).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_CORRUPT' }),
    );
    expect(runs).toEqual(['a1', 'a2', 'b1']);
    ro.close();
  });

  it('a missing file (mustExist) or folder is ERR_NOT_FOUND; a non-database file is ERR_STORE_CORRUPT', async () => {
    const dir = tempDir();
    expect(() => openSqlite(`${dir}/none.db`, { mustExist: true })).toThrow(
      expect.objectContaining({ code: 'ERR_NOT_FOUND' }),
    );
    expect(() => openSqlite(`${dir}/no/such/dir.db`)).toThrow(
      expect.objectContaining({ code: 'ERR_NOT_FOUND' }),
    );
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/junk.db`, 'this is not a database file at all, just text. '.repeat(100));
    expect(() => openSqlite(`${dir}/junk.db`)).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_CORRUPT' }),
    );
  });
});
