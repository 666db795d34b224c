import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVerifier } from '@skillpass/verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWallet, importBackup, openWallet, type Wallet } from '../src/index.js';
import { sdJwtFor, TEST_KDF, tempDir, vcFor } from './helpers.js';

const AUD = 'https://jobs.metaalbedrijf.example';
const CHALLENGE = 'backup-challenge';
const PASS = 'wallet passphrase';

async function filledWallet(dir = tempDir()): Promise<{ wallet: Wallet; path: string }> {
  const path = join(dir, 'wallet.skillpass');
  const wallet = await createWallet({ path, passphrase: PASS, ...TEST_KDF });
  await wallet.addCredential(await vcFor(wallet.did));
  await wallet.addCredential((await sdJwtFor(wallet.did, '1990-04-17')).token);
  return { wallet, path };
}

/** Recompute the trailing SHA-256, as someone altering the file on purpose would. */
function rehash(bytes: Buffer): Buffer {
  const content = bytes.subarray(0, bytes.length - 32);
  return Buffer.concat([content, createHash('sha256').update(content).digest()]);
}

const HEADER_START = 'SKILLPASS-BACKUP'.length + 3;

describe('exportBackup / importBackup', () => {
  it('round-trips into a fresh directory (another machine): same DID, key and credentials', async () => {
    const { wallet } = await filledWallet();
    const backup = join(tempDir(), 'backup.skillpass');
    await wallet.exportBackup(backup);
    const bytes = readFileSync(backup);
    expect(bytes.subarray(0, 16).toString('ascii')).toBe('SKILLPASS-BACKUP');
    expect(bytes.includes(Buffer.from(wallet.did))).toBe(false);
    expect(bytes.includes(Buffer.from('program a CNC controller'))).toBe(false);

    const elsewhere = join(tempDir(), 'restored.skillpass');
    const result = await importBackup({
      path: backup,
      backupPassphrase: PASS,
      into: elsewhere,
      passphrase: 'new machine',
      ...TEST_KDF,
    });
    expect(result).toEqual({ did: wallet.did, created: true, imported: 2, skipped: 0 });
    const restored = await openWallet({ path: elsewhere, passphrase: 'new machine' });
    expect(restored.did).toBe(wallet.did);
    expect(restored.list()).toEqual(wallet.list());
    expect((await restored.signingKey()).keyId).toBe((await wallet.signingKey()).keyId);
    const passport = await restored.createPassport({ audience: AUD, challenge: CHALLENGE, disclose: {} });
    const report = await createVerifier().verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.problems).toEqual([]);
    expect(report.holder).toBe(wallet.did);
    restored.close();
    wallet.close();
  });

  it('can use a backup passphrase of its own', async () => {
    const { wallet } = await filledWallet();
    const backup = join(tempDir(), 'backup.skillpass');
    await wallet.exportBackup(backup, { passphrase: 'backup only', ...TEST_KDF });
    const into = join(tempDir(), 'restored.skillpass');
    await expect(
      importBackup({ path: backup, backupPassphrase: PASS, into, passphrase: 'x', ...TEST_KDF }),
    ).rejects.toMatchObject({
      code: 'ERR_WALLET_LOCKED',
    });
    const result = await importBackup({
      path: backup,
      backupPassphrase: 'backup only',
      into,
      passphrase: 'x',
      ...TEST_KDF,
    });
    expect(result.imported).toBe(2);
    wallet.close();
  });

  it('refuses truncated and altered backups with ERR_BACKUP_INVALID, leaving nothing behind', async () => {
    const { wallet } = await filledWallet();
    const dir = tempDir();
    const backup = join(dir, 'backup.skillpass');
    await wallet.exportBackup(backup);
    wallet.close();
    const good = readFileSync(backup);
    const headerLength = good.readUInt16BE(HEADER_START - 2);
    const bodyAt = HEADER_START + headerLength + 40;
    const flip = (bytes: Buffer, at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ 0x01;
      return copy;
    };
    const damaged: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['magic only', good.subarray(0, 16)],
      ['truncated by one byte', good.subarray(0, good.length - 1)],
      ['truncated in the body', good.subarray(0, bodyAt)],
      ['truncated in the header', good.subarray(0, HEADER_START + 5)],
      ['a bit flipped in the magic', flip(good, 3)],
      ['another version', flip(good, 16)],
      ['a bit flipped in the header', flip(good, HEADER_START + 10)],
      ['a bit flipped in the body', flip(good, bodyAt)],
      ['a bit flipped in the trailing hash', flip(good, good.length - 1)],
      ['body altered, hash recomputed', rehash(flip(good, bodyAt))],
      ['appended bytes', Buffer.concat([good, Buffer.from('more')])],
    ];
    for (const [name, bytes] of damaged) {
      writeFileSync(backup, bytes);
      const into = join(dir, `${name.replaceAll(' ', '-')}.skillpass`);
      const err = await importBackup({
        path: backup,
        backupPassphrase: PASS,
        into,
        passphrase: 'x',
        ...TEST_KDF,
      }).catch((e: unknown) => e);
      expect({ name, code: (err as { code?: string }).code }).toEqual({ name, code: 'ERR_BACKUP_INVALID' });
    }
    // An altered KDF parameter with a recomputed hash cannot be told from a wrong passphrase: refused all the same.
    const header = good.subarray(HEADER_START, HEADER_START + headerLength).toString('utf8');
    const cheaper = Buffer.from(header.replace(/"p":1/, '"p":2'), 'utf8');
    expect(cheaper.length).toBe(headerLength);
    writeFileSync(
      backup,
      rehash(
        Buffer.concat([good.subarray(0, HEADER_START), cheaper, good.subarray(HEADER_START + headerLength)]),
      ),
    );
    await expect(
      importBackup({
        path: backup,
        backupPassphrase: PASS,
        into: join(dir, 'kdf.skillpass'),
        passphrase: 'x',
        ...TEST_KDF,
      }),
    ).rejects.toMatchObject({ code: 'ERR_WALLET_LOCKED' });
    expect(readdirSync(dir)).toEqual(['backup.skillpass']);
  });

  it('refuses absurd key-derivation parameters in a backup header quickly, without deriving', async () => {
    const { wallet } = await filledWallet();
    const dir = tempDir();
    const backup = join(dir, 'backup.skillpass');
    await wallet.exportBackup(backup);
    wallet.close();
    const good = readFileSync(backup);
    const headerLength = good.readUInt16BE(HEADER_START - 2);
    const header = JSON.parse(good.subarray(HEADER_START, HEADER_START + headerLength).toString('utf8'));
    const length = Buffer.alloc(2);
    for (const cost of [
      { N: 2 ** 20, r: 32, p: 16 }, // 4 GiB of memory and 2^29 work
      { N: 2 ** 20, r: 8, p: 16 },
      { N: 2 ** 40, r: 1, p: 1 },
      { N: 2 ** 14, r: 1e9, p: 1 },
    ]) {
      const crafted = Buffer.from(JSON.stringify({ ...header, ...cost }), 'utf8');
      length.writeUInt16BE(crafted.length);
      writeFileSync(
        backup,
        rehash(
          Buffer.concat([
            good.subarray(0, HEADER_START - 2),
            length,
            crafted,
            good.subarray(HEADER_START + headerLength),
          ]),
        ),
      );
      const started = performance.now();
      await expect(
        importBackup({
          path: backup,
          backupPassphrase: PASS,
          into: join(dir, 'x.skillpass'),
          passphrase: 'x',
        }),
      ).rejects.toMatchObject({ code: 'ERR_BACKUP_INVALID' });
      expect(performance.now() - started).toBeLessThan(1000);
    }
    expect(readdirSync(dir)).toEqual(['backup.skillpass']);
  });

  it('checks the size of a backup file before reading it', async () => {
    const dir = tempDir();
    const huge = join(dir, 'huge.skillpass');
    // Sparse: 2 GiB + 1 byte on paper, more than one read can return, nothing on disk.
    writeFileSync(huge, '');
    truncateSync(huge, 2 ** 31 + 1);
    await expect(
      importBackup({ path: huge, backupPassphrase: PASS, into: join(dir, 'w.skillpass'), passphrase: 'x' }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_INVALID' });
    await expect(
      importBackup({ path: dir, backupPassphrase: PASS, into: join(dir, 'w.skillpass'), passphrase: 'x' }),
    ).rejects.toMatchObject({ code: 'ERR_BACKUP_INVALID' });
    await expect(
      importBackup({
        path: join(dir, 'missing'),
        backupPassphrase: PASS,
        into: join(dir, 'w.skillpass'),
        passphrase: 'x',
      }),
    ).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    expect(readdirSync(dir)).toEqual(['huge.skillpass']);
  });

  it('a failed import loses nothing from an existing wallet', async () => {
    const { wallet, path } = await filledWallet();
    const before = wallet.list();
    const backup = join(tempDir(), 'backup.skillpass');
    await wallet.exportBackup(backup);
    wallet.close();
    const good = readFileSync(backup);
    writeFileSync(backup, good.subarray(0, good.length - 100));
    await expect(
      importBackup({ path: backup, backupPassphrase: PASS, into: path, passphrase: PASS }),
    ).rejects.toMatchObject({
      code: 'ERR_BACKUP_INVALID',
    });
    // Another worker's backup cannot be merged into this wallet.
    const other = await filledWallet();
    const otherBackup = join(tempDir(), 'other.skillpass');
    await other.wallet.exportBackup(otherBackup);
    other.wallet.close();
    await expect(
      importBackup({ path: otherBackup, backupPassphrase: PASS, into: path, passphrase: PASS }),
    ).rejects.toMatchObject({ code: 'ERR_HOLDER_MISMATCH' });
    // The right backup with a wrong wallet passphrase.
    writeFileSync(backup, good);
    await expect(
      importBackup({ path: backup, backupPassphrase: PASS, into: path, passphrase: 'wrong' }),
    ).rejects.toMatchObject({ code: 'ERR_WALLET_LOCKED' });
    const after = await openWallet({ path, passphrase: PASS });
    expect(after.list()).toEqual(before);
    after.close();
  });

  it('merges a backup into the same holder wallet: restores what was removed, skips what is there', async () => {
    const { wallet, path } = await filledWallet();
    const backup = join(tempDir(), 'backup.skillpass');
    await wallet.exportBackup(backup);
    const [first, second] = wallet.list();
    wallet.remove(first!.id);
    wallet.close();
    const result = await importBackup({ path: backup, backupPassphrase: PASS, into: path, passphrase: PASS });
    expect(result).toMatchObject({ created: false, imported: 1, skipped: 1 });
    const merged = await openWallet({ path, passphrase: PASS });
    expect(merged.list().map((e) => e.id)).toEqual([second!.id, first!.id]);
    merged.close();
  });

  it('property: a damaged backup never imports and never fails with anything but a SkillpassError', async () => {
    const { wallet } = await filledWallet();
    const dir = tempDir();
    const backup = join(dir, 'backup.skillpass');
    await wallet.exportBackup(backup);
    wallet.close();
    const good = readFileSync(backup);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            kind: fc.constant('flip' as const),
            at: fc.nat(good.length - 1),
            mask: fc.integer({ min: 1, max: 255 }),
          }),
          fc.record({ kind: fc.constant('cut' as const), at: fc.nat(good.length - 1), mask: fc.constant(0) }),
        ),
        async ({ kind, at, mask }) => {
          const bytes = Buffer.from(kind === 'cut' ? good.subarray(0, at) : good);
          if (kind === 'flip') bytes[at] = bytes[at]! ^ mask;
          writeFileSync(backup, bytes);
          const err = await importBackup({
            path: backup,
            backupPassphrase: PASS,
            into: join(dir, 'restored.skillpass'),
            passphrase: 'x',
            ...TEST_KDF,
          }).catch((e: unknown) => e);
          expect(['ERR_BACKUP_INVALID', 'ERR_WALLET_LOCKED']).toContain((err as { code?: string }).code);
        },
      ),
      { numRuns: 150 },
    );
    expect(readdirSync(dir)).toEqual(['backup.skillpass']);
  });
});
