import { createECDH, createPrivateKey, type KeyObject } from 'node:crypto';
import { algorithmForKeyType, keyObjectSigner, type SigningKey, SkillpassError } from '@skillpass/core';
import type { IIdentifier, IKey } from '@veramo/core-types';
import { privateKeyStoreOf, type SkillpassAgent } from './create-agent.js';
import { keyTypeOfVeramoKey, verificationMethodId } from './create-identifier.js';
import type { SqlitePrivateKeyStore } from './sqlite-private-key-store.js';

/** Options of {@link veramoSigningKey}. */
export interface VeramoSigningKeyOptions {
  /**
   * `store` (default): read the private key once from Veramo's private-key store and sign
   * in-process with node:crypto (fast). `key-manager`: every signature goes through
   * `agent.keyManagerSign` (slow; for a remote KMS or an HSM, where the key never leaves).
   */
  via?: 'store' | 'key-manager';
  /** Which key of the identifier. Default its controller key. */
  kid?: string;
  /** The private-key store, for `store` with an agent not made by createSkillpassAgent. */
  privateKeyStore?: SqlitePrivateKeyStore;
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * A core `SigningKey` for a Veramo-managed identifier: the same key Veramo manages, never a
 * second persisted copy. Signatures are raw JWS signatures (EdDSA, or ES256 r||s).
 */
export async function veramoSigningKey(
  agent: SkillpassAgent,
  identifier: IIdentifier,
  options: VeramoSigningKeyOptions = {},
): Promise<SigningKey> {
  const via = options.via ?? 'store';
  const kid = options.kid ?? identifier.controllerKeyId ?? identifier.keys[0]?.kid;
  if (kid === undefined || !identifier.keys.some((k) => k.kid === kid)) {
    throw new SkillpassError('ERR_KEY_NOT_FOUND', `${identifier.did} has no key ${String(kid)}`);
  }
  const key: IKey = await agent.keyManagerGet({ kid });
  const type = keyTypeOfVeramoKey(key);
  if (type === undefined) {
    throw new SkillpassError(
      'ERR_UNSUPPORTED',
      `cannot sign JWS with a ${key.type} key (need Ed25519 or Secp256r1)`,
    );
  }
  const alg = algorithmForKeyType(type);
  const keyId = verificationMethodId(identifier, kid);
  if (via === 'key-manager') {
    return {
      keyId,
      alg,
      sign: async (data) => {
        const signature = await agent.keyManagerSign({
          keyRef: kid,
          data: Buffer.from(data).toString('hex'),
          encoding: 'base16',
          algorithm: alg,
        });
        return Buffer.from(signature, 'base64url');
      },
    };
  }
  if (via !== 'store') throw new SkillpassError('ERR_INVALID_OPTIONS', `via must be store or key-manager`);
  const store = options.privateKeyStore ?? privateKeyStoreOf(agent);
  if (store === undefined) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      "this agent was not made by createSkillpassAgent: pass privateKeyStore, or use via: 'key-manager'",
    );
  }
  const managed = await store.getKey({ alias: kid });
  const privateKey = importVeramoPrivateKey(type, managed.privateKeyHex, key.publicKeyHex);
  return { keyId, alg, sign: keyObjectSigner(privateKey) };
}

/**
 * Build a node:crypto private key from kms-local's `privateKeyHex` (Ed25519: 32-byte seed ||
 * 32-byte public key; P-256: the 32-byte scalar), checking it matches the public key Veramo
 * recorded.
 */
function importVeramoPrivateKey(
  type: 'Ed25519' | 'P-256',
  privateKeyHex: string,
  publicKeyHex: string,
): KeyObject {
  const secret = Buffer.from(privateKeyHex, 'hex');
  let jwk: { kty: string; crv: string; x: string; y?: string; d: string };
  let derivedPublicHex: string;
  if (type === 'Ed25519') {
    if (secret.length !== 64 && secret.length !== 32) throw corrupt();
    const seed = secret.subarray(0, 32);
    const probe = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const x = probe.export({ format: 'jwk' }).x as string;
    derivedPublicHex = Buffer.from(x, 'base64url').toString('hex');
    if (secret.length === 64 && secret.subarray(32).toString('hex') !== derivedPublicHex) throw corrupt();
    jwk = { kty: 'OKP', crv: 'Ed25519', x, d: seed.toString('base64url') };
  } else {
    if (secret.length !== 32) throw corrupt();
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(secret);
    const point = ecdh.getPublicKey();
    derivedPublicHex = ecdh.getPublicKey('hex', 'compressed');
    jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
      d: secret.toString('base64url'),
    };
  }
  if (derivedPublicHex !== publicKeyHex.toLowerCase()) throw corrupt();
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

function corrupt(): SkillpassError {
  return new SkillpassError('ERR_STORE_CORRUPT', 'the stored private key does not match its public key');
}
