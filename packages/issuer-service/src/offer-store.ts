import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { type SkillAssessment, SkillpassError } from '@skillpass/core';
import { migrate, type SqliteDatabase } from '@skillpass/store';

/** A pending (or redeemed) credential offer, as stored. */
export interface OfferRecord {
  /** Random id: the last segment of `credential_offer_uri`. */
  id: string;
  /** The credential issuer identifier the offer names (the service's public URL). */
  credentialIssuer: string;
  /** Credential configuration ids offered (the wallet picks one). */
  configurationIds: string[];
  /** The assessment the credential will attest. */
  assessment: SkillAssessment;
  /** The pre-authorized code (in the offer object; single use). */
  preAuthorizedCode: string;
  /** True when a transaction code (PIN) must accompany the code. */
  hasTxCode: boolean;
  /** Length of the numeric transaction code, when there is one. */
  txCodeLength: number | null;
  createdAt: string;
  /** After this the offer and its code are refused. ISO date-time. */
  expiresAt: string;
  /** When the code was exchanged for an access token, or null. */
  redeemedAt: string | null;
  /** The credential issued on this offer, or null. */
  credentialId: string | null;
}

/** What {@link OfferStore.createOffer} records. */
export interface NewOffer {
  credentialIssuer: string;
  configurationIds: readonly string[];
  assessment: SkillAssessment;
  /** Ask for a numeric transaction code of this many digits (4–8); omit for none. */
  txCodeLength?: number;
  /** Lifetime in seconds. */
  expiresInSeconds: number;
  now?: Date;
}

/** A new offer with its secrets (shown once: the store keeps only a hash of the transaction code). */
export interface CreatedOffer {
  record: OfferRecord;
  /** The transaction code to hand to the worker by another channel, or null. */
  txCode: string | null;
}

/** An access token as issued at the token endpoint (opaque; the store keeps its hash). */
export interface AccessTokenRecord {
  offerId: string;
  /** The JWK SHA-256 thumbprint of the DPoP key the token is bound to, or null (Bearer). */
  dpopJkt: string | null;
  expiresAt: string;
  usedAt: string | null;
}

/** Why {@link OfferStore.redeemCode} refused: each maps to an OAuth error of the token endpoint. */
export type RedeemRefusal =
  | 'unknown_code'
  | 'expired'
  | 'already_redeemed'
  | 'tx_code_missing'
  | 'tx_code_unexpected'
  | 'tx_code_wrong';

/** The outcome of {@link OfferStore.redeemCode}. */
export type RedeemResult =
  | { ok: true; offer: OfferRecord; accessToken: string; expiresInSeconds: number }
  | { ok: false; reason: RedeemRefusal };

/** After this many wrong transaction codes the offer is burned (online guessing of a 6-digit code). */
export const MAX_TX_CODE_FAILURES = 5;

/** Lifetime of an access token, in seconds. */
export const ACCESS_TOKEN_TTL_SECONDS = 300;

/** Lifetime of a `c_nonce`, in seconds. */
export const NONCE_TTL_SECONDS = 300;

interface OfferRow {
  id: string;
  credential_issuer: string;
  configuration_ids: string;
  assessment: string;
  pre_authorized_code: string;
  tx_code_hash: string | null;
  tx_code_length: number | null;
  tx_code_failures: number;
  created_at: string;
  expires_at: number;
  redeemed_at: number | null;
  credential_id: string | null;
}

