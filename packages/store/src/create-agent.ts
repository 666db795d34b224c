import { type ErrorCode, SkillpassError } from '@skillpass/core';
import { createAgent, type TAgent } from '@veramo/core';
import type {
  ICredentialIssuer,
  ICredentialVerifier,
  IDIDManager,
  IKeyManager,
  IResolver,
} from '@veramo/core-types';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager } from '@veramo/did-manager';
import { getDidKeyResolver } from '@veramo/did-provider-key';
import { WebDIDProvider } from '@veramo/did-provider-web';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import type { DIDResolver } from 'did-resolver';
import { doorDidWebResolver } from './internal/door-did-web-resolver.js';
import { SkillpassKeyDIDProvider } from './internal/key-did-provider.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { assertBoxFits, type SecretBox } from './secret-box.js';
import { SqliteDIDStore } from './sqlite-did-store.js';
import { SqliteKeyStore } from './sqlite-key-store.js';
import { SqlitePrivateKeyStore } from './sqlite-private-key-store.js';

/** The Veramo plugin methods a skillpass agent offers. */
export type SkillpassAgentMethods = IKeyManager &
  IDIDManager &
  IResolver &
  ICredentialIssuer &
  ICredentialVerifier;

/** A Veramo agent with key manager, DID manager, resolver and JWT credentials. */
export type SkillpassAgent = TAgent<SkillpassAgentMethods>;

/** Name of the local KMS in every skillpass agent. */
export const LOCAL_KMS = 'local';

/** Options of {@link createSkillpassAgent}. */
export interface SkillpassAgentOptions {
  /** The SQLite file holding keys and DIDs (see openSqlite). */
  db: SqliteDatabase;
  /** Encrypts private keys at rest (see unlockSecretBox). */
  box: SecretBox;
  /** Table-name prefix of the Veramo stores. Default `veramo_`. */
  prefix?: string;
  /** DID provider used when none is named. Default `did:key`. */
  defaultProvider?: 'did:key' | 'did:web';
  /** Extra or replacement DID resolvers by method (e.g. a did:web resolver with a test fetch). */
  resolvers?: Record<string, DIDResolver>;
  /**
   * Thrown when `box` does not (or, after another connection re-keyed the file, no longer)
   * opens the store. Default ERR_STORE_LOCKED; the wallet passes ERR_WALLET_LOCKED.
   */
  lockedCode?: ErrorCode;
}

const privateStores = new WeakMap<object, SqlitePrivateKeyStore>();

/**
 * A Veramo 7 agent over SQLite stores: KeyManager (kms-local over the encrypted private-key
 * store), DIDManager (did:key with Ed25519 and P-256, did:web), DID resolution (did:key, and
 * did:web through the outbound door of @skillpass/net) and CredentialPlugin with the JWT proof format (VC 1.1 `jwt-vc-1.1`).
 */
export function createSkillpassAgent(options: SkillpassAgentOptions): SkillpassAgent {
  const { db, box } = options;
  if (db === undefined || box === undefined) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'createSkillpassAgent needs db and box');
  }
  const lockedCode = options.lockedCode ?? 'ERR_STORE_LOCKED';
  assertBoxFits(db, box, lockedCode);
  const storeOptions = options.prefix === undefined ? {} : { prefix: options.prefix };
  const privateKeyStore = new SqlitePrivateKeyStore(db, box, { ...storeOptions, lockedCode });
  const agent = createAgent<SkillpassAgentMethods>({
    plugins: [
      new KeyManager({
        store: new SqliteKeyStore(db, storeOptions),
        kms: { [LOCAL_KMS]: new KeyManagementSystem(privateKeyStore) },
      }),
      new DIDManager({
        store: new SqliteDIDStore(db, storeOptions),
        defaultProvider: options.defaultProvider ?? 'did:key',
        providers: {
          'did:key': new SkillpassKeyDIDProvider({ defaultKms: LOCAL_KMS }),
          'did:web': new WebDIDProvider({ defaultKms: LOCAL_KMS }),
        },
      }),
      new DIDResolverPlugin({ ...getDidKeyResolver(), ...doorDidWebResolver(), ...options.resolvers }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
  privateStores.set(agent, privateKeyStore);
  return agent;
}

/** The private-key store behind an agent made by {@link createSkillpassAgent}, if it was. */
export function privateKeyStoreOf(agent: object): SqlitePrivateKeyStore | undefined {
  return privateStores.get(agent);
}
