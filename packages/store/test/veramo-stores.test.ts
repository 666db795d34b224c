import { readFileSync } from 'node:fs';
import { decodeDidKey, isSkillpassError } from '@skillpass/core';
import {
  createDidKeyIdentifier,
  createDidWebIdentifier,
  createSecretBox,
  createSkillpassAgent,
  didWebDocument,
  openSqlite,
  SqlitePrivateKeyStore,
  unlockSecretBox,
} from '@skillpass/store';
import { SqliteDIDStore, SqliteKeyStore } from '@skillpass/store/internal';
import { describe, expect, it } from 'vitest';
import { TEST_KDF, tempDir } from './helpers.js';

describe('Veramo stores on SQLite', () => {
  it('keeps private keys encrypted on disk: the raw file holds no private key bytes', async () => {
    const path = `${tempDir()}/k.db`;
    const db = openSqlite(path);
    const box = await createSecretBox(db, 'pw', TEST_KDF);
    const agent = createSkillpassAgent({ db, box });
    const identifier = await createDidKeyIdentifier(agent);
    const [managed] = await new SqlitePrivateKeyStore(db, box).listKeys();
    db.close(); // checkpoints the WAL into the main file
    const raw = readFileSync(path);
    const secret = Buffer.from(managed!.privateKeyHex, 'hex');
    expect(secret.length).toBe(64);
    expect(raw.includes(Buffer.from(managed!.privateKeyHex))).toBe(false);
    expect(raw.includes(Buffer.from(managed!.privateKeyHex.toUpperCase()))).toBe(false);
    expect(raw.includes(secret.subarray(0, 32))).toBe(false);
    // The public key is stored in the clear (it is public): proves the search itself works.
    expect(raw.includes(Buffer.from(identifier.keys[0]!.publicKeyHex))).toBe(true);
  });

  it('round-trips keys and DIDs through a reopened file and still signs with them', async () => {
    const path = `${tempDir()}/k.db`;
    const db = openSqlite(path);
    const box = await createSecretBox(db, 'pw', TEST_KDF);
    const agent = createSkillpassAgent({ db, box });
    const ed = await createDidKeyIdentifier(agent, { alias: 'ed' });
    const p256 = await createDidKeyIdentifier(agent, { keyType: 'P-256' });
    const web = await createDidWebIdentifier(agent, { host: 'centre.example' });
    db.close();

    const db2 = openSqlite(path);
    const agent2 = createSkillpassAgent({ db: db2, box: await unlockSecretBox(db2, 'pw') });
    expect((await agent2.didManagerFind()).map((i) => i.did)).toEqual([ed.did, p256.did, web.did]);
    expect(await agent2.didManagerGet({ did: ed.did })).toEqual(ed);
    expect((await agent2.didManagerGetByAlias({ alias: 'ed' })).did).toBe(ed.did);
    expect(await agent2.didManagerGet({ did: web.did })).toEqual(web);
    expect(decodeDidKey(ed.did)?.type).toBe('Ed25519');
    expect(decodeDidKey(p256.did)?.type).toBe('P-256');
    expect(p256.did.startsWith('did:key:zDn')).toBe(true);
    expect(web.did).toBe('did:web:centre.example');
    expect((await agent2.keyManagerGet({ kid: p256.controllerKeyId! })).type).toBe('Secp256r1');

    for (const issuer of [ed, p256]) {
      const vc = await agent2.createVerifiableCredential({
        credential: {
          issuer: { id: issuer.did },
          credentialSubject: { id: 'did:example:worker', skill: 'CNC milling' },
        },
        proofFormat: 'jwt',
      });
      const result = await agent2.verifyCredential({ credential: vc });
      expect(result.verified).toBe(true);
    }
    db2.close();
  });

  it('did:web document lists JsonWebKey2020 keys for assertionMethod and authentication', async () => {
    const db = openSqlite(':memory:');
    const agent = createSkillpassAgent({ db, box: await createSecretBox(db, 'pw', TEST_KDF) });
    const web = await createDidWebIdentifier(agent, { host: 'localhost:8443', keyType: 'P-256' });
    expect(web.did).toBe('did:web:localhost%3A8443');
    const doc = didWebDocument(web);
    const method = doc.verificationMethod![0]!;
    expect(method).toMatchObject({
      type: 'JsonWebKey2020',
      controller: web.did,
      publicKeyJwk: { kty: 'EC', crv: 'P-256' },
    });
    expect(doc.assertionMethod).toEqual([method.id]);
    expect(doc.authentication).toEqual([method.id]);
  });

  it('two prefixes share one file without seeing each other', async () => {
    const db = openSqlite(':memory:');
    const box = await createSecretBox(db, 'pw', TEST_KDF);
    const a = createSkillpassAgent({ db, box, prefix: 'a_' });
    const b = createSkillpassAgent({ db, box, prefix: 'b_' });
    const ida = await createDidKeyIdentifier(a);
    expect((await a.didManagerFind()).map((i) => i.did)).toEqual([ida.did]);
    expect(await b.didManagerFind()).toEqual([]);
    expect(await new SqliteKeyStore(db, { prefix: 'b_' }).listKeys({})).toEqual([]);
    expect((await new SqliteKeyStore(db, { prefix: 'a_' }).listKeys({})).length).toBe(1);
  });

  it('reports missing rows with ERR_NOT_FOUND and refuses a different key under an existing alias', async () => {
    const db = openSqlite(':memory:');
    const box = await createSecretBox(db, 'pw', TEST_KDF);
    const keys = new SqliteKeyStore(db);
    const privateKeys = new SqlitePrivateKeyStore(db, box);
    const dids = new SqliteDIDStore(db);
    for (const attempt of [
      keys.getKey({ kid: 'nope' }),
      keys.deleteKey({ kid: 'nope' }),
      privateKeys.getKey({ alias: 'nope' }),
      dids.getDID({ did: 'did:key:nope' }),
      dids.getDID({ alias: 'nope' }),
    ]) {
      await expect(attempt).rejects.toSatisfy((e: unknown) => isSkillpassError(e, 'ERR_NOT_FOUND'));
    }
    await privateKeys.importKey({ alias: 'k', type: 'Ed25519', privateKeyHex: 'aa'.repeat(64) });
    await expect(
      privateKeys.importKey({ alias: 'k', type: 'Ed25519', privateKeyHex: 'bb'.repeat(64) }),
    ).rejects.toSatisfy((e: unknown) => isSkillpassError(e, 'ERR_ALREADY_EXISTS'));
    expect(() => new SqliteKeyStore(db, { prefix: 'bad-prefix"' })).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });

  it('an alias another identifier already has is ERR_ALREADY_EXISTS; re-importing one DID updates it', async () => {
    const dids = new SqliteDIDStore(openSqlite(':memory:'));
    await dids.importDID({
      did: 'did:web:a.example',
      alias: 'centre',
      provider: 'did:web',
      keys: [],
      services: [],
    });
    await expect(
      dids.importDID({
        did: 'did:web:b.example',
        alias: 'centre',
        provider: 'did:web',
        keys: [],
        services: [],
      }),
    ).rejects.toSatisfy((e: unknown) => isSkillpassError(e, 'ERR_ALREADY_EXISTS'));
    await dids.importDID({
      did: 'did:web:a.example',
      alias: 'centre',
      provider: 'did:web',
      keys: [],
      services: [],
    });
    expect((await dids.listDIDs()).map((d) => d.did)).toEqual(['did:web:a.example']);
  });

  it('an identity cut off before its DID row is never used (the window README describes)', async () => {
    const db = openSqlite(':memory:');
    const agent = createSkillpassAgent({ db, box: await createSecretBox(db, 'pw', TEST_KDF) });
    // Stand-in for a crash after the private key and key row were written: the DID row fails.
    db.exec(
      "CREATE TEMP TRIGGER no_did BEFORE INSERT ON veramo_dids BEGIN SELECT RAISE(ABORT, 'crash'); END",
    );
    await expect(createDidKeyIdentifier(agent, { alias: 'me' })).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_TRIGGER',
    });
    db.exec('DROP TRIGGER no_did');
    expect(await agent.didManagerFind()).toEqual([]);
    await expect(agent.didManagerGetByAlias({ alias: 'me' })).rejects.toSatisfy((e: unknown) =>
      isSkillpassError(e, 'ERR_NOT_FOUND'),
    );
    // The next attempt makes a whole, usable identity.
    const identifier = await createDidKeyIdentifier(agent, { alias: 'me' });
    expect((await agent.didManagerGetByAlias({ alias: 'me' })).did).toBe(identifier.did);
  });

  it('re-importing the same private key is idempotent whatever the hex case', async () => {
    const db = openSqlite(':memory:');
    const privateKeys = new SqlitePrivateKeyStore(db, await createSecretBox(db, 'pw', TEST_KDF));
    const lower = 'ab'.repeat(64);
    expect(
      await privateKeys.importKey({ alias: 'k', type: 'Ed25519', privateKeyHex: lower.toUpperCase() }),
    ).toEqual({
      alias: 'k',
      type: 'Ed25519',
      privateKeyHex: lower,
    });
    await privateKeys.importKey({ alias: 'k', type: 'Ed25519', privateKeyHex: lower });
    await privateKeys.importKey({ alias: 'k', type: 'Ed25519', privateKeyHex: lower.toUpperCase() });
    expect(await privateKeys.listKeys()).toEqual([{ alias: 'k', type: 'Ed25519', privateKeyHex: lower }]);
  });

  it('an agent refuses a box that does not open its store', async () => {
    const db = openSqlite(':memory:');
    await createSecretBox(db, 'pw', TEST_KDF);
    const other = await createSecretBox(openSqlite(':memory:'), 'pw', TEST_KDF);
    expect(() => createSkillpassAgent({ db, box: other })).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_LOCKED' }),
    );
  });
});
