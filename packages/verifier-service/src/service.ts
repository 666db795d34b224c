import { createPrivateKey, timingSafeEqual } from 'node:crypto';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type DidResolver, LIMITS, type VerificationReport } from '@skillpass/core';
import { isJsonObject } from '@skillpass/core/internal';
import {
  type Crosswalk,
  type MatchResult,
  matchPassport,
  type QualificationMap,
  type Vacancy,
} from '@skillpass/match';
import type { Verifier } from '@skillpass/verifier';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import type { DcqlQueryJson } from './create-dcql-query.js';
import { SERVICE_PATHS } from './create-request.js';
import { parseForm } from './internal/form.js';
import { deepFreeze } from './internal/frozen.js';
import { parseStoredJson, type VerifierStore, verifierDidDocument } from './verifier-store.js';
import { verifyVpToken } from './verify-vp-token.js';

/** Largest body the response endpoint reads, in bytes (a JWE of the largest passport fits). */
export const MAX_RESPONSE_BODY_BYTES = Math.ceil(LIMITS.maxPassportBytes * 1.5);

/** An OpenID4VP error answer (RFC 6749 §5.2 shape) with the skillpass code behind it. */
export interface ProtocolError {
  /** The OAuth 2.0 / OpenID4VP error code. */
  error: 'invalid_request' | 'invalid_request_uri' | 'invalid_client' | 'server_error';
  error_description: string;
  /** The stable skillpass code (ERR_…) that explains it. */
  skillpass_code: string;
  /** The verification problem codes, when a presentation failed verification. */
  skillpass_problems?: string[];
}

/** Where a request stands. */
export type RequestStatus = 'pending' | 'processing' | 'verified' | 'refused' | 'expired';

/** What the employer reads back: `verifier result --json` and the result endpoint. */
export interface PresentationResult {
  id: string;
  status: RequestStatus;
  createdAt: string;
  expiresAt: string;
  answeredAt: string | null;
  /** True only when every check passed and the DCQL query is satisfied (status `verified`). */
  verified: boolean;
  /** The full verification report (shape of `verify --json`), once a response arrived. */
  verification: VerificationReport | null;
  /** The match against the request's vacancy (shape of `match --json`), from verified credentials only. */
  match: MatchResult | null;
  /** Why the response was refused (what the wallet was told), when it was. */
  error: ProtocolError | null;
}

/** Options of {@link createVerifierService}. */
export interface VerifierServiceOptions {
  /** The opened verifier store. */
  store: VerifierStore;
  /** A verifier configured with status and trust: every credential gets every check. */
  verifier: Verifier;
  /** The resolver the verifier uses (for holder keys of `jwt_vc_json` presentations). */
  resolver: DidResolver;
  /** Crosswalk between taxonomies for the match. */
  crosswalk?: Crosswalk;
  /** Lets a verified diploma meet the skills its qualification certifies in the match (ask for diplomas with `createPresentationRequest`'s `qualifications`). */
  qualifications?: QualificationMap;
  /** Oldest presentation accepted, in seconds. Default 600. */
  maxAgeSeconds?: number;
  /** Clock; default `() => new Date()`. */
  now?: () => Date;
}

/** The verifier service: a Hono app other routes (the employer's pages) can be mounted beside. */
export interface VerifierService {
  /** The Hono app: request objects, the response endpoint, results, the did:web document. */
  app: Hono;
  /** Handle a wallet's form-encoded response (what the response endpoint does). */
  handleResponse(form: URLSearchParams): Promise<{ status: 200 | 400; body: Record<string, unknown> }>;
  /** Read the result of one request. */
  readResult(id: string): PresentationResult | undefined;
}

interface RequestRow {
  id: string;
  state: string;
  nonce: string;
  client_id: string;
  response_mode: string;
  encryption_key_pem: string | null;
  created_at: number;
  expires_at: number;
  status: Exclude<RequestStatus, 'expired'>;
  answered_at: number | null;
  outcome: string | null;
}

