import {
  type DidDocument,
  didWebFromHost,
  type KeyType,
  publicJwkOf,
  publicKeyFromRaw,
  SkillpassError,
  type VerificationMethod,
} from '@skillpass/core';
import type { IIdentifier, IKey } from '@veramo/core-types';
import type { SkillpassAgent } from './create-agent.js';

/** Options of {@link createDidKeyIdentifier}. */
export interface CreateDidKeyOptions {
  /** Default Ed25519. */
  keyType?: KeyType;
  /** A unique name to find the identifier by later. */
  alias?: string;
}

/** Options of {@link createDidWebIdentifier}. */
export interface CreateDidWebOptions {
  /** Host (and port) that serves `/.well-known/did.json`, e.g. `centre.example` or `localhost:8443`. */
  host: string;
  /** Path segments, for `did:web:host:a:b` (document at `/a/b/did.json`). */
  path?: readonly string[];
  /** Default Ed25519. */
  keyType?: KeyType;
}

/** Veramo's name of each key type. */
const VERAMO_KEY_TYPE: Record<KeyType, 'Ed25519' | 'Secp256r1'> = {
  Ed25519: 'Ed25519',
  'P-256': 'Secp256r1',
};

/** Create a did:key (Ed25519 `z6Mk…` or P-256 `zDn…`) whose key Veramo manages. */
export async function createDidKeyIdentifier(
  agent: SkillpassAgent,
  options: CreateDidKeyOptions = {},
): Promise<IIdentifier> {
  const keyType = checkKeyType(options.keyType);
  return agent.didManagerCreate({
    provider: 'did:key',
    ...(options.alias === undefined ? {} : { alias: options.alias }),
    options: { keyType: VERAMO_KEY_TYPE[keyType] },
  });
}

/**
 * Create a did:web for a host whose key Veramo manages. Serve {@link didWebDocument} of the
 * result at the DID's URL (`https://host/.well-known/did.json`).
 */
export async function createDidWebIdentifier(
  agent: SkillpassAgent,
  options: CreateDidWebOptions,
): Promise<IIdentifier> {
  const keyType = checkKeyType(options.keyType);
  const did = didWebFromHost(options.host, options.path);
  // WebDIDProvider makes the DID `did:web:<alias>`.
  return agent.didManagerCreate({
    provider: 'did:web',
    alias: did.slice('did:web:'.length),
    options: { keyType: VERAMO_KEY_TYPE[keyType] },
  });
}

/**
 * The verification method id (JWS `kid`) of an identifier's key: `did:key:z…#z…` for
 * did:key, `<did>#<kid>` otherwise (Veramo's convention for did:web documents).
 */
export function verificationMethodId(identifier: IIdentifier, kid?: string): string {
  const keyKid = kid ?? identifier.controllerKeyId ?? identifier.keys[0]?.kid;
  if (keyKid === undefined) throw new SkillpassError('ERR_KEY_NOT_FOUND', `${identifier.did} has no key`);
  if (identifier.did.startsWith('did:key:'))
    return `${identifier.did}#${identifier.did.slice('did:key:'.length)}`;
  return `${identifier.did}#${keyKid}`;
}

/** The skillpass key type of a Veramo key, or undefined when skillpass cannot sign with it. */
export function keyTypeOfVeramoKey(key: Pick<IKey, 'type'>): KeyType | undefined {
  if (key.type === 'Ed25519') return 'Ed25519';
  if (key.type === 'Secp256r1') return 'P-256';
  return undefined;
}

/**
 * The DID document of a did:web identifier, to serve as `/.well-known/did.json`: one
 * JsonWebKey2020 verification method (publicKeyJwk) per Ed25519/P-256 key, each listed for
 * assertionMethod and authentication.
 */
export function didWebDocument(identifier: IIdentifier): DidDocument {
  if (!identifier.did.startsWith('did:web:')) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `${identifier.did} is not a did:web`);
  }
  const methods: VerificationMethod[] = [];
  for (const key of identifier.keys) {
    const type = keyTypeOfVeramoKey(key);
    if (type === undefined) continue;
    methods.push({
      id: verificationMethodId(identifier, key.kid),
      type: 'JsonWebKey2020',
      controller: identifier.did,
      publicKeyJwk: publicJwkOf(publicKeyFromRaw(type, Buffer.from(key.publicKeyHex, 'hex'))),
    });
  }
  if (methods.length === 0)
    throw new SkillpassError('ERR_KEY_NOT_FOUND', `${identifier.did} has no Ed25519 or P-256 key`);
  const ids = methods.map((m) => m.id);
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: identifier.did,
    verificationMethod: methods,
    assertionMethod: ids,
    authentication: ids,
  };
}

function checkKeyType(keyType: KeyType | undefined): KeyType {
  const type = keyType ?? 'Ed25519';
  if (type !== 'Ed25519' && type !== 'P-256') {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `key type must be Ed25519 or P-256, not ${String(keyType)}`,
    );
  }
  return type;
}
