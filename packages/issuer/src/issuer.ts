import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BitstringStatusListEntry,
  type DidDocument,
  decodeDidKey,
  didKeyDocument,
  type KeyType,
  MIN_STATUS_LIST_ENTRIES,
  type PublicJwk,
  type SigningKey,
  type SkillAssessment,
  SkillpassError,
} from '@skillpass/core';
import { checkOutboundUrl } from '@skillpass/net';
import {
  createDidKeyIdentifier,
  createDidWebIdentifier,
  createOwnerOnlyFile,
  createSecretBox,
  createSkillpassAgent,
  didWebDocument,
  type KdfOptions,
  openSqlite,
  type SkillpassAgent,
  type SqliteDatabase,
  unlockSecretBox,
  veramoSigningKey,
  writeFileAtomically,
} from '@skillpass/store';
import type { IIdentifier } from '@veramo/core-types';
import { isoSeconds } from './build-credential.js';
import { type IssuedCredential, issueSkillCredential } from './issue.js';
import {
  type IssuedSdJwtCredential,
  issueSdJwtSkillCredential,
  type SdJwtDisclosableClaim,
} from './issue-sd-jwt.js';
import {
  type AuditEntry,
  type IssuedRecord,
  type IssuerProfileRecord,
  type IssuerRole,
  type IssuerStore,
  SqliteIssuerStore,
  type StatusAllocation,
  type StatusListRecord,
} from './issuer-store.js';
import {
  buildStatusListCredential,
  DEFAULT_STATUS_TTL_MS,
  type StatusPurpose,
  signStatusListCredential,
} from './status-list.js';

/** Options of {@link initIssuer}. */
export interface InitIssuerOptions extends KdfOptions {
  /** The SQLite file to create (keys, DID, register, status lists). */
  path: string;
  /** Encrypts the private key at rest (scrypt + AES-256-GCM). */
  passphrase: string;
  /** Host for a did:web (`centre.example`, `localhost:8443`). Exactly one of didWeb / didKey. */
  didWeb?: string;
  /** Use a did:key (tests, demos). */
  didKey?: boolean;
  /** The centre's display name, put in every credential. */
  name: string;
  /**
   * `centre` (default), or `employer`: an employer's identity that issues workplace attestations
   * (every evidence entry `workplace-observation`), with the same register and status lists.
   */
  role?: IssuerRole;
  /** The centre's public web page. */
  url?: string;
  /** Default Ed25519. */
  keyType?: KeyType;
  /**
   * Where lists are served: list n is `<statusBaseUrl>/<n>`. It must pass the outbound door's
   * URL rule (`checkOutboundUrl` of @skillpass/net, with the loopback opt-in): https on a public
   * host, or http/https on a loopback host (`localhost`, 127.x, `[::1]`) for demos. Default
   * `https://<host>/status` for did:web. A did:key without it is an issuer WITHOUT status
   * lists: its credentials carry no `credentialStatus` and can never be revoked or suspended
   * (revoke/suspend/unsuspend and `suspendable` throw ERR_UNSUPPORTED); fixed at init.
   */
  statusBaseUrl?: string;
  /** Entries per status list; default (and minimum) 131,072. */
  listSize?: number;
  /** `ttl` of published lists, in ms. Default 5 minutes. */
  statusTtlMs?: number;
  /** scrypt cost for the new file (default N = 2^17). */
  kdf?: { N?: number; r?: number; p?: number };
  /** How the issuer signs: `store` (default, node:crypto) or `key-manager` (through Veramo's KMS). */
  signVia?: 'store' | 'key-manager';
}

/** Options of {@link openIssuer}. */
export interface OpenIssuerOptions {
  path: string;
  passphrase: string;
  /** How the issuer signs: `store` (default, node:crypto) or `key-manager` (through Veramo's KMS). */
  signVia?: 'store' | 'key-manager';
}

/** Per-credential options of {@link Issuer.issue} for `vc+jwt`, `jwt-vc-1.1` and `ldp_vc`. */
export interface IssuerIssueOptions {
  /** The worker's DID. */
  subject: string;
  /**
   * Default `vc+jwt`; `ldp_vc` is the credential as JSON-LD with an embedded Data Integrity
   * proof (`eddsa-rdfc-2022`). `dc+sd-jwt` takes {@link IssuerSdJwtIssueOptions}.
   */
  format?: 'vc+jwt' | 'jwt-vc-1.1' | 'ldp_vc';
  /**
   * Add a suspension entry next to the revocation entry. The credential then carries TWO
   * `credentialStatus` objects: valid VC 2.0, but outside Open Badges 3.0's cardinality (at most one).
   * ERR_UNSUPPORTED from an issuer created without status lists.
   */
  suspendable?: boolean;
  /** Issuance time; default now. */
  now?: Date;
  /** Credential id; default a fresh `urn:uuid:`. */
  id?: string;
}

