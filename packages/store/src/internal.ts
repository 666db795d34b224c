/**
 * **Internal — for skillpass's own packages only.** The pieces the issuer and the wallet use to
 * lay out their own encrypted tables and Veramo stores (per-cell associated data, the
 * column registry, the local KMS name, the Veramo data stores). They are not part of the public
 * API of `@skillpass/store`: `@skillpass/store/internal` may change or lose any name in any
 * release, without a major version. Import from `@skillpass/store` instead.
 *
 * @packageDocumentation
 */
export { LOCAL_KMS } from './create-agent.js';
export { keyTypeOfVeramoKey, verificationMethodId } from './create-identifier.js';
export type { EncryptedColumn } from './secret-box.js';
export { assertBoxFits, cellAd, listEncryptedColumns, registerEncryptedColumn } from './secret-box.js';
export { SqliteDIDStore } from './sqlite-did-store.js';
export type { VeramoStoreOptions } from './sqlite-key-store.js';
export { SqliteKeyStore } from './sqlite-key-store.js';
