import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  didKeyFromPublicKey,
  didWebFromHost,
  keyObjectSigner,
  keyTypeOfKeyObject,
  type PublicJwk,
  publicJwkOf,
  type SigningKey,
  SkillpassError,
} from '@skillpass/core';
import { isJsonObject } from '@skillpass/core/internal';
import { createOwnerOnlyFile, migrate, openSqlite, type SqliteDatabase } from '@skillpass/store';

/** The file, inside the verifier directory, that holds the identity, requests and results. */
export const VERIFIER_DB_FILE = 'verifier.db';

const COMPONENT = 'skillpass-verifier-service';

const MIGRATIONS = [
  (db: SqliteDatabase) => {
    db.exec(`
      CREATE TABLE verifier_identity (
        only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
        client_id TEXT NOT NULL,
        did TEXT,
        key_id TEXT NOT NULL,
        private_key_pem TEXT NOT NULL,
        certificate_pem TEXT,
        result_token TEXT NOT NULL,
        public_url TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE verifier_requests (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL UNIQUE,
        nonce TEXT NOT NULL,
        client_id TEXT NOT NULL,
        response_mode TEXT NOT NULL,
        request_object TEXT NOT NULL,
        dcql_query TEXT NOT NULL,
        vacancy TEXT NOT NULL,
        encryption_key_pem TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'verified', 'refused')),
        answered_at INTEGER,
        outcome TEXT
      );
    `);
  },
  // Version 2: the request's large, never-changing documents (the signed request object, the
  // DCQL query, the vacancy: about 27 KB) move to their own table. Answering a request updates
  // its row twice (the claim, then the outcome), and SQLite rewrites a whole row on every
  // update: with the documents inside, each answer wrote them to the WAL (and, at checkpoint,
  // to the database file) twice more.
  (db: SqliteDatabase) => {
    db.exec(`
      CREATE TABLE verifier_request_documents (
        id TEXT PRIMARY KEY,
        request_object TEXT NOT NULL,
        dcql_query TEXT NOT NULL,
        vacancy TEXT NOT NULL
      );
      INSERT INTO verifier_request_documents (id, request_object, dcql_query, vacancy)
        SELECT id, request_object, dcql_query, vacancy FROM verifier_requests;
      CREATE TABLE verifier_requests_v2 (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL UNIQUE,
        nonce TEXT NOT NULL,
        client_id TEXT NOT NULL,
        response_mode TEXT NOT NULL,
        encryption_key_pem TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'verified', 'refused')),
        answered_at INTEGER,
        outcome TEXT
      );
      INSERT INTO verifier_requests_v2 (id, state, nonce, client_id, response_mode, encryption_key_pem,
          created_at, expires_at, status, answered_at, outcome)
        SELECT id, state, nonce, client_id, response_mode, encryption_key_pem,
          created_at, expires_at, status, answered_at, outcome FROM verifier_requests;
      DROP TABLE verifier_requests;
      ALTER TABLE verifier_requests_v2 RENAME TO verifier_requests;
    `);
  },
];

/** How the verifier identifies itself to wallets (the client identifier prefix of OpenID4VP 1.0 §5.9). */
export type ClientIdPrefix = 'decentralized_identifier' | 'x509_san_dns';

/** The verifier's identity as stored. */
export interface VerifierIdentity {
  /** The full client_id, prefix included (`decentralized_identifier:did:…` or `x509_san_dns:host`). */
  clientId: string;
  prefix: ClientIdPrefix;
  /** The verifier DID (decentralized_identifier prefix), else null. */
  did: string | null;
  /** The key's id: a DID URL, or the certificate's SHA-256 thumbprint for x509. */
  keyId: string;
  /** Signs request objects (ES256 for P-256 keys, EdDSA for Ed25519). */
  signingKey: SigningKey;
  publicJwk: PublicJwk;
  /** The certificate chain (base64 DER, leaf first) for `x509_san_dns`; else null. */
  x5c: string[] | null;
  /** Bearer token the employer's own systems present at the result endpoint. */
  resultToken: string;
  /** The public base URL `verifier serve` last announced, or null. */
  publicUrl: string | null;
}