/**
 * Per-credential options of {@link Issuer.issue} for an SD-JWT VC (`dc+sd-jwt`): the worker can
 * then hide the assessment details per employer. Status entries, register and transaction are
 * the same as for `vc+jwt`; the entries go into the `status.bitstring_status_list` claim.
 */
export interface IssuerSdJwtIssueOptions extends Omit<IssuerIssueOptions, 'format'> {
  format: 'dc+sd-jwt';
  /** The worker's public key (`cnf.jwk`). Default: the key of `subject` when it is a did:key (then no other key is accepted). */
  holderPublicJwk?: PublicJwk;
  /** Which claims the worker may hide. Default all (evidence, assessor, score, assessedOn, dateOfBirth). */
  disclosable?: readonly SdJwtDisclosableClaim[];
  /** The worker's date of birth (YYYY-MM-DD), only when the scheme needs it. */
  dateOfBirth?: string;
}

/** What {@link Issuer.issue} returns for `vc+jwt` / `jwt-vc-1.1` / `ldp_vc`: the signed credential and its register entry. */
export interface IssuerIssueResult extends IssuedCredential {
  record: IssuedRecord;
}

/** What {@link Issuer.issue} returns for `dc+sd-jwt`: the SD-JWT (every disclosure) and its register entry. */
export interface IssuerSdJwtIssueResult extends IssuedSdJwtCredential {
  record: IssuedRecord;
}

/** One credential of {@link Issuer.issueBatch}. */
export type IssuerBatchItem<
  O extends IssuerIssueOptions | IssuerSdJwtIssueOptions = IssuerIssueOptions | IssuerSdJwtIssueOptions,
> = { assessment: SkillAssessment } & O;

/** Options of revoke, suspend and unsuspend. */
export interface StatusChangeOptions {
  reason?: string;
  /** Who asks; recorded in the audit log. */
  actor?: string;
  /** Default now. */
  now?: Date;
}

/** A signed status list, ready to serve. */
export interface SignedStatusList {
  listId: number;
  url: string;
  purpose: StatusPurpose;
  /** The `BitstringStatusListCredential` as vc+jwt. */
  token: string;
  /** The list's change counter when signed. */
  version: number;
  /**
   * A weak HTTP entity tag naming the list's content (issuer, URL, change counter, validFrom,
   * ttl), not the signature bytes: the same after a restart and on every instance, also for
   * ES256, whose signatures differ each time.
   */
  etag: string;
}

/**
 * An assessment centre backed by its store: issues credentials with status entries,
 * revokes and suspends them, keeps the register and the audit log, and signs status lists.
 * An issuer created without status lists (`profile.statusBaseUrl` absent) issues and registers
 * credentials without `credentialStatus`, and refuses revoke/suspend with ERR_UNSUPPORTED.
 * Keys stay in Veramo's key manager (encrypted in the same file); nothing prints them.
 */
export class Issuer {
  /** The issuer DID. */
  readonly did: string;
  readonly profile: IssuerProfileRecord;
  readonly store: IssuerStore;
  /** The Veramo agent holding the issuer's key and DID. */
  readonly agent: SkillpassAgent;
  readonly #db: SqliteDatabase;
  readonly #identifier: IIdentifier;
  readonly #signingKey: SigningKey;
  readonly #signed = new Map<number, SignedStatusList>();

  private constructor(
    db: SqliteDatabase,
    store: IssuerStore,
    agent: SkillpassAgent,
    profile: IssuerProfileRecord,
    identifier: IIdentifier,
    signingKey: SigningKey,
  ) {
    this.#db = db;
    this.store = store;
    this.agent = agent;
    this.profile = profile;
    this.did = profile.did;
    this.#identifier = identifier;
    this.#signingKey = signingKey;
  }

  /** @internal Used by initIssuer/openIssuer. */
  static async attach(
    db: SqliteDatabase,
    agent: SkillpassAgent,
    signVia: 'store' | 'key-manager',
  ): Promise<Issuer> {
    const store = new SqliteIssuerStore(db);
    const profile = await store.readProfile();
    if (profile === undefined)
      throw new SkillpassError('ERR_NOT_FOUND', 'this file holds no issuer (run initIssuer)');
    const identifier = await agent.didManagerGet({ did: profile.did });
    const signingKey = await veramoSigningKey(agent, identifier, { via: signVia });
    return new Issuer(db, store, agent, profile, identifier, signingKey);
  }

