import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { decodeDidKey, publicJwkOf } from '@skillpass/core';
import { sdJwtSigner, sha256Hasher } from '@skillpass/core/internal';
import { issueSdJwtSkillCredential, issueSkillCredential } from '@skillpass/issuer';
import { openSqlite, SqlitePrivateKeyStore, unlockSecretBox } from '@skillpass/store';
import { createVerifier } from '@skillpass/verifier';
import { describe, expect, it, vi } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createWallet, openWallet, presentSdJwtCredential, type Wallet } from '../src/index.js';
import { centre, ISSUER, sdJwtFor, TEST_KDF, tempDir, vcFor } from './helpers.js';

const AUD = 'https://jobs.metaalbedrijf.example';
const CHALLENGE = 'wallet-challenge-1';
const verifier = createVerifier();

async function newWallet(
  passphrase = 'correct horse battery staple',
): Promise<{ wallet: Wallet; path: string }> {
  const path = join(tempDir(), 'wallet.skillpass');
  return { wallet: await createWallet({ path, passphrase, ...TEST_KDF }), path };
}

describe('createWallet / openWallet', () => {
  it('creates an owner-only file with an Ed25519 did:key, and reopens it with the passphrase', async () => {
    const { wallet, path } = await newWallet();
    expect(wallet.did).toMatch(/^did:key:z6Mk/);
    expect(wallet.publicJwk).toEqual(publicJwkOf(decodeDidKey(wallet.did)!.publicKey));
    expect((await wallet.signingKey()).keyId).toBe(`${wallet.did}#${wallet.did.slice('did:key:'.length)}`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    wallet.close();
    const again = await openWallet({ path, passphrase: 'correct horse battery staple' });
    expect(again.did).toBe(wallet.did);
    again.close();
  });

  it('gives ERR_WALLET_LOCKED for a wrong passphrase, never garbage', async () => {
    const { wallet, path } = await newWallet();
    await wallet.addCredential(await vcFor(wallet.did));
    wallet.close();
    for (const wrong of ['Correct horse battery staple', 'correct horse battery staple ', 'x']) {
      await expect(openWallet({ path, passphrase: wrong })).rejects.toMatchObject({
        code: 'ERR_WALLET_LOCKED',
      });
    }
    const again = await openWallet({ path, passphrase: 'correct horse battery staple' });
    expect(again.list()).toHaveLength(1);
    again.close();
  });

  it('refuses to create over an existing file, and to open a missing file or a non-wallet', async () => {
    const { wallet, path } = await newWallet();
    wallet.close();
    await expect(createWallet({ path, passphrase: 'p', ...TEST_KDF })).rejects.toMatchObject({
      code: 'ERR_ALREADY_EXISTS',
    });
    await expect(openWallet({ path: `${path}.missing`, passphrase: 'p' })).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
    const other = join(tempDir(), 'other.db');
    openSqlite(other).close();
    await expect(openWallet({ path: other, passphrase: 'p' })).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
    const junk = join(tempDir(), 'junk.skillpass');
    writeFileSync(junk, 'not a database at all, just text that is long enough to look like something');
    await expect(openWallet({ path: junk, passphrase: 'p' })).rejects.toMatchObject({
      code: 'ERR_STORE_CORRUPT',
    });
  });

  it('refuses weak scrypt parameters unless asked, leaving no file behind', async () => {
    const dir = tempDir();
    await expect(
      createWallet({ path: join(dir, 'weak.skillpass'), passphrase: 'p', kdf: { N: 2 ** 14 } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the holder private key and the credentials encrypted at rest', async () => {
    const passphrase = 'correct horse battery staple';
    const { wallet, path } = await newWallet(passphrase);
    const sd = await sdJwtFor(wallet.did, '1990-04-17');
    await wallet.addCredential(sd.token);
    await wallet.addCredential(await vcFor(wallet.did));
    wallet.close();
    const db = openSqlite(path);
    const box = await unlockSecretBox(db, passphrase, { lockedCode: 'ERR_WALLET_LOCKED' });
    const [key] = await new SqlitePrivateKeyStore(db, box).listKeys();
    db.close();
    const file = readFileSync(path);
    const privateHex = key!.privateKeyHex;
    expect(privateHex).toMatch(/^[0-9a-f]{64,128}$/);
    const secrets = [
      privateHex,
      Buffer.from(privateHex, 'hex').toString('binary'),
      Buffer.from(privateHex.slice(0, 64), 'hex').toString('base64url'),
      sd.token.slice(0, 40),
      sd.id,
      'program a CNC controller',
      'read standard blueprints',
      '1990-04-17',
      ISSUER.name,
    ];
    for (const secret of secrets) expect(file.includes(Buffer.from(secret, 'binary'))).toBe(false);
  });
});

describe('addCredential', () => {
  it('adds verified credentials of both formats and lists them decrypted', async () => {
    const { wallet } = await newWallet();
    const vc = await wallet.addCredential(await vcFor(wallet.did));
    const sd = await wallet.addCredential((await sdJwtFor(wallet.did)).token);
    expect(vc).toMatchObject({ format: 'vc+jwt', level: 4, issuer: centre.did, issuerName: ISSUER.name });
    expect(sd).toMatchObject({ format: 'dc+sd-jwt', level: 3, skill: { name: 'program a CNC controller' } });
    expect(wallet.list().map((e) => e.id)).toEqual([vc.id, sd.id]);
    expect(Date.parse(wallet.list()[0]!.addedAt)).not.toBeNaN();
    expect(wallet.get(sd.id).token).toContain('~');
    wallet.close();
  });

  it('refuses another subject, a broken credential and a duplicate, leaving the wallet unchanged', async () => {
    const { wallet } = await newWallet();
    const mine = await vcFor(wallet.did);
    await wallet.addCredential(mine);
    const before = wallet.list();
    const someoneElse = makeIdentity();
    const [h, p, s] = mine.split('.');
    const tampered = `${h}.${p}.${s!.slice(0, 10)}${s![10] === 'A' ? 'B' : 'A'}${s!.slice(11)}`;
    const expired = (
      await issueSkillCredential(
        { ...CNC_ASSESSMENTS[0]!, validFrom: '2020-01-01T00:00:00Z', validUntil: '2021-01-01T00:00:00Z' },
        { issuer: ISSUER, subject: wallet.did, signingKey: centre.signingKey },
      )
    ).token;
    const sdOfOther = (await sdJwtFor(someoneElse.did)).token;
    const cases: [string, string][] = [
      [await vcFor(someoneElse.did), 'ERR_HOLDER_MISMATCH'],
      [sdOfOther, 'ERR_HOLDER_MISMATCH'],
      [tampered, 'ERR_SIGNATURE_INVALID'],
      [expired, 'ERR_EXPIRED'],
      [mine, 'ERR_ALREADY_EXISTS'],
      ['not a credential', 'ERR_MALFORMED'],
    ];
    for (const [token, code] of cases) {
      const err = await wallet.addCredential(token).catch((e: unknown) => e);
      expect({ code: (err as { code?: string }).code }).toEqual({ code });
      if (code !== 'ERR_ALREADY_EXISTS')
        expect((err as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
      expect(wallet.list()).toEqual(before);
    }
    wallet.close();
  });

  it('refuses an SD-JWT whose cnf key is not the wallet key, and an SD-JWT presentation', async () => {
    const { wallet } = await newWallet();
    // The issuer refuses to bind a did:key subject to another key, so sign such a token by hand.
    const { claims } = await issueSdJwtSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: ISSUER,
      subject: wallet.did,
      signingKey: centre.signingKey,
    });
    const boundElsewhere = await new SDJwtVcInstance({
      hasher: sha256Hasher,
      hashAlg: 'sha-256',
      saltGenerator: () => randomBytes(16).toString('base64url'),
      signer: sdJwtSigner(centre.signingKey),
      signAlg: centre.signingKey.alg,
    }).issue(
      { ...claims, cnf: { jwk: publicJwkOf(makeIdentity().publicKey) } } as Parameters<
        SDJwtVcInstance['issue']
      >[0],
      undefined,
      { header: { kid: centre.signingKey.keyId } },
    );
    await expect(wallet.addCredential(boundElsewhere)).rejects.toMatchObject({
      code: 'ERR_HOLDER_MISMATCH',
    });
    const stored = await wallet.addCredential((await sdJwtFor(wallet.did)).token);
    const shown = await presentSdJwtCredential(wallet.get(stored.id).token, {
      audience: AUD,
      challenge: CHALLENGE,
      signingKey: await wallet.signingKey(),
    });
    await expect(wallet.addCredential(shown)).rejects.toMatchObject({ code: 'ERR_MALFORMED' });
    expect(wallet.list()).toHaveLength(1);
    wallet.close();
  });

  it('get and remove report ERR_NOT_FOUND for an unknown id', async () => {
    const { wallet } = await newWallet();
    const entry = await wallet.addCredential(await vcFor(wallet.did));
    expect(() => wallet.get('urn:uuid:nope')).toThrow(expect.objectContaining({ code: 'ERR_NOT_FOUND' }));
    expect(() => wallet.remove('urn:uuid:nope')).toThrow(expect.objectContaining({ code: 'ERR_NOT_FOUND' }));
    wallet.remove(entry.id);
    expect(wallet.list()).toEqual([]);
    wallet.close();
    expect(() => wallet.list()).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('changePassphrase', () => {
  it('re-encrypts keys and credentials: the old passphrase stops working, everything stays', async () => {
    const { wallet, path } = await newWallet('old passphrase');
    await wallet.addCredential(await vcFor(wallet.did));
    await wallet.addCredential((await sdJwtFor(wallet.did)).token);
    const before = wallet.list();
    await wallet.changePassphrase('new passphrase');
    // Still usable in this session: the holder key signs through the re-keyed store.
    const passport = await wallet.createPassport({ audience: AUD, challenge: CHALLENGE });
    expect((await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE })).verified).toBe(
      true,
    );
    wallet.close();
    await expect(openWallet({ path, passphrase: 'old passphrase' })).rejects.toMatchObject({
      code: 'ERR_WALLET_LOCKED',
    });
    const reopened = await openWallet({ path, passphrase: 'new passphrase' });
    expect(reopened.did).toBe(wallet.did);
    expect(reopened.list()).toEqual(before);
    const again = await reopened.createPassport({ audience: AUD, challenge: CHALLENGE });
    expect((await verifier.verifyPassport(again, { audience: AUD, challenge: CHALLENGE })).verified).toBe(
      true,
    );
    reopened.close();
  });

  it('a second handle opened before the change stops working instead of writing under the old key', async () => {
    const { wallet, path } = await newWallet('old passphrase');
    const other = await openWallet({ path, passphrase: 'old passphrase' });
    await wallet.changePassphrase('new passphrase');
    const token = await vcFor(wallet.did);
    await expect(other.addCredential(token)).rejects.toMatchObject({ code: 'ERR_WALLET_LOCKED' });
    expect(() => other.list()).toThrow(expect.objectContaining({ code: 'ERR_WALLET_LOCKED' }));
    await expect(other.exportBackup(join(tempDir(), 'b'))).rejects.toMatchObject({
      code: 'ERR_WALLET_LOCKED',
    });
    // Signing goes through Veramo's key manager, whose private-key store checks the key too.
    await expect(other.createPassport({ audience: AUD, challenge: CHALLENGE })).rejects.toMatchObject({
      code: 'ERR_WALLET_LOCKED',
    });
    other.close();
    await wallet.addCredential(token);
    expect(wallet.list()).toHaveLength(1);
    wallet.close();
  });
});

describe('createPassport', () => {
  it('signs a mixed passport through the holder key, disclosing only what is asked', async () => {
    const { wallet } = await newWallet();
    const vc = await wallet.addCredential(await vcFor(wallet.did));
    const sd = await wallet.addCredential((await sdJwtFor(wallet.did, '1990-04-17')).token);
    const passport = await wallet.createPassport({
      audience: AUD,
      challenge: CHALLENGE,
      disclose: { [sd.id]: ['assessor'] },
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.problems).toEqual([]);
    expect(report.holder).toBe(wallet.did);
    expect(report.credentials.map((c) => c.format)).toEqual(['vc+jwt', 'dc+sd-jwt']);
    expect(report.credentials[1]!.disclosed).toEqual(['evidence.0', 'evidence.0.assessor']);
    expect(JSON.stringify(report.credentials[1])).not.toMatch(/1990-04-17|"score"/);

    const minimal = await wallet.createPassport({ audience: AUD, challenge: CHALLENGE, only: [sd.id] });
    const minimalReport = await verifier.verifyPassport(minimal, { audience: AUD, challenge: CHALLENGE });
    expect(minimalReport.verified).toBe(true);
    expect(minimalReport.credentials.map((c) => [c.id, c.disclosed])).toEqual([[sd.id, []]]);

    await expect(
      wallet.createPassport({ audience: AUD, challenge: CHALLENGE, disclose: { [vc.id]: ['score'] } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
    await expect(
      wallet.createPassport({
        audience: AUD,
        challenge: CHALLENGE,
        only: [vc.id],
        disclose: { [sd.id]: ['score'] },
      }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
    await expect(
      wallet.createPassport({ audience: AUD, challenge: CHALLENGE, disclose: { [sd.id]: ['salary'] } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
    await expect(
      wallet.createPassport({ audience: AUD, challenge: CHALLENGE, only: ['urn:x'] }),
    ).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
    wallet.close();
  });

  it('includes a credential named twice in `only` once (verifiers refuse duplicates)', async () => {
    const { wallet } = await newWallet();
    const vc = await wallet.addCredential(await vcFor(wallet.did));
    const sd = await wallet.addCredential((await sdJwtFor(wallet.did)).token);
    const passport = await wallet.createPassport({
      audience: AUD,
      challenge: CHALLENGE,
      only: [vc.id, sd.id, vc.id, sd.id],
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.problems.map((p) => p.code)).toEqual([]);
    expect(report.credentials.map((c) => c.id)).toEqual([vc.id, sd.id]);
    wallet.close();
  });

  it("signs passports and key-binding JWTs through Veramo's key manager by default; signVia store reads the key once", async () => {
    const { wallet, path } = await newWallet();
    const sd = await wallet.addCredential((await sdJwtFor(wallet.did)).token);
    await wallet.signingKey();
    // kms-local fetches the private key from the store for every signature it makes.
    const reads = vi.spyOn(SqlitePrivateKeyStore.prototype, 'getKey');
    try {
      const viaKms = await wallet.createPassport({ audience: AUD, challenge: CHALLENGE });
      expect(reads).toHaveBeenCalledTimes(2); // the key-binding JWT and the passport
      expect((await verifier.verifyPassport(viaKms, { audience: AUD, challenge: CHALLENGE })).verified).toBe(
        true,
      );
      wallet.close();

      const direct = await openWallet({ path, passphrase: 'correct horse battery staple', signVia: 'store' });
      await direct.signingKey();
      reads.mockClear();
      const viaStore = await direct.createPassport({ audience: AUD, challenge: CHALLENGE, only: [sd.id] });
      expect(reads).not.toHaveBeenCalled();
      expect(
        (await verifier.verifyPassport(viaStore, { audience: AUD, challenge: CHALLENGE })).verified,
      ).toBe(true);
      direct.close();
    } finally {
      reads.mockRestore();
    }
    await expect(openWallet({ path, passphrase: 'x', signVia: 'hsm' as 'store' })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
    });
  });
});
