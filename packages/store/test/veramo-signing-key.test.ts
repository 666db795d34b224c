import { verify as cryptoVerify } from 'node:crypto';
import {
  createDidResolver,
  decodeDidKey,
  isSkillpassError,
  type KeyType,
  parseCompactJws,
  signCompactJws,
  verifyJwsSignature,
} from '@skillpass/core';
import {
  createDidKeyIdentifier,
  createDidWebIdentifier,
  createSecretBox,
  createSkillpassAgent,
  didWebDocument,
  openSqlite,
  veramoSigningKey,
} from '@skillpass/store';
import { describe, expect, it } from 'vitest';
import { TEST_KDF } from './helpers.js';

async function agentInMemory() {
  const db = openSqlite(':memory:');
  return createSkillpassAgent({ db, box: await createSecretBox(db, 'pw', TEST_KDF) });
}

const PARSE = { maxBytes: 65536, typ: ['vc+jwt'] };

describe('veramoSigningKey', () => {
  for (const keyType of ['Ed25519', 'P-256'] as KeyType[]) {
    for (const via of ['store', 'key-manager'] as const) {
      it(`${keyType} via ${via}: signatures verify under the did:key's public key`, async () => {
        const agent = await agentInMemory();
        const identifier = await createDidKeyIdentifier(agent, { keyType });
        const key = await veramoSigningKey(agent, identifier, { via });
        const decoded = decodeDidKey(identifier.did)!;
        expect(key.keyId).toBe(decoded.keyId);
        expect(key.alg).toBe(keyType === 'Ed25519' ? 'EdDSA' : 'ES256');

        const token = await signCompactJws({ typ: 'vc+jwt' }, { iss: identifier.did, n: 1 }, key);
        const parsed = parseCompactJws(token, PARSE);
        if (!parsed.ok) throw new Error(parsed.problem.message);
        expect(parsed.jws.header.kid).toBe(decoded.keyId);
        expect(verifyJwsSignature(parsed.jws, decoded.publicKey)).toBe(true);

        // and through core's resolver, the way the verifier finds the key
        const resolved = await createDidResolver().resolveKey(key.keyId, identifier.did);
        if (!resolved.ok) throw new Error(resolved.message);
        expect(verifyJwsSignature(parsed.jws, resolved.key)).toBe(true);

        // a signature over other bytes does not verify
        const other = await key.sign(Buffer.from('something else'));
        const data = Buffer.from(parsed.jws.signingInput, 'ascii');
        expect(
          keyType === 'Ed25519'
            ? cryptoVerify(null, data, decoded.publicKey, other)
            : cryptoVerify('sha256', data, { key: decoded.publicKey, dsaEncoding: 'ieee-p1363' }, other),
        ).toBe(false);
      });
    }
  }

  it('both paths sign with the same Ed25519 key: identical signatures (Ed25519 is deterministic)', async () => {
    const agent = await agentInMemory();
    const identifier = await createDidKeyIdentifier(agent);
    const fast = await veramoSigningKey(agent, identifier);
    const slow = await veramoSigningKey(agent, identifier, { via: 'key-manager' });
    const data = Buffer.from('same bytes');
    expect(Buffer.from(await fast.sign(data)).equals(Buffer.from(await slow.sign(data)))).toBe(true);
  });

  it('did:web: the key id is in the served document and verifies through core resolution', async () => {
    const agent = await agentInMemory();
    const web = await createDidWebIdentifier(agent, { host: 'centre.example' });
    const key = await veramoSigningKey(agent, web);
    const token = await signCompactJws({ typ: 'vc+jwt' }, { iss: web.did }, key);
    const parsed = parseCompactJws(token, PARSE);
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const resolver = createDidResolver({ documents: [didWebDocument(web)] });
    const resolved = await resolver.resolveKey(key.keyId, web.did);
    if (!resolved.ok) throw new Error(resolved.message);
    expect(verifyJwsSignature(parsed.jws, resolved.key)).toBe(true);
  });

  it('reads the private key once: signing keeps working after the key row is gone', async () => {
    const db = openSqlite(':memory:');
    const agent = createSkillpassAgent({ db, box: await createSecretBox(db, 'pw', TEST_KDF) });
    const identifier = await createDidKeyIdentifier(agent);
    const key = await veramoSigningKey(agent, identifier);
    db.exec('DELETE FROM veramo_private_keys');
    expect((await key.sign(Buffer.from('x'))).length).toBe(64);
    await expect(veramoSigningKey(agent, identifier)).rejects.toSatisfy((e: unknown) =>
      isSkillpassError(e, 'ERR_NOT_FOUND'),
    );
  });

  it('refuses a kid the identifier does not hold', async () => {
    const agent = await agentInMemory();
    const identifier = await createDidKeyIdentifier(agent);
    await expect(veramoSigningKey(agent, identifier, { kid: 'other' })).rejects.toSatisfy((e: unknown) =>
      isSkillpassError(e, 'ERR_KEY_NOT_FOUND'),
    );
  });
});