  /** The DID document: serve it at the did:web URL (`/.well-known/did.json`). */
  didDocument(): DidDocument {
    if (this.did.startsWith('did:web:')) return didWebDocument(this.#identifier);
    const decoded = decodeDidKey(this.did);
    if (decoded === undefined) throw new SkillpassError('ERR_STORE_CORRUPT', `cannot decode ${this.did}`);
    return didKeyDocument(decoded);
  }

  /**
   * Issue a skill credential: allocate random status indexes, sign, and register, in one
   * transaction. By default ONE revocation entry (Open Badges 3.0 allows one credentialStatus);
   * `suspendable: true` adds a suspension entry. `format: 'dc+sd-jwt'` issues an SD-JWT VC
   * (selectively disclosable assessment details) the same way. An issuer created without status
   * lists adds no entry (and refuses `suspendable` with ERR_UNSUPPORTED).
   *
   * @example
   * ```ts
   * const { token, record } = await issuer.issue(assessment, { subject: worker.did, format: 'dc+sd-jwt' });
   * await issuer.revoke(record.id); // verifiers now see ERR_REVOKED
   * ```
   * @throws SkillpassError ERR_SCHEMA_INVALID, ERR_INVALID_OPTIONS, ERR_ALREADY_EXISTS, ERR_UNSUPPORTED (nothing is registered then).
   */
  issue(assessment: SkillAssessment, options: IssuerSdJwtIssueOptions): Promise<IssuerSdJwtIssueResult>;
  issue(assessment: SkillAssessment, options: IssuerIssueOptions): Promise<IssuerIssueResult>;
  issue(
    assessment: SkillAssessment,
    options: IssuerIssueOptions | IssuerSdJwtIssueOptions,
  ): Promise<IssuerIssueResult | IssuerSdJwtIssueResult>;
  async issue(
    assessment: SkillAssessment,
    options: IssuerIssueOptions | IssuerSdJwtIssueOptions,
  ): Promise<IssuerIssueResult | IssuerSdJwtIssueResult> {
    const [issued] = await this.issueBatch([{ assessment, ...options }]);
    return issued!;
  }

  /**
   * Issue several credentials (a cohort) in ONE transaction: all are registered, or none. One
   * commit (one fsync) for the batch, so durable throughput grows with the batch size. Formats
   * may be mixed.
   */
  issueBatch(items: readonly IssuerBatchItem<IssuerSdJwtIssueOptions>[]): Promise<IssuerSdJwtIssueResult[]>;
  issueBatch(items: readonly IssuerBatchItem<IssuerIssueOptions>[]): Promise<IssuerIssueResult[]>;
  issueBatch(items: readonly IssuerBatchItem[]): Promise<(IssuerIssueResult | IssuerSdJwtIssueResult)[]>;
  async issueBatch(
    items: readonly IssuerBatchItem[],
  ): Promise<(IssuerIssueResult | IssuerSdJwtIssueResult)[]> {
    const hasStatusLists = this.profile.statusBaseUrl !== undefined;
    const prepared = items.map((item) => {
      checkFormatOptions(item);
      if (this.profile.role === 'employer') checkWorkplaceAttestation(item.assessment);
      if (item.suspendable === true && !hasStatusLists) {
        throw new SkillpassError(
          'ERR_UNSUPPORTED',
          'this issuer was created without status lists (no statusBaseUrl): nothing can be suspendable',
        );
      }
      const purposes: StatusPurpose[] = !hasStatusLists
        ? []
        : item.suspendable === true
          ? ['revocation', 'suspension']
          : ['revocation'];
      return { ...item, id: item.id ?? `urn:uuid:${randomUUID()}`, now: item.now ?? new Date(), purposes };
    });
    const results = await this.store.issue<IssuedCredential | IssuedSdJwtCredential>(
      prepared.map((p) => ({ credentialId: p.id, purposes: p.purposes })),
      async (allocations, i) => {
        const item = prepared[i]!;
        const entries = allocations.map(statusEntry);
        // No entry (an issuer without status lists): no credentialStatus at all, not an empty one.
        const withStatus =
          entries.length === 0 ? {} : { status: entries.length === 1 ? entries[0]! : entries };
        const issuer = {
          did: this.did,
          name: this.profile.name,
          ...(this.profile.url ? { url: this.profile.url } : {}),
        };
        const { assessment, subject, id, now } = item;
        const skill = {
          skillUri: assessment.skill.uri,
          skillName: assessment.skill.name,
          level: assessment.level,
        };
        if (item.format === 'dc+sd-jwt') {
          const issued = await issueSdJwtSkillCredential(assessment, {
            issuer,
            subject,
            signingKey: this.#signingKey,
            id,
            now,
            ...withStatus,
            ...(item.holderPublicJwk !== undefined ? { holderPublicJwk: item.holderPublicJwk } : {}),
            ...(item.disclosable !== undefined ? { disclosable: item.disclosable } : {}),
            ...(item.dateOfBirth !== undefined ? { dateOfBirth: item.dateOfBirth } : {}),
          });
          const { nbf, exp } = issued.claims as { nbf: number; exp?: number };
          return {
            result: issued,
            record: {
              id: issued.id,
              subject,
              ...skill,
              format: issued.format,
              validFrom: isoSeconds(new Date(nbf * 1000)),
              validUntil: exp === undefined ? null : isoSeconds(new Date(exp * 1000)),
              issuedAt: now.toISOString(),
            },
          };
        }
        const format = item.format ?? 'vc+jwt';
        const issued = await issueSkillCredential(assessment, {
          issuer,
          subject,
          signingKey: this.#signingKey,
          format,
          ...(format === 'jwt-vc-1.1' ? { veramo: this.agent } : {}),
          id,
          now,
          ...withStatus,
        });
        const credential = issued.credential;
        return {
          result: issued,
          record: {
            id: issued.id,
            subject: credential.credentialSubject.id,
            ...skill,
            format: issued.format,
            validFrom: credential.validFrom,
            validUntil: credential.validUntil ?? null,
            issuedAt: now.toISOString(),
          },
        };
      },
    );
    return results.map(({ record, result }) => ({ ...result, record }));
  }

  /**
   * Revoke (final): sets the revocation bit and writes the audit log. ERR_UNSUPPORTED from an
   * issuer created without status lists.
   */
  revoke(
    idOrJti: string,
    options: StatusChangeOptions = {},
  ): Promise<{ record: IssuedRecord; changed: boolean }> {
    return this.#change(idOrJti, 'revoke', options);
  }

  /**
   * Suspend (reversible). ERR_UNSUPPORTED for a credential issued without a suspension entry, or
   * from an issuer created without status lists.
   */
  suspend(
    idOrJti: string,
    options: StatusChangeOptions = {},
  ): Promise<{ record: IssuedRecord; changed: boolean }> {
    return this.#change(idOrJti, 'suspend', options);
  }

  /** Lift a suspension. ERR_UNSUPPORTED from an issuer created without status lists. */
  unsuspend(
    idOrJti: string,
    options: StatusChangeOptions = {},
  ): Promise<{ record: IssuedRecord; changed: boolean }> {
    return this.#change(idOrJti, 'unsuspend', options);
  }

  /** The register: what was issued to whom, with status. */
  listIssued(filter?: { subject?: string }): Promise<IssuedRecord[]> {
    return this.store.listIssued(filter);
  }

  /** One register entry by credential id or jti. */
  getIssued(idOrJti: string): Promise<IssuedRecord | undefined> {
    return this.store.getIssued(idOrJti);
  }

  /** Who revoked or suspended what, when and why. */
  auditLog(idOrJti?: string): Promise<AuditEntry[]> {
    return this.store.auditLog(idOrJti);
  }

  /**
   * Every status list as a signed `BitstringStatusListCredential` (vc+jwt). A list is signed
   * again only when its bits changed since it was last signed here. Its `validFrom` is the
   * list's last change (not the signing time), so the same bits give the same credential after
   * a restart or on another instance; `now` overrides it.
   */
  async signedStatusLists(options: { now?: Date } = {}): Promise<SignedStatusList[]> {
    const out: SignedStatusList[] = [];
    for (const list of await this.store.listStatusLists()) out.push(await this.#sign(list, options.now));
    return out;
  }

  /** One signed status list by number, or undefined when there is no such list. */
  async signedStatusList(listId: number): Promise<SignedStatusList | undefined> {
    const list = await this.store.getStatusList(listId);
    return list === undefined ? undefined : this.#sign(list);
  }

  /**
   * Write each signed list to `<outDir>/<list number>` (atomically: a uniquely named temp file,
   * fsync, rename, fsync of the directory), for
   * serving as static files at `<statusBaseUrl>/<list number>` with type `application/vc+jwt`.
   *
   * An issuer created without status lists writes nothing (not even `outDir`).
   *
   * @returns the paths written.
   */
  async publishStatusLists(outDir: string, options: { now?: Date } = {}): Promise<string[]> {
    if (this.profile.statusBaseUrl === undefined) return [];
    mkdirSync(outDir, { recursive: true });
    const written: string[] = [];
    for (const list of await this.signedStatusLists(options)) {
      const file = join(outDir, String(list.listId));
      // Public files, served as they are: world-readable, unlike the issuer's own files.
      // Never over a store: `--out` may be the store's own folder, and a list named like it.
      writeFileAtomically(file, list.token, { mode: 0o644, protect: [this.#db.name] });
      written.push(file);
    }
    return written;
  }

  /** Close the underlying file. */
  close(): void {
    this.#db.close();
  }

  async #sign(list: StatusListRecord, now?: Date): Promise<SignedStatusList> {
    const cached = this.#signed.get(list.listId);
    if (cached !== undefined && cached.version === list.version && now === undefined) return cached;
    // The last change, not the signing time: a restart must not change the body (or the ETag).
    // A change dated in the future (an explicit `now` on revoke) would make the list not yet valid.
    const changed = new Date(list.updatedAt);
    const validFrom = now ?? (changed.getTime() <= Date.now() ? changed : new Date());
    const credential = buildStatusListCredential({
      url: list.url,
      issuer: this.did,
      purpose: list.purpose,
      bits: list.bits,
      ttlMs: this.profile.statusTtlMs,
      now: validFrom,
    });
    const content = [
      this.did,
      list.url,
      list.version,
      credential.validFrom,
      credential.credentialSubject.ttl,
    ];
    const signed: SignedStatusList = {
      listId: list.listId,
      url: list.url,
      purpose: list.purpose,
      token: await signStatusListCredential(credential, this.#signingKey),
      version: list.version,
      etag: `W/"${createHash('sha256').update(JSON.stringify(content)).digest('base64url')}"`,
    };
    this.#signed.set(list.listId, signed);
    return signed;
  }

  async #change(
    idOrJti: string,
    action: 'revoke' | 'suspend' | 'unsuspend',
    options: StatusChangeOptions,
  ): Promise<{ record: IssuedRecord; changed: boolean }> {
    return this.store.changeStatus(idOrJti, {
      action,
      at: (options.now ?? new Date()).toISOString(),
      ...(options.actor === undefined ? {} : { actor: options.actor }),
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    });
  }
}

const SD_JWT_ONLY = ['holderPublicJwk', 'disclosable', 'dateOfBirth'] as const;

/** Options that only an SD-JWT can honour are refused up front for the JWT formats, not silently dropped. */
function checkFormatOptions(item: IssuerBatchItem): void {
  const format: unknown = item.format ?? 'vc+jwt';
  if (format !== 'vc+jwt' && format !== 'jwt-vc-1.1' && format !== 'ldp_vc' && format !== 'dc+sd-jwt') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `format must be vc+jwt, jwt-vc-1.1, ldp_vc or dc+sd-jwt`);
  }
  if (format === 'dc+sd-jwt') return;
  for (const name of SD_JWT_ONLY) {
    if ((item as Partial<IssuerSdJwtIssueOptions>)[name] !== undefined) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', `${name} applies to format dc+sd-jwt only`);
    }
  }
}

function statusEntry(allocation: StatusAllocation): BitstringStatusListEntry {
  return {
    id: `${allocation.listUrl}#${allocation.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: allocation.purpose,
    statusListIndex: String(allocation.index),
    statusListCredential: allocation.listUrl,
  };
}

/**
 * Create an issuer in a new SQLite file (mode 0600: owner only): passphrase-encrypted key
 * store, a did:web (or did:key) whose key Veramo generates, and the profile. Throws
 * ERR_ALREADY_EXISTS when the file exists; on any failure the new file is removed.
 */
export async function initIssuer(options: InitIssuerOptions): Promise<Issuer> {
  const keyType = options.keyType ?? 'Ed25519';
  if ((options.didWeb === undefined) === (options.didKey !== true)) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'choose exactly one of didWeb (a host) or didKey');
  }
  if (typeof options.name !== 'string' || options.name.trim() === '') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'the issuer needs a name');
  }
  if (keyType !== 'Ed25519' && keyType !== 'P-256') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'keyType must be Ed25519 or P-256');
  }
  if (options.role !== undefined && options.role !== 'centre' && options.role !== 'employer') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'role must be centre or employer');
  }
  const listSize = options.listSize ?? MIN_STATUS_LIST_ENTRIES;
  if (!Number.isInteger(listSize) || listSize < MIN_STATUS_LIST_ENTRIES || listSize % 8 !== 0) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `listSize must be a multiple of 8, at least ${MIN_STATUS_LIST_ENTRIES}`,
    );
  }
  const statusTtlMs = options.statusTtlMs ?? DEFAULT_STATUS_TTL_MS;
  if (!Number.isInteger(statusTtlMs) || statusTtlMs < 0) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'statusTtlMs must be a non-negative integer');
  }
  // A did:key without it: an issuer without status lists (no revocation), by choice.
  const statusBaseUrl = options.statusBaseUrl ?? defaultStatusBase(options.didWeb);
  if (statusBaseUrl !== undefined && !isStatusBaseUrl(statusBaseUrl)) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      'statusBaseUrl must be an https URL on a public host, or http(s) on a loopback host, without query or fragment',
    );
  }
  createOwnerOnlyFile(options.path);
  let db: SqliteDatabase | undefined;
  try {
    db = openSqlite(options.path, { kind: 'issuer' });
    const box = await createSecretBox(db, options.passphrase, {
      ...(options.kdf === undefined ? {} : { kdf: options.kdf }),
      ...(options.allowWeakKdf === undefined ? {} : { allowWeakKdf: options.allowWeakKdf }),
    });
    const agent = createSkillpassAgent({ db, box, defaultProvider: options.didWeb ? 'did:web' : 'did:key' });
    const identifier =
      options.didWeb !== undefined
        ? await createDidWebIdentifier(agent, { host: options.didWeb, keyType })
        : await createDidKeyIdentifier(agent, { keyType });
    await new SqliteIssuerStore(db).writeProfile({
      did: identifier.did,
      name: options.name.trim(),
      role: options.role ?? 'centre',
      ...(options.url === undefined ? {} : { url: options.url }),
      ...(statusBaseUrl === undefined ? {} : { statusBaseUrl: statusBaseUrl.replace(/\/+$/, '') }),
      keyType,
      listSize,
      statusTtlMs,
      createdAt: new Date().toISOString(),
    });
    return await Issuer.attach(db, agent, options.signVia ?? 'store');
  } catch (err) {
    db?.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${options.path}${suffix}`, { force: true });
    throw err;
  }
}

