export type { SkillpassAgent, SkillpassAgentMethods, SkillpassAgentOptions } from './create-agent.js';
export { createSkillpassAgent } from './create-agent.js';
export type { CreateDidKeyOptions, CreateDidWebOptions } from './create-identifier.js';
export {
  createDidKeyIdentifier,
  createDidWebIdentifier,
  didWebDocument,
} from './create-identifier.js';
export type { KdfOptions, KdfParams } from './derive-key.js';
export {
  checkKdfParams,
  DEFAULT_KDF,
  deriveKey,
  MAX_KDF_MEMORY_BYTES,
  MAX_KDF_N,
  MAX_KDF_WORK,
  MIN_KDF_N,
  newKdfParams,
} from './derive-key.js';
export type { Migration, OpenSqliteOptions, SqliteDatabase } from './open-sqlite.js';
export { migrate, openSqlite } from './open-sqlite.js';
export { createOwnerOnlyFile } from './owner-only-file.js';
export { rekey } from './rekey.js';
export type { SecretBoxOptions } from './secret-box.js';
export {
  createSecretBox,
  SecretBox,
  unlockSecretBox,
} from './secret-box.js';
export type { SqlitePrivateKeyStoreOptions } from './sqlite-private-key-store.js';
export { SqlitePrivateKeyStore } from './sqlite-private-key-store.js';
export type { StoreKind } from './store-kinds.js';
export { STORE_APPLICATION_IDS } from './store-kinds.js';
export type { VeramoSigningKeyOptions } from './veramo-signing-key.js';
export { veramoSigningKey } from './veramo-signing-key.js';
export type { WriteFileAtomicallyOptions } from './write-file-atomic.js';
export { writeFileAtomically } from './write-file-atomic.js';
