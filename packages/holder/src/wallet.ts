import { createHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import {
  type CredentialFormat,
  decodeDidKey,
  type ErrorCode,
  type PublicJwk,
  publicJwkOf,
  type SigningKey,
  SkillpassError,
} from '@skillpass/core';
import {
  createDidKeyIdentifier,
  createOwnerOnlyFile,
  createSecretBox,
  createSkillpassAgent,
  deriveKey,
  newKdfParams,
  openSqlite,
  rekey,
  SecretBox,
  type SkillpassAgent,
  type SqliteDatabase,
  SqlitePrivateKeyStore,
  unlockSecretBox,
  veramoSigningKey,
  writeFileAtomically,
} from '@skillpass/store';
import { assertBoxFits, LOCAL_KMS } from '@skillpass/store/internal';
import { createVerifier, credentialFormatOf, type Verifier } from '@skillpass/verifier';
import { createPassport, type PassportCredential } from './create-passport.js';
import { decodeBackup, encodeBackup, MAX_BACKUP_BYTES } from './internal/backup-file.js';
import { type BackupPayload, parseBackupPayload } from './internal/backup-payload.js';
import {
  type CredentialRecord,
  closeSelfContained,
  deleteRow,
  HOLDER_ALIAS,
  insertRecord,
  isWallet,
  migrateWallet,
  publishFile,
  readKdfParams,
  readRecords,
  removeDatabaseFiles,
  sameCost,
  tempSibling,
} from './internal/wallet-db.js';
import { presentSdJwtCredential } from './present-sd-jwt.js';

const LOCKED: ErrorCode = 'ERR_WALLET_LOCKED';

/** scrypt cost of a new wallet or backup key. */
export interface WalletKdfOptions {
  /** scrypt N, r, p. Default N = 2^17, r = 8, p = 1 (see @skillpass/store). */
  kdf?: { N?: number; r?: number; p?: number };
  /** Accept N below 2^17 (never below 2^14): tests and small devices only. */
  allowWeakKdf?: boolean;
}

/** Options of {@link openWallet}. */
export interface OpenWalletOptions {
  /** The wallet file. */
  path: string;
  passphrase: string;
  /** Checks credentials before they are added. Default `createVerifier()` (did:key offline, did:web over HTTPS). */
  verifier?: Verifier;
  /**
   * How the holder key signs passports and SD-JWT key-binding JWTs. `key-manager` (default):
   * every signature goes through Veramo's key manager (`keyManagerSign`), so the private key
   * stays inside the KMS, which may then be remote or an HSM. `store`: the key is read once
   * from Veramo's private-key store and used with node:crypto (faster; passports are not a
   * hot path).
   */
  signVia?: 'key-manager' | 'store';
}

/** Options of {@link createWallet}. */
export interface CreateWalletOptions extends OpenWalletOptions, WalletKdfOptions {}

/** What the wallet shows about a credential without handing out the token. */
export interface WalletEntry {
  /** The credential id (`id` / `jti`). */
  id: string;
  format: CredentialFormat;
  /** The skill (taxonomy URI and name). */
  skill: { uri: string; name: string } | null;
  /** Proficiency level, when the credential states one. */
  level: number | null;
  /** Issuer DID. */
  issuer: string | null;
  issuerName?: string;
  /** When the wallet accepted it (ISO date-time). */
  addedAt: string;
  /** When the credential expires, if it does. */
  validUntil: string | null;
}

/** A stored credential with its signed token. */
export interface WalletCredential extends WalletEntry {
  token: string;
}

/** Options of {@link Wallet.createPassport}. */
export interface WalletPassportOptions {
  /** The verifier the passport is for (`aud`). */
  audience: string;
  /** The verifier's challenge (`nonce`). */
  challenge: string;
  /** Ids of the credentials to include (a repeated id is included once). Default all. */
  only?: readonly string[];
  /**
   * Per SD-JWT credential id, the claims to reveal (names such as `score`, `assessor`,
   * `assessedOn`, `evidence`, `dateOfBirth`, or exact paths). A credential not named here
   * shows only what the skill needs. vc+jwt credentials are always shown whole.
   */
  disclose?: Readonly<Record<string, readonly string[]>>;
  /** Lifetime in seconds. Default 600. */
  expiresInSeconds?: number;
  /** Signing time; default now. */
  now?: Date;
}

/** Options of {@link Wallet.exportBackup}. */
export interface ExportBackupOptions extends WalletKdfOptions {
  /**
   * A passphrase for the backup alone. Default: the wallet's own passphrase (the backup then
   * reuses the wallet's scrypt salt, so the wallet need not hold the passphrase in memory).
   */
  passphrase?: string;
}

/** Options of {@link Wallet.changePassphrase}. */
export interface ChangePassphraseOptions extends WalletKdfOptions {}

/** A worker's wallet: their did:key, their credentials, encrypted in one SQLite file. */
export interface Wallet {
  /** The holder DID (did:key, Ed25519), created with the wallet. */
  readonly did: string;
  /** The holder's public key, for an issuer to bind SD-JWT credentials to (`cnf.jwk`). */
  readonly publicJwk: PublicJwk;
  /** The wallet file. */
  readonly path: string;
  /**
   * Verify a credential (signature, schema, validity; its subject must be this wallet's DID)
   * and store it. A credential is a token (`vc+jwt`, VC 1.1 JWT, `dc+sd-jwt` as issued) or the
   * JSON text of a credential with an embedded Data Integrity proof (`ldp_vc`, kept as compact
   * JSON). Refused, with the wallet unchanged: another subject ERR_HOLDER_MISMATCH, a
   * broken credential the verifier's code, a duplicate ERR_ALREADY_EXISTS. Problems are in
   * the error's `problems`.
   */
  addCredential(token: string, options?: { now?: Date }): Promise<WalletEntry>;
  /** Every credential, in the order added. */
  list(): WalletEntry[];
  /** One credential with its token; ERR_NOT_FOUND when absent. */
  get(id: string): WalletCredential;
  /** Delete a credential; ERR_NOT_FOUND when absent. */
  remove(id: string): void;
  /** Re-encrypt everything under a new passphrase, in one transaction. */
  changePassphrase(newPassphrase: string, options?: ChangePassphraseOptions): Promise<void>;
  /** Sign a passport for one verifier, revealing only the chosen SD-JWT claims. */
  createPassport(options: WalletPassportOptions): Promise<string>;
  /** Write one encrypted, versioned, integrity-checked backup file (see docs/privacy.md). */
  exportBackup(path: string, options?: ExportBackupOptions): Promise<void>;
  /** The holder's signing key (Veramo-managed, signing as `signVia` says); for key-binding JWTs and passports. */
  signingKey(): Promise<SigningKey>;
  /** Close the file. The wallet cannot be used afterwards. */
  close(): void;
}

/**
 * Create a wallet file with a new holder did:key (Ed25519, made by Veramo's key manager over
 * stores in the same file). The file is built under a temporary name and moved into place
 * only when complete, readable by its owner only.
 *
 * @example
 * ```ts
 * const wallet = await createWallet({ path: 'wallet.skillpass', passphrase });
 * await wallet.addCredential(token);
 * const passport = await wallet.createPassport({ audience: 'https://jobs.example', challenge });
 * ```
 * @throws SkillpassError ERR_ALREADY_EXISTS when `path` exists, ERR_INVALID_OPTIONS for bad KDF or signVia options.
 */
export async function createWallet(options: CreateWalletOptions): Promise<Wallet> {
  checkSignVia(options);
  const box = await buildWalletFile(options.path, options.passphrase, options, async (_db, agent) => {
    await createDidKeyIdentifier(agent, { keyType: 'Ed25519', alias: HOLDER_ALIAS });
  });
  return openWithBox(options.path, box, options);
}

/**
 * Open a wallet file. A wrong passphrase is ERR_WALLET_LOCKED (checked before any data is
 * read); a missing or empty file ERR_NOT_FOUND; a file that is not a wallet (a foreign
 * database, an issuer store) ERR_STORE_CORRUPT, refused before anything is written to it.
 */
export async function openWallet(options: OpenWalletOptions): Promise<Wallet> {
  checkSignVia(options);
  const db = openSqlite(options.path, { kind: 'wallet', mustExist: true });
  let box: SecretBox;
  try {
    if (!isWallet(db)) throw new SkillpassError('ERR_NOT_FOUND', `${options.path} is not a skillpass wallet`);
    box = await unlockSecretBox(db, options.passphrase, { lockedCode: LOCKED });
  } catch (err) {
    db.close();
    throw err;
  }
  return WalletImpl.open(options.path, db, box, options);
}

/** Options of {@link importBackup}. */
export interface ImportBackupOptions extends WalletKdfOptions {
  /** The backup file. */
  path: string;
  /** The passphrase the backup was written with. */
  backupPassphrase: string;
  /** The wallet to restore into: created when absent, merged into (same holder only) when present. */
  into: string;
  /** Passphrase of the wallet at `into` (the new wallet's, when it is created). */
  passphrase: string;
}

/** Outcome of {@link importBackup}. */
export interface ImportBackupResult {
  did: string;
  /** True when `into` was created from the backup. */
  created: boolean;
  /** Credentials added. */
  imported: number;
  /** Credentials already in the wallet. */
  skipped: number;
}

/**
 * Restore a backup (on another machine, into a fresh wallet, or into an existing wallet of the
 * same holder). The backup is checked and decrypted before anything is written; a new wallet is
 * built under a temporary name, verified, and only then moved into place; a merge runs in one
 * transaction. So a failed import never loses anything from an existing wallet.
 *
 * @throws SkillpassError ERR_BACKUP_INVALID (truncated, altered, not a backup, over 64 MiB, key
 * derivation parameters out of range), ERR_WALLET_LOCKED
 * (wrong backup or wallet passphrase), ERR_HOLDER_MISMATCH (existing wallet of another holder).
 */
export async function importBackup(options: ImportBackupOptions): Promise<ImportBackupResult> {
  const bytes = readBackupFile(options.path);
  const payload = parseBackupPayload(await decodeBackup(bytes, options.backupPassphrase));

  if (existsSync(options.into)) {
    const wallet = (await openWallet({ path: options.into, passphrase: options.passphrase })) as WalletImpl;
    try {
      if (wallet.did !== payload.holder.did) {
        throw new SkillpassError(
          'ERR_HOLDER_MISMATCH',
          `the backup is of ${payload.holder.did}, the wallet at ${options.into} of ${wallet.did}`,
        );
      }
      const imported = wallet.merge(payload.credentials);
      return { did: wallet.did, created: false, imported, skipped: payload.credentials.length - imported };
    } finally {
      wallet.close();
    }
  }
  const box = await buildWalletFile(
    options.into,
    options.passphrase,
    options,
    async (db, agent, walletBox) => {
      await agent.didManagerImport({
        did: payload.holder.did,
        alias: HOLDER_ALIAS,
        provider: payload.holder.provider,
        controllerKeyId: payload.holder.controllerKeyId,
        keys: payload.holder.keys.map((k) => ({ ...k, kms: LOCAL_KMS })),
        services: [],
      });
      const identifier = await agent.didManagerGetByAlias({ alias: HOLDER_ALIAS });
      // The restored key must sign for the restored DID, or the backup is not what it claims.
      const key = await veramoSigningKey(agent, identifier);
      const decoded = decodeDidKey(payload.holder.did);
      const probe = Buffer.from('skillpass backup restore check');
      const signature = await key.sign(probe);
      if (decoded === undefined || !verifies(decoded.publicKey, key.alg, probe, signature)) {
        throw new SkillpassError('ERR_BACKUP_INVALID', 'the backup key does not belong to its DID');
      }
      db.transaction(() => {
        for (const record of payload.credentials) insertRecord(db, walletBox, record);
      }).immediate();
    },
  );
  const wallet = await openWithBox(options.into, box, {});
  const count = wallet.list().length;
  wallet.close();
  return { did: payload.holder.did, created: true, imported: count, skipped: 0 };
}

/**
 * Read a backup file, checking its size before reading it: an oversized file (or a device)
 * is refused without being loaded into memory.
 */
function readBackupFile(path: string): Buffer {
  let fd: number;
  try {
    // Non-blocking, and the kind checked before any read: a FIFO must not hang the import.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new SkillpassError('ERR_NOT_FOUND', `cannot read backup ${path}`, { cause: err });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new SkillpassError('ERR_BACKUP_INVALID', `${path} is not a backup file`);
    if (stat.size > MAX_BACKUP_BYTES) {
      throw new SkillpassError('ERR_BACKUP_INVALID', `a backup is at most ${MAX_BACKUP_BYTES} bytes`);
    }
    try {
      return readFileSync(fd);
    } catch (err) {
      throw new SkillpassError('ERR_NOT_FOUND', `cannot read backup ${path}`, { cause: err });
    }
  } finally {
    closeSync(fd);
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuse an output path that is a store: the wallet itself (same device and inode, so also
 * through a hard or symbolic link) or any SQLite file. A backup renamed over the wallet once
 * replaced it (the next open said ERR_STORE_CORRUPT); over an issuer store it would destroy
 * the centre's keys.
 */
function refuseStoreTarget(path: string, walletPath: string): void {
  const target = statSync(path, { throwIfNoEntry: false });
  if (target === undefined) return;
  const own = statSync(walletPath, { throwIfNoEntry: false });
  if (own !== undefined && own.dev === target.dev && own.ino === target.ino) {
    throw new SkillpassError('ERR_ALREADY_EXISTS', `${path} is this wallet: a backup never replaces a store`);
  }
  if (!target.isFile()) {
    throw new SkillpassError('ERR_ALREADY_EXISTS', `${path} exists and is not a regular file`);
  }
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    if (readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER)) {
      throw new SkillpassError(
        'ERR_ALREADY_EXISTS',
        `${path} is a SQLite store: a backup never replaces a store`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

function verifies(publicKey: KeyObject, alg: string, data: Buffer, signature: Uint8Array): boolean {
  return alg === 'EdDSA'
    ? cryptoVerify(null, data, publicKey, signature)
    : cryptoVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
}

/**
 * Build a new wallet file under a temporary name (mode 0600), let `populate` fill it, then
 * move it to `target` only when complete. Returns the key to open it with.
 */
async function buildWalletFile(
  target: string,
  passphrase: string,
  kdf: WalletKdfOptions,
  populate: (db: SqliteDatabase, agent: SkillpassAgent, box: SecretBox) => Promise<void>,
): Promise<SecretBox> {
  if (existsSync(target)) throw new SkillpassError('ERR_ALREADY_EXISTS', `${target} already exists`);
  const temp = tempSibling(target, 'new');
  createOwnerOnlyFile(temp);
  try {
    const db = openSqlite(temp, { kind: 'wallet' });
    let box: SecretBox;
    try {
      box = await createSecretBox(db, passphrase, {
        ...(kdf.kdf !== undefined ? { kdf: kdf.kdf } : {}),
        ...(kdf.allowWeakKdf !== undefined ? { allowWeakKdf: kdf.allowWeakKdf } : {}),
        lockedCode: LOCKED,
      });
      migrateWallet(db);
      await populate(db, createSkillpassAgent({ db, box, lockedCode: LOCKED }), box);
    } finally {
      closeSelfContained(db);
    }
    publishFile(temp, target);
    return box;
  } catch (err) {
    removeDatabaseFiles(temp);
    throw err;
  }
}

function checkSignVia(options: OpenWalletOptions): void {
  const via: unknown = options.signVia;
  if (via !== undefined && via !== 'key-manager' && via !== 'store') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'signVia must be key-manager or store');
  }
}

/** What {@link WalletImpl} takes from the open/create options. */
type WalletSettings = Pick<OpenWalletOptions, 'verifier' | 'signVia'>;

async function openWithBox(path: string, box: SecretBox, settings: WalletSettings): Promise<WalletImpl> {
  const db = openSqlite(path, { kind: 'wallet', mustExist: true });
  return WalletImpl.open(path, db, box, settings);
}

class WalletImpl implements Wallet {
  readonly did: string;
  readonly publicJwk: PublicJwk;
  readonly path: string;
  readonly #db: SqliteDatabase;
  readonly #verifier: Verifier;
  readonly #signVia: 'key-manager' | 'store';
  #box: SecretBox;
  #agent: SkillpassAgent;
  #signingKey: Promise<SigningKey> | undefined;
  #closed = false;

  private constructor(
    path: string,
    db: SqliteDatabase,
    box: SecretBox,
    agent: SkillpassAgent,
    did: string,
    verifier: Verifier,
    signVia: 'key-manager' | 'store',
  ) {
    this.path = path;
    this.#db = db;
    this.#box = box;
    this.#agent = agent;
    this.did = did;
    this.#verifier = verifier;
    this.#signVia = signVia;
    const decoded = decodeDidKey(did);
    if (decoded === undefined)
      throw new SkillpassError('ERR_STORE_CORRUPT', `holder ${did} is not a did:key`);
    this.publicJwk = publicJwkOf(decoded.publicKey);
  }

  static async open(
    path: string,
    db: SqliteDatabase,
    box: SecretBox,
    settings: WalletSettings,
  ): Promise<WalletImpl> {
    try {
      migrateWallet(db);
      const agent = createSkillpassAgent({ db, box, lockedCode: LOCKED });
      let did: string;
      try {
        did = (await agent.didManagerGetByAlias({ alias: HOLDER_ALIAS })).did;
      } catch (err) {
        throw new SkillpassError('ERR_STORE_CORRUPT', 'the wallet has no holder identifier', { cause: err });
      }
      const verifier = settings.verifier ?? createVerifier();
      return new WalletImpl(path, db, box, agent, did, verifier, settings.signVia ?? 'key-manager');
    } catch (err) {
      db.close();
      throw err;
    }
  }

  async addCredential(token: string, options: { now?: Date } = {}): Promise<WalletEntry> {
    this.#open();
    if (typeof token !== 'string' || token.length === 0) {
      throw new SkillpassError('ERR_MALFORMED', 'the credential is empty');
    }
    // (a JSON credential may contain a `~` anywhere: only an SD-JWT is judged by its tildes)
    if (credentialFormatOf(token) === 'dc+sd-jwt' && !token.endsWith('~')) {
      throw new SkillpassError(
        'ERR_MALFORMED',
        'this SD-JWT carries a key binding: store the credential as issued, not a presentation of it',
      );
    }
    const report = await this.#verifier.verifyCredential(token, {
      expectedSubject: this.did,
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
    const cred = report.credentials[0];
    if (!report.verified || cred === undefined || cred.format === null) {
      const codes = report.problems.map((p) => p.code);
      const code: ErrorCode = codes.includes('ERR_HOLDER_MISMATCH')
        ? 'ERR_HOLDER_MISMATCH'
        : (codes[0] ?? 'ERR_MALFORMED');
      throw new SkillpassError(code, `credential refused: ${report.problems[0]?.message ?? 'not verified'}`, {
        problems: report.problems,
      });
    }
    // A JSON credential is kept compact: the same credential added twice, spelt differently, is one.
    const stored = cred.format === 'ldp_vc' ? JSON.stringify(JSON.parse(token)) : token;
    const record: CredentialRecord = {
      id: cred.id ?? `urn:skillpass:sha-256:${createHash('sha256').update(stored).digest('hex')}`,
      format: cred.format,
      token: stored,
      addedAt: (options.now ?? new Date()).toISOString(),
      issuer: cred.issuer,
      ...(cred.issuerName !== undefined ? { issuerName: cred.issuerName } : {}),
      skill:
        cred.skill === null ? null : { uri: cred.skill.uri, name: cred.skill.name, level: cred.skill.level },
      validUntil: cred.validUntil,
    };
    this.#db
      .transaction(() => {
        this.#assertKey();
        // Checked inside the write lock, so two processes adding the same credential cannot both succeed.
        if (
          readRecords(this.#db, this.#box).some(({ record: r }) => r.id === record.id || r.token === stored)
        ) {
          throw new SkillpassError('ERR_ALREADY_EXISTS', `credential ${record.id} is already in the wallet`);
        }
        insertRecord(this.#db, this.#box, record);
      })
      .immediate();
    return entryOf(record);
  }

  list(): WalletEntry[] {
    this.#open();
    return readRecords(this.#db, this.#box).map(({ record }) => entryOf(record));
  }

  get(id: string): WalletCredential {
    this.#open();
    const found = readRecords(this.#db, this.#box).find(({ record }) => record.id === id);
    if (found === undefined) throw new SkillpassError('ERR_NOT_FOUND', `no credential ${id} in the wallet`);
    return { ...entryOf(found.record), token: found.record.token };
  }

  remove(id: string): void {
    this.#open();
    this.#db
      .transaction(() => {
        this.#assertKey();
        const found = readRecords(this.#db, this.#box).find(({ record }) => record.id === id);
        if (found === undefined)
          throw new SkillpassError('ERR_NOT_FOUND', `no credential ${id} in the wallet`);
        deleteRow(this.#db, found.rowKey);
      })
      .immediate();
  }

  async changePassphrase(newPassphrase: string, options: ChangePassphraseOptions = {}): Promise<void> {
    this.#open();
    const cost =
      options.kdf !== undefined
        ? { kdf: options.kdf, allowWeakKdf: options.allowWeakKdf ?? false }
        : sameCost(readKdfParams(this.#db));
    this.#box = await rekey(this.#db, this.#box, newPassphrase, { ...cost, lockedCode: LOCKED });
    // The Veramo private-key store holds the box it was made with: rebuild the agent on the new key.
    this.#agent = createSkillpassAgent({ db: this.#db, box: this.#box, lockedCode: LOCKED });
    this.#signingKey = undefined;
  }

  async createPassport(options: WalletPassportOptions): Promise<string> {
    this.#open();
    const records = readRecords(this.#db, this.#box).map(({ record }) => record);
    // A credential twice in one passport is refused by verifiers (ERR_DUPLICATE_CREDENTIAL).
    const chosen =
      options.only === undefined
        ? records
        : [...new Set(options.only)].map((id) => {
            const record = records.find((r) => r.id === id);
            if (record === undefined)
              throw new SkillpassError('ERR_NOT_FOUND', `no credential ${id} in the wallet`);
            return record;
          });
    for (const id of Object.keys(options.disclose ?? {})) {
      const record = chosen.find((r) => r.id === id);
      if (record === undefined) {
        throw new SkillpassError(
          'ERR_INVALID_OPTIONS',
          `disclose names ${id}, which is not in this passport`,
        );
      }
      if (record.format !== 'dc+sd-jwt') {
        throw new SkillpassError(
          'ERR_INVALID_OPTIONS',
          `${id} is a ${record.format} credential: it is always shown whole, nothing in it can be hidden`,
        );
      }
    }
    const signingKey = await this.signingKey();
    const credentials: PassportCredential[] = [];
    for (const record of chosen) {
      credentials.push(
        record.format === 'dc+sd-jwt'
          ? {
              token: await presentSdJwtCredential(record.token, {
                disclose: options.disclose?.[record.id] ?? [],
                audience: options.audience,
                challenge: options.challenge,
                signingKey,
                ...(options.now !== undefined ? { now: options.now } : {}),
              }),
              format: 'dc+sd-jwt',
            }
          : { token: record.token, format: record.format },
      );
    }
    return createPassport({
      holder: { did: this.did, signingKey },
      credentials,
      audience: options.audience,
      challenge: options.challenge,
      ...(options.expiresInSeconds !== undefined ? { expiresInSeconds: options.expiresInSeconds } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
  }

  async exportBackup(path: string, options: ExportBackupOptions = {}): Promise<void> {
    this.#open();
    const identifier = await this.#agent.didManagerGetByAlias({ alias: HOLDER_ALIAS });
    const privateKeys = new SqlitePrivateKeyStore(this.#db, this.#box, { lockedCode: LOCKED });
    const payload: BackupPayload = {
      format: 'skillpass-wallet-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      holder: {
        did: identifier.did,
        provider: identifier.provider,
        controllerKeyId: identifier.controllerKeyId ?? identifier.keys[0]!.kid,
        keys: await Promise.all(
          identifier.keys.map(async (k) => ({
            kid: k.kid,
            type: k.type,
            publicKeyHex: k.publicKeyHex,
            privateKeyHex: (await privateKeys.getKey({ alias: k.kid })).privateKeyHex,
          })),
        ),
      },
      credentials: readRecords(this.#db, this.#box).map(({ record }) => record),
    };
    let bytes: Buffer;
    if (options.passphrase === undefined) {
      this.#assertKey(); // the stored salt must be the one this key came from
      bytes = encodeBackup(JSON.stringify(payload), readKdfParams(this.#db), this.#box);
    } else {
      const cost =
        options.kdf !== undefined
          ? { kdf: options.kdf, allowWeakKdf: options.allowWeakKdf ?? false }
          : sameCost(readKdfParams(this.#db));
      const params = newKdfParams(cost.kdf);
      const box = new SecretBox(
        await deriveKey(options.passphrase, params, { allowWeakKdf: cost.allowWeakKdf }),
      );
      bytes = encodeBackup(JSON.stringify(payload), params, box);
    }
    refuseStoreTarget(path, this.path);
    writeFileAtomically(path, bytes);
  }

  signingKey(): Promise<SigningKey> {
    this.#open();
    if (this.#signingKey === undefined) {
      const agent = this.#agent;
      const via = this.#signVia;
      this.#signingKey = agent
        .didManagerGetByAlias({ alias: HOLDER_ALIAS })
        .then((identifier) => veramoSigningKey(agent, identifier, { via }));
    }
    return this.#signingKey;
  }

  /** Add backup records that are not in the wallet yet, in one transaction. Returns how many were added. */
  merge(records: readonly CredentialRecord[]): number {
    this.#open();
    return this.#db
      .transaction(() => {
        this.#assertKey();
        const have = new Set(readRecords(this.#db, this.#box).map(({ record }) => record.id));
        let added = 0;
        for (const record of records) {
          if (have.has(record.id)) continue;
          insertRecord(this.#db, this.#box, record);
          have.add(record.id);
          added++;
        }
        return added;
      })
      .immediate();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #open(): void {
    if (this.#closed) throw new SkillpassError('ERR_INVALID_OPTIONS', 'the wallet is closed');
    this.#assertKey();
  }

  /**
   * Another process may have changed the passphrase since this one opened the wallet: then this
   * key must not write (its values would not decrypt) and reads fail cleanly. Run inside every
   * write transaction, where no other process can change it meanwhile.
   */
  #assertKey(): void {
    assertBoxFits(this.#db, this.#box, LOCKED);
  }
}

function entryOf(record: CredentialRecord): WalletEntry {
  return {
    id: record.id,
    format: record.format,
    skill: record.skill === null ? null : { uri: record.skill.uri, name: record.skill.name },
    level: record.skill?.level ?? null,
    issuer: record.issuer,
    ...(record.issuerName !== undefined ? { issuerName: record.issuerName } : {}),
    addedAt: record.addedAt,
    validUntil: record.validUntil,
  };
}