function migrateOfferTables(db: SqliteDatabase): void {
  migrate(db, 'oid4vci', [
    (d) => {
      d.exec(`
        CREATE TABLE oid4vci_offers (
          id TEXT PRIMARY KEY,
          credential_issuer TEXT NOT NULL,
          configuration_ids TEXT NOT NULL,
          assessment TEXT NOT NULL,
          pre_authorized_code TEXT NOT NULL UNIQUE,
          tx_code_hash TEXT,
          tx_code_length INTEGER,
          tx_code_failures INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          expires_at INTEGER NOT NULL,
          redeemed_at INTEGER,
          credential_id TEXT
        ) STRICT;
        CREATE TABLE oid4vci_tokens (
          token_hash TEXT PRIMARY KEY,
          offer_id TEXT NOT NULL REFERENCES oid4vci_offers (id),
          dpop_jkt TEXT,
          expires_at INTEGER NOT NULL,
          used_at INTEGER
        ) STRICT;
        CREATE TABLE oid4vci_nonces (
          nonce_hash TEXT PRIMARY KEY,
          expires_at INTEGER NOT NULL,
          used_at INTEGER
        ) STRICT;
        CREATE TABLE oid4vci_settings (
          name TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      `);
    },
  ]);
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The issuance protocol's durable state in the issuer's SQLite file: offers, pre-authorized
 * codes, access tokens and nonces. Every consuming step is ONE conditional write in an
 * IMMEDIATE transaction (`UPDATE … WHERE used_at IS NULL AND expires_at > now`), so two
 * processes serving one file never honour a code, a token or a nonce twice. Tokens and nonces
 * are stored as SHA-256 hashes; the transaction code as a hash, never in clear.
 *
 * Open it on its own connection (not the Issuer's): the Issuer keeps a transaction open while
 * it signs, and statements run on that connection would join it.
 */
export class OfferStore {
  readonly #db: SqliteDatabase;

  /** Wrap an open connection to the issuer file, creating the protocol tables when absent. */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    migrateOfferTables(db);
  }

  /** Record a pending offer with a fresh pre-authorized code (and transaction code, when asked). */
  createOffer(input: NewOffer): CreatedOffer {
    const now = input.now ?? new Date();
    if (!Number.isSafeInteger(input.expiresInSeconds) || input.expiresInSeconds < 1) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'expiresInSeconds must be a positive integer');
    }
    const length = input.txCodeLength;
    if (length !== undefined && (!Number.isInteger(length) || length < 4 || length > 8)) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'txCodeLength must be 4 to 8 digits');
    }
    if (input.configurationIds.length === 0) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'offer at least one credential configuration');
    }
    const txCode = length === undefined ? null : Array.from({ length }, () => String(randomInt(10))).join('');
    const record: OfferRecord = {
      id: randomBytes(16).toString('base64url'),
      credentialIssuer: input.credentialIssuer,
      configurationIds: [...input.configurationIds],
      assessment: input.assessment,
      preAuthorizedCode: randomToken(),
      hasTxCode: txCode !== null,
      txCodeLength: length ?? null,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + input.expiresInSeconds * 1000).toISOString(),
      redeemedAt: null,
      credentialId: null,
    };
    this.#db
      .prepare(
        `INSERT INTO oid4vci_offers (id, credential_issuer, configuration_ids, assessment, pre_authorized_code,
           tx_code_hash, tx_code_length, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.id,
        record.credentialIssuer,
        JSON.stringify(record.configurationIds),
        JSON.stringify(record.assessment),
        record.preAuthorizedCode,
        txCode === null ? null : sha256(txCode),
        record.txCodeLength,
        record.createdAt,
        Date.parse(record.expiresAt),
      );
    return { record, txCode };
  }

  /**
   * The offer to serve at its `credential_offer_uri`: only while it is pending (not expired,
   * not redeemed), so it can be fetched more than once until the wallet uses it.
   */
  pendingOffer(id: string, now: Date = new Date()): OfferRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM oid4vci_offers WHERE id = ?').get(id) as OfferRow | undefined;
    if (row === undefined || row.redeemed_at !== null || row.expires_at <= now.getTime()) return undefined;
    return toRecord(row);
  }

  /** An offer by id, whatever its state (for the register and tests). */
  getOffer(id: string): OfferRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM oid4vci_offers WHERE id = ?').get(id) as OfferRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** The latest offers, newest first, whatever their state (the centre's register page). */
  listOffers(options: { limit?: number } = {}): OfferRecord[] {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 1000);
    const rows = this.#db
      .prepare('SELECT * FROM oid4vci_offers ORDER BY created_at DESC, id LIMIT ?')
      .all(limit) as OfferRow[];
    return rows.map(toRecord);
  }

  /**
   * Exchange a pre-authorized code (and transaction code) for an opaque access token, once.
   * One IMMEDIATE transaction: of two processes racing with the same code, exactly one wins.
   * A wrong transaction code counts; after {@link MAX_TX_CODE_FAILURES} the offer is burned.
   */
  redeemCode(
    code: string,
    txCode: string | undefined,
    options: { dpopJkt?: string; now?: Date } = {},
  ): RedeemResult {
    const now = (options.now ?? new Date()).getTime();
    return this.#db
      .transaction((): RedeemResult => {
        const row = this.#db
          .prepare('SELECT * FROM oid4vci_offers WHERE pre_authorized_code = ?')
          .get(code) as OfferRow | undefined;
        if (row === undefined) return { ok: false, reason: 'unknown_code' };
        if (row.redeemed_at !== null) return { ok: false, reason: 'already_redeemed' };
        if (row.expires_at <= now) return { ok: false, reason: 'expired' };
        if (row.tx_code_hash === null && txCode !== undefined)
          return { ok: false, reason: 'tx_code_unexpected' };
        if (row.tx_code_hash !== null) {
          if (txCode === undefined) return { ok: false, reason: 'tx_code_missing' };
          if (!sameHash(sha256(txCode), row.tx_code_hash)) {
            const failures = row.tx_code_failures + 1;
            // Burned: expired now, so neither the code nor the offer URI works any more.
            this.#db
              .prepare(
                'UPDATE oid4vci_offers SET tx_code_failures = ?, expires_at = CASE WHEN ? >= ? THEN ? ELSE expires_at END WHERE id = ?',
              )
              .run(failures, failures, MAX_TX_CODE_FAILURES, now, row.id);
            return { ok: false, reason: 'tx_code_wrong' };
          }
        }
        const claimed = this.#db
          .prepare('UPDATE oid4vci_offers SET redeemed_at = ? WHERE id = ? AND redeemed_at IS NULL')
          .run(now, row.id);
        if (claimed.changes !== 1) return { ok: false, reason: 'already_redeemed' };
        const accessToken = randomToken();
        this.#db
          .prepare(
            'INSERT INTO oid4vci_tokens (token_hash, offer_id, dpop_jkt, expires_at) VALUES (?, ?, ?, ?)',
          )
          .run(sha256(accessToken), row.id, options.dpopJkt ?? null, now + ACCESS_TOKEN_TTL_SECONDS * 1000);
        return {
          ok: true,
          offer: toRecord({ ...row, redeemed_at: now }),
          accessToken,
          expiresInSeconds: ACCESS_TOKEN_TTL_SECONDS,
        };
      })
      .immediate();
  }

  /** An access token's record, when it exists and has not expired (used or not). */
  findAccessToken(accessToken: string, now: Date = new Date()): AccessTokenRecord | undefined {
    const row = this.#db
      .prepare('SELECT * FROM oid4vci_tokens WHERE token_hash = ?')
      .get(sha256(accessToken)) as
      | { offer_id: string; dpop_jkt: string | null; expires_at: number; used_at: number | null }
      | undefined;
    if (row === undefined || row.expires_at <= now.getTime()) return undefined;
    return {
      offerId: row.offer_id,
      dpopJkt: row.dpop_jkt,
      expiresAt: new Date(row.expires_at).toISOString(),
      usedAt: row.used_at === null ? null : new Date(row.used_at).toISOString(),
    };
  }

  /**
   * Take an access token for one credential request: true once, for a token that exists, has
   * not expired and was not used. {@link releaseAccessToken} gives it back when issuance failed
   * on our side.
   */
  claimAccessToken(accessToken: string, now: Date = new Date()): boolean {
    const result = this.#db
      .prepare(
        'UPDATE oid4vci_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
      )
      .run(now.getTime(), sha256(accessToken), now.getTime());
    return result.changes === 1;
  }

  /** Undo {@link claimAccessToken} after an issuance failure that is the issuer's, not the wallet's. */
  releaseAccessToken(accessToken: string): void {
    this.#db
      .prepare('UPDATE oid4vci_tokens SET used_at = NULL WHERE token_hash = ?')
      .run(sha256(accessToken));
  }

  /** Record which credential an offer produced. */
  recordCredential(offerId: string, credentialId: string): void {
    this.#db.prepare('UPDATE oid4vci_offers SET credential_id = ? WHERE id = ?').run(credentialId, offerId);
  }

  /** A fresh `c_nonce`, valid for {@link NONCE_TTL_SECONDS}. */
  createNonce(now: Date = new Date()): { nonce: string; expiresInSeconds: number } {
    const nonce = randomToken();
    this.#db
      .prepare('INSERT INTO oid4vci_nonces (nonce_hash, expires_at) VALUES (?, ?)')
      .run(sha256(nonce), now.getTime() + NONCE_TTL_SECONDS * 1000);
    // Expired nonces are of no use to anyone: drop them as new ones come.
    this.#db
      .prepare('DELETE FROM oid4vci_nonces WHERE expires_at < ?')
      .run(now.getTime() - NONCE_TTL_SECONDS * 1000);
    return { nonce, expiresInSeconds: NONCE_TTL_SECONDS };
  }

  /** Use a nonce: true once, for a nonce this store issued that has not expired. */
  consumeNonce(nonce: string, now: Date = new Date()): boolean {
    const result = this.#db
      .prepare(
        'UPDATE oid4vci_nonces SET used_at = ? WHERE nonce_hash = ? AND used_at IS NULL AND expires_at > ?',
      )
      .run(now.getTime(), sha256(nonce), now.getTime());
    return result.changes === 1;
  }

  /** A service setting (the public URL last served, for `issuer offer`). */
  getSetting(name: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM oid4vci_settings WHERE name = ?').get(name) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  /** Write a service setting. */
  setSetting(name: string, value: string): void {
    this.#db
      .prepare(
        'INSERT INTO oid4vci_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }
}

function toRecord(row: OfferRow): OfferRecord {
  return {
    id: row.id,
    credentialIssuer: row.credential_issuer,
    configurationIds: JSON.parse(row.configuration_ids) as string[],
    assessment: JSON.parse(row.assessment) as SkillAssessment,
    preAuthorizedCode: row.pre_authorized_code,
    hasTxCode: row.tx_code_hash !== null,
    txCodeLength: row.tx_code_length,
    createdAt: row.created_at,
    expiresAt: new Date(row.expires_at).toISOString(),
    redeemedAt: row.redeemed_at === null ? null : new Date(row.redeemed_at).toISOString(),
    credentialId: row.credential_id,
  };
}