interface RequestDocuments {
  dcql_query: string;
  vacancy: string;
}

/**
 * `JSON.parse`, kept by the exact text (the `max` most recently used), the result deep-frozen
 * as it is shared: a caller that tried to change it would throw, never change another's.
 */
function createJsonCache(max: number): (text: string) => unknown {
  const kept = new Map<string, unknown>();
  return (text) => {
    let value = kept.get(text);
    if (value !== undefined) {
      kept.delete(text);
      kept.set(text, value);
      return value;
    }
    value = deepFreeze(JSON.parse(text) as unknown);
    if (kept.size >= max) kept.delete(kept.keys().next().value as string);
    kept.set(text, value);
    return value;
  };
}

/**
 * Hono's `bodyLimit`, without its cost for the common case. A body with a Content-Length (and
 * no Transfer-Encoding) is refused at once when the length is over `maxSize`, and otherwise
 * passed on untouched: Node's HTTP parser delivers exactly that many bytes, so the handler
 * reads it straight from the socket (@hono/node-server's direct path), where `bodyLimit`
 * would first turn the request into a WHATWG stream. A body without a length (chunked) goes
 * through `bodyLimit`, which counts the bytes as they arrive and stops at `maxSize`.
 */
function limitBody(
  maxSize: number,
  onError: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler {
  const counted = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (
      length !== undefined &&
      /^\d{1,15}$/.test(length) &&
      c.req.header('transfer-encoding') === undefined
    ) {
      if (Number(length) > maxSize) return onError(c);
      await next();
      return;
    }
    return counted(c, next);
  };
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

/**
 * Create the OpenID4VP verifier service over a verifier store: `GET /oid4vp/request/:id`
 * serves signed request objects (`application/oauth-authz-req+jwt`), `POST /oid4vp/response`
 * takes `direct_post` and `direct_post.jwt` responses, `GET /oid4vp/result/:id` (bearer token)
 * gives the employer's own systems the outcome, and a did:web verifier's DID document is at
 * `/.well-known/did.json`. Every request is answered at most once, across processes sharing
 * the store: the first response claims it in one SQLite transaction.
 *
 * @example
 * ```ts
 * const service = createVerifierService({ store, verifier, resolver });
 * serve({ fetch: service.app.fetch, port: 8080 });
 * ```
 */
export function createVerifierService(options: VerifierServiceOptions): VerifierService {
  const { store } = options;
  const clock = options.now ?? (() => new Date());
  const db = store.db;
  const byId = db.prepare('SELECT * FROM verifier_requests WHERE id = ?');
  const byState = db.prepare('SELECT * FROM verifier_requests WHERE state = ?');
  const documentsOf = db.prepare('SELECT dcql_query, vacancy FROM verifier_request_documents WHERE id = ?');
  const requestObjectOf = db.prepare('SELECT request_object FROM verifier_request_documents WHERE id = ?');
  // Every request for one vacancy carries the same DCQL query and vacancy: each is parsed once
  // (by its exact JSON text) and shared, frozen, between the answers.
  const parsedJson = createJsonCache(64);
  const claim = db.prepare(
    "UPDATE verifier_requests SET status = 'processing', answered_at = ? WHERE id = ? AND status = 'pending' AND expires_at > ?",
  );
  const finish = db.prepare('UPDATE verifier_requests SET status = ?, outcome = ? WHERE id = ?');

  // Durability: an outcome must survive a power cut before its wallet hears it, and a request
  // must be claimed (single-use, across processes) before its token is looked at. A commit with
  // synchronous=FULL fsyncs inside SQLite's write lock, on the event loop: the other processes
  // sharing the store then wait for that fsync in SQLite's busy handler, which sleeps (1, 2,
  // 5 … ms) on their event loops too, and this process verifies nothing meanwhile. So:
  // - the claim commits without its own fsync (synchronous=NORMAL for that one statement). It
  //   is visible to every other process at once, so a request is answered once however many
  //   responses race; a power cut can lose it only together with the outcome, before the
  //   wallet has been told anything;
  // - outcomes finished in the same turn of the event loop are written in one transaction. In
  //   WAL mode (every file store) that commit also skips the fsync inside the lock, and the WAL
  //   file is then fsynced asynchronously (libuv's thread pool, outside the lock): fsync makes
  //   the file's data durable whichever descriptor wrote it, so every frame committed before
  //   the call, this batch's included, is on disk when it returns; a checkpoint that moves
  //   those frames into the database file first syncs the WAL and then the database (SQLite,
  //   synchronous=NORMAL). Only then does any wallet of the batch hear its outcome. A store
  //   that is not a WAL file (in memory) commits with synchronous=FULL as before.
  function withoutFsync<T>(write: () => T): T {
    db.pragma('synchronous = NORMAL');
    try {
      return write();
    } finally {
      db.pragma('synchronous = FULL');
    }
  }
  function claimRequest(id: string, at: number): boolean {
    return withoutFsync(() => claim.run(at, id, at).changes > 0);
  }
  const walFile = walFileOf(db);
  interface QueuedOutcome {
    status: 'verified' | 'refused';
    outcome: string;
    id: string;
    written: () => void;
    failed: (err: unknown) => void;
  }
  let queued: QueuedOutcome[] = [];
  const writeOutcomes = db.transaction((batch: QueuedOutcome[]) => {
    for (const o of batch) finish.run(o.status, o.outcome, o.id);
  });
  function flushOutcomes(): void {
    const batch = queued;
    queued = [];
    const durable = (): Promise<void> => (walFile === undefined ? Promise.resolve() : fsyncFile(walFile));
    try {
      if (walFile === undefined) writeOutcomes(batch);
      else withoutFsync(() => writeOutcomes(batch));
    } catch (err) {
      for (const o of batch) o.failed(err);
      return;
    }
    durable().then(
      () => {
        for (const o of batch) o.written();
      },
      (err: unknown) => {
        for (const o of batch) o.failed(err);
      },
    );
  }
  function recordOutcome(status: 'verified' | 'refused', outcome: string, id: string): Promise<void> {
    return new Promise((written, failed) => {
      queued.push({ status, outcome, id, written, failed });
      if (queued.length === 1) setImmediate(flushOutcomes);
    });
  }

  function refuse(code: string, description: string, problems?: string[]): ProtocolError {
    return {
      error: 'invalid_request',
      error_description: description,
      skillpass_code: code,
      ...(problems !== undefined ? { skillpass_problems: problems } : {}),
    };
  }

  async function handleResponse(form: URLSearchParams) {
    const bad = (error: ProtocolError) => ({
      status: 400 as const,
      body: error as unknown as Record<string, unknown>,
    });
    const now = clock();
    let row: RequestRow | undefined;
    let vpToken: unknown;
    let state: unknown;
    const jwe = form.get('response');
    if (jwe !== null) {
      let kid: unknown;
      try {
        kid = decodeProtectedHeader(jwe).kid;
      } catch {
        return bad(refuse('ERR_MALFORMED', 'response is not a JWE'));
      }
      row = typeof kid === 'string' ? (byId.get(kid) as RequestRow | undefined) : undefined;
      if (row === undefined || row.encryption_key_pem === null) {
        return bad(refuse('ERR_REQUEST_UNKNOWN', 'the response is encrypted to no key of this verifier'));
      }
      let payload: unknown;
      try {
        const { plaintext } = await compactDecrypt(jwe, createPrivateKey(row.encryption_key_pem), {
          keyManagementAlgorithms: ['ECDH-ES'],
          contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'],
        });
        payload = JSON.parse(Buffer.from(plaintext).toString('utf8'));
      } catch {
        return bad(refuse('ERR_MALFORMED', 'the response does not decrypt to a JSON object'));
      }
      if (!isJsonObject(payload)) return bad(refuse('ERR_MALFORMED', 'the response is not a JSON object'));
      vpToken = payload.vp_token;
      state = payload.state;
      if (state !== row.state)
        return bad(refuse('ERR_REQUEST_UNKNOWN', 'the response state is not the request’s'));
    } else {
      state = form.get('state');
      vpToken = form.get('vp_token');
      if (typeof state !== 'string' || state === '') return bad(refuse('ERR_MALFORMED', 'state is missing'));
      row = byState.get(state) as RequestRow | undefined;
      if (row === undefined) return bad(refuse('ERR_REQUEST_UNKNOWN', 'no request has this state'));
      if (row.response_mode === 'direct_post.jwt') {
        return bad(refuse('ERR_MALFORMED', 'this request wants an encrypted response (direct_post.jwt)'));
      }
    }
    if (form.has('error')) {
      // The wallet declined (e.g. access_denied): the request is answered, nothing is verified.
      return settle(
        row,
        now,
        null,
        refuse('ERR_RESPONSE_REFUSED', `the wallet answered ${String(form.get('error')).slice(0, 64)}`),
      );
    }
    if (vpToken === null || vpToken === undefined) return bad(refuse('ERR_MALFORMED', 'vp_token is missing'));
    // Claim the request before looking at the token: nonce and state are single-use, even when
    // two responses (or two processes) race.
    if (!claimRequest(row.id, now.getTime())) {
      const current = byId.get(row.id) as RequestRow;
      return bad(
        current.status === 'pending'
          ? refuse('ERR_REQUEST_EXPIRED', 'the request has expired')
          : refuse('ERR_REQUEST_ANSWERED', 'the request has already been answered'),
      );
    }
    let outcome: Awaited<ReturnType<typeof verifyVpToken>>;
    let documents: RequestDocuments;
    try {
      documents = documentsOf.get(row.id) as RequestDocuments;
      outcome = await verifyVpToken(vpToken, {
        dcqlQuery: parsedJson(documents.dcql_query) as DcqlQueryJson,
        clientId: row.client_id,
        nonce: row.nonce,
        verifier: options.verifier,
        resolver: options.resolver,
        now,
        ...(options.maxAgeSeconds !== undefined ? { maxAgeSeconds: options.maxAgeSeconds } : {}),
      });
    } catch (err) {
      await recordOutcome(
        'refused',
        JSON.stringify({ error: refuse('ERR_MALFORMED', 'the response could not be verified') }),
        row.id,
      );
      throw err;
    }
    const codes = [...new Set(outcome.report.problems.map((p) => p.code))];
    // The first failure that is not the DCQL re-check: a credential that did not verify also
    // leaves its query unanswered, but the reason is the credential.
    const primary = codes.find((c) => c !== 'ERR_QUERY_NOT_SATISFIED') ?? codes[0] ?? 'ERR_MALFORMED';
    const error = outcome.verified ? null : refuse(primary, 'the presentation did not verify', codes);
    return settle(row, now, outcome.report, error, true, documents);
  }

  async function settle(
    row: RequestRow,
    now: Date,
    report: VerificationReport | null,
    error: ProtocolError | null,
    claimed = false,
    documents?: RequestDocuments,
  ): Promise<{ status: 200 | 400; body: Record<string, unknown> }> {
    if (!claimed && !claimRequest(row.id, now.getTime())) {
      return { status: 400, body: refuse('ERR_REQUEST_ANSWERED', 'the request is no longer open') as never };
    }
    let match: MatchResult | null = null;
    if (report !== null) {
      const { vacancy: text } = documents ?? (documentsOf.get(row.id) as RequestDocuments);
      const vacancy = parsedJson(text) as Vacancy;
      match = matchPassport(report, vacancy, {
        now,
        ...(options.crosswalk !== undefined ? { crosswalk: options.crosswalk } : {}),
        ...(options.qualifications !== undefined ? { qualifications: options.qualifications } : {}),
      });
    }
    await recordOutcome(
      error === null ? 'verified' : 'refused',
      JSON.stringify({ verification: report, match, error }),
      row.id,
    );
    return error === null ? { status: 200, body: {} } : { status: 400, body: error as never };
  }

  function readResult(id: string): PresentationResult | undefined {
    const row = byId.get(id) as RequestRow | undefined;
    return row === undefined ? undefined : resultOf(row, clock());
  }

  const app = new Hono();
  const didDocument = verifierDidDocument(store.identity);
  if (didDocument !== null) {
    app.get('/.well-known/did.json', (c) => c.json(didDocument));
  }
  app.get(`${SERVICE_PATHS.requestObject}:id`, (c) => {
    const row = byId.get(c.req.param('id')) as RequestRow | undefined;
    if (row === undefined || row.status !== 'pending' || row.expires_at <= clock().getTime()) {
      return c.json(
        { error: 'invalid_request_uri', error_description: 'no open request at this URI' },
        404,
        JSON_HEADERS,
      );
    }
    const { request_object } = requestObjectOf.get(row.id) as { request_object: string };
    return c.body(request_object, 200, {
      'content-type': 'application/oauth-authz-req+jwt',
      'cache-control': 'no-store',
    });
  });
  app.post(
    SERVICE_PATHS.response,
    limitBody(MAX_RESPONSE_BODY_BYTES, (c) =>
      c.json(
        refuse('ERR_INPUT_TOO_LARGE', `the body is larger than ${MAX_RESPONSE_BODY_BYTES} bytes`),
        413,
        JSON_HEADERS,
      ),
    ),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        return c.json(
          refuse('ERR_MALFORMED', 'the body must be application/x-www-form-urlencoded'),
          400,
          JSON_HEADERS,
        );
      }
      const form = parseForm(await c.req.text());
      const { status, body } = await handleResponse(form);
      return c.json(body, status, JSON_HEADERS);
    },
  );
  app.get(`${SERVICE_PATHS.result}:id`, (c) => {
    const given = Buffer.from((c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, ''));
    const expected = Buffer.from(store.identity.resultToken);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return c.json({ error: 'invalid_client', error_description: 'a valid bearer token is required' }, 401, {
        ...JSON_HEADERS,
        'www-authenticate': 'Bearer',
      });
    }
    const result = readResult(c.req.param('id'));
    if (result === undefined) return c.json({ error: 'not_found' }, 404, JSON_HEADERS);
    return c.json(result, 200, JSON_HEADERS);
  });
  app.onError((_err, c) =>
    c.json(
      { error: 'server_error', error_description: 'the verifier failed on this request' },
      500,
      JSON_HEADERS,
    ),
  );
  return { app, handleResponse, readResult };
}