/** Options of {@link initVerifier}. */
export interface InitVerifierOptions {
  /** The verifier directory (created when missing). */
  dir: string;
  /** did:web host (and optional port, `host%3A8443`-style or `host:8443`): the DID document is served by `verifier serve`. */
  didWeb?: string;
  /** A new did:key (P-256) identity. */
  didKey?: boolean;
  /** An X.509 identity (`x509_san_dns:` client id): PEM certificate chain (leaf first) and its PEM private key. */
  x509?: { certificatePem: string; privateKeyPem: string };
}

/**
 * Create a verifier directory with a new identity: a P-256 key for did:web or did:key (request
 * objects signed under the `decentralized_identifier:` client id prefix), or a given X.509
 * certificate and key (`x509_san_dns:` prefix, the DNS name from the certificate's SAN).
 *
 * @throws SkillpassError ERR_ALREADY_EXISTS when the directory already holds a verifier;
 *   ERR_INVALID_OPTIONS without exactly one identity choice or with an unusable certificate.
 */
export function initVerifier(options: InitVerifierOptions): VerifierIdentity {
  const choices = [options.didWeb !== undefined, options.didKey === true, options.x509 !== undefined];
  if (choices.filter(Boolean).length !== 1) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'choose exactly one of didWeb, didKey or x509');
  }
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const path = join(options.dir, VERIFIER_DB_FILE);
  if (existsSync(path)) throw new SkillpassError('ERR_ALREADY_EXISTS', `${path} already holds a verifier`);
  let clientId: string;
  let did: string | null = null;
  let keyId: string;
  let privateKey: KeyObject;
  let certificatePem: string | null = null;
  if (options.x509 !== undefined) {
    const { leaf, chainPem } = parseCertificates(options.x509.certificatePem);
    try {
      privateKey = createPrivateKey(options.x509.privateKeyPem);
    } catch (err) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'the private key is not a PEM key', { cause: err });
    }
    if (keyTypeOfKeyObject(privateKey) === undefined || !leaf.checkPrivateKey(privateKey)) {
      throw new SkillpassError(
        'ERR_INVALID_OPTIONS',
        'the private key is not the certificate’s P-256/Ed25519 key',
      );
    }
    const dns = sanDnsNames(leaf);
    if (dns.length === 0) throw new SkillpassError('ERR_INVALID_OPTIONS', 'the certificate names no DNS SAN');
    clientId = `x509_san_dns:${dns[0]}`;
    keyId = leaf.fingerprint256;
    certificatePem = chainPem;
  } else {
    privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    if (options.didWeb !== undefined) {
      const host = options.didWeb.replace(/^https?:\/\//, '').replace(/\/+$/, '');
      if (!/^[A-Za-z0-9.-]+(:\d{1,5}|%3A\d{1,5})?$/.test(host)) {
        throw new SkillpassError('ERR_INVALID_OPTIONS', `--did-web wants a host name, not ${options.didWeb}`);
      }
      did = didWebFromHost(host.replace('%3A', ':'));
      keyId = `${did}#key-1`;
    } else {
      did = didKeyFromPublicKey(createPublicKey(privateKey));
      keyId = `${did}#${did.slice('did:key:'.length)}`;
    }
    clientId = `decentralized_identifier:${did}`;
  }
  createOwnerOnlyFile(path);
  const db = openSqlite(path, { kind: 'verifier' });
  try {
    migrate(db, COMPONENT, MIGRATIONS);
    db.prepare(
      `INSERT INTO verifier_identity (only_row, client_id, did, key_id, private_key_pem, certificate_pem, result_token, created_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      clientId,
      did,
      keyId,
      privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      certificatePem,
      randomBytes(24).toString('base64url'),
      new Date().toISOString(),
    );
    return readIdentity(db);
  } finally {
    db.close();
  }
}

/** A verifier directory opened: its identity and its SQLite store. */
export interface VerifierStore {
  readonly dir: string;
  readonly db: SqliteDatabase;
  readonly identity: VerifierIdentity;
  /** Remember the public URL `serve` answers on, so `request` in another process can build URIs. */
  setPublicUrl(url: string): void;
  close(): void;
}

/**
 * Open an existing verifier directory.
 *
 * @throws SkillpassError ERR_NOT_FOUND when `dir` holds no verifier (run `verifier init`).
 */
export function openVerifierStore(dir: string): VerifierStore {
  const path = join(dir, VERIFIER_DB_FILE);
  if (!existsSync(path)) {
    throw new SkillpassError('ERR_NOT_FOUND', `${dir} holds no verifier (run skillpass verifier init)`);
  }
  const db = openSqlite(path, { kind: 'verifier', mustExist: true });
  try {
    migrate(db, COMPONENT, MIGRATIONS);
    let identity = readIdentity(db);
    return {
      dir,
      db,
      get identity() {
        return identity;
      },
      setPublicUrl(url) {
        db.prepare('UPDATE verifier_identity SET public_url = ? WHERE only_row = 1').run(url);
        identity = readIdentity(db);
      },
      close() {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

interface IdentityRow {
  client_id: string;
  did: string | null;
  key_id: string;
  private_key_pem: string;
  certificate_pem: string | null;
  result_token: string;
  public_url: string | null;
}

function readIdentity(db: SqliteDatabase): VerifierIdentity {
  const row = db.prepare('SELECT * FROM verifier_identity WHERE only_row = 1').get() as
    | IdentityRow
    | undefined;
  if (row === undefined) throw new SkillpassError('ERR_STORE_CORRUPT', 'the verifier store has no identity');
  const privateKey = createPrivateKey(row.private_key_pem);
  const type = keyTypeOfKeyObject(privateKey);
  if (type === undefined)
    throw new SkillpassError('ERR_STORE_CORRUPT', 'the verifier key is not P-256 or Ed25519');
  const x5c =
    row.certificate_pem === null
      ? null
      : splitPem(row.certificate_pem).map((pem) => new X509Certificate(pem).raw.toString('base64'));
  return {
    clientId: row.client_id,
    prefix: row.client_id.startsWith('x509_san_dns:') ? 'x509_san_dns' : 'decentralized_identifier',
    did: row.did,
    keyId: row.key_id,
    signingKey: {
      keyId: row.key_id,
      alg: type === 'P-256' ? 'ES256' : 'EdDSA',
      sign: keyObjectSigner(privateKey),
    },
    publicJwk: publicJwkOf(createPublicKey(privateKey)),
    x5c,
    resultToken: row.result_token,
    publicUrl: row.public_url,
  };
}

/** The did:web document of a did:web verifier (served by `verifier serve` at /.well-known/did.json). */
export function verifierDidDocument(identity: VerifierIdentity): Record<string, unknown> | null {
  if (identity.did === null || !identity.did.startsWith('did:web:')) return null;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: identity.did,
    verificationMethod: [
      {
        id: identity.keyId,
        type: 'JsonWebKey2020',
        controller: identity.did,
        publicKeyJwk: identity.publicJwk,
      },
    ],
    authentication: [identity.keyId],
    assertionMethod: [identity.keyId],
  };
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function parseCertificates(text: string): { leaf: X509Certificate; chainPem: string } {
  const pems = splitPem(text);
  if (pems.length === 0) throw new SkillpassError('ERR_INVALID_OPTIONS', 'no PEM certificate found');
  try {
    const certs = pems.map((pem) => new X509Certificate(pem));
    return { leaf: certs[0]!, chainPem: pems.join('\n') };
  } catch (err) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'a certificate does not parse', { cause: err });
  }
}

/** The DNS names of a certificate's subjectAltName. */
function sanDnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
}

/** True when `value` looks like a stored JSON object (guards reads of TEXT columns). */
export function parseStoredJson(text: string): Record<string, unknown> {
  const value = JSON.parse(text) as unknown;
  if (!isJsonObject(value))
    throw new SkillpassError('ERR_STORE_CORRUPT', 'a stored document is not an object');
  return value;
}