/**
 * Open an existing issuer file. A wrong passphrase throws ERR_STORE_LOCKED before anything
 * else is read; a missing file ERR_NOT_FOUND.
 */
export async function openIssuer(options: OpenIssuerOptions): Promise<Issuer> {
  const db = openSqlite(options.path, { kind: 'issuer', mustExist: true });
  try {
    const box = await unlockSecretBox(db, options.passphrase);
    const agent = createSkillpassAgent({ db, box });
    return await Issuer.attach(db, agent, options.signVia ?? 'store');
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * An employer attests learning on the job: every evidence entry must be a workplace observation
 * (ERR_SCHEMA_INVALID otherwise), so an employer's credential never reads like a centre's exam.
 */
function checkWorkplaceAttestation(assessment: SkillAssessment): void {
  const evidence: unknown = (assessment as { evidence?: unknown }).evidence;
  const methods = Array.isArray(evidence)
    ? evidence.map((e) => (e as { method?: unknown } | null)?.method)
    : [];
  if (methods.length === 0 || methods.some((m) => m !== 'workplace-observation')) {
    throw new SkillpassError(
      'ERR_SCHEMA_INVALID',
      'an employer attests workplace observations: every evidence entry needs method workplace-observation',
      {
        problems: [
          {
            code: 'ERR_SCHEMA_INVALID',
            message: 'evidence method must be workplace-observation',
            path: '/evidence',
          },
        ],
      },
    );
  }
}

function defaultStatusBase(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  return `https://${host}/status`;
}

/**
 * The rule verifiers apply before fetching (the outbound door's, with the loopback opt-in that
 * demos use), so the issuer never writes a status URL every verifier would refuse: https on a
 * public host, or http/https on a loopback host; no query or fragment.
 */
function isStatusBaseUrl(value: string): boolean {
  const checked = checkOutboundUrl(value, { allowHttpLocalhost: true });
  return checked.ok && checked.url.hash === '' && checked.url.search === '';
}