/**
 * The result of one request, read from a verifier store (what `verifier result` prints);
 * undefined when the store has no such request.
 */
export function readPresentationResult(
  store: VerifierStore,
  id: string,
  now = new Date(),
): PresentationResult | undefined {
  const row = store.db.prepare('SELECT * FROM verifier_requests WHERE id = ?').get(id) as
    | RequestRow
    | undefined;
  return row === undefined ? undefined : resultOf(row, now);
}

function resultOf(row: RequestRow, now: Date): PresentationResult {
  const outcome = row.outcome === null ? null : parseStoredJson(row.outcome);
  const status: RequestStatus =
    row.status === 'pending' && row.expires_at <= now.getTime() ? 'expired' : row.status;
  return {
    id: row.id,
    status,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    answeredAt: row.answered_at === null ? null : new Date(row.answered_at).toISOString(),
    verified: status === 'verified',
    verification: (outcome?.verification as VerificationReport | undefined) ?? null,
    match: (outcome?.match as MatchResult | undefined) ?? null,
    error: (outcome?.error as ProtocolError | undefined) ?? null,
  };
}

/** The WAL file of a file database in WAL mode, or undefined (in memory, other journal modes). */
function walFileOf(db: VerifierStore['db']): string | undefined {
  if (db.memory || db.name === '') return undefined;
  const mode = db.pragma('journal_mode', { simple: true });
  return mode === 'wal' ? `${resolve(db.name)}-wal` : undefined;
}

/** fsync a file on libuv's thread pool (opened for writing: Windows flushes only such handles). */
async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
