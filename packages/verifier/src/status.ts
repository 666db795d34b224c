import {
  checkTimeWindow,
  decodeStatusList,
  decodeTokenStatusList,
  type FetchLike,
  getStatusBit,
  getTokenStatus,
  type JsonObject,
  LIMITS,
  malformed,
  type Problem,
  parseCompactJws,
  problem,
  type TimeWindow,
  TOKEN_STATUS,
  type TokenStatusBits,
  tokenStatusEntries,
} from '@skillpass/core';
import { createCache, isJsonObject, parseJsonObject, typMatches } from '@skillpass/core/internal';
import { verifyDataIntegrity } from '@skillpass/data-integrity';
import { createOutboundFetch } from '@skillpass/net';
import { checkSignedBy } from './internal/signed-by.js';
import { epochMs } from './internal/time.js';
import type { CheckOutcome, StatusChecker, StatusContext } from './options.js';

/** Options of {@link createStatusChecker}. */
export interface StatusCheckerOptions {
  /**
   * Fetch for status list URLs. Default: the outbound door of @skillpass/net (`kind:
   * 'status-list'`: https only, redirects checked hop by hop, DNS answers checked, gzip capped
   * after decompression). `false` for offline use (only `lists`). A fetch given here replaces the
   * door and its host policy: give one only for offline or test use.
   */
  fetch?: FetchLike | false;
  /** Cache time when a list states no `ttl`, in ms. Default 5 minutes. */
  ttlMs?: number;
  /** Upper bound on a list's own `ttl`, in ms. Default 24 hours. */
  maxTtlMs?: number;
  /**
   * Status lists given by the caller, used before any fetch (offline verification): Bitstring
   * status list credentials (vc+jwt, by `id`), list credentials given as JSON and secured with a
   * Data Integrity proof (`BitstringStatusListCredential` or `StatusList2021Credential`, by `id`;
   * the proof is verified as for a fetched one) and IETF Status List Tokens (`statuslist+jwt`, by `sub`).
   */
  lists?: Iterable<string>;
  /**
   * What an unreachable list means. `fail-closed` (default): ERR_STATUS_UNAVAILABLE fails the
   * credential. `fail-open`: the status check passes with a note. Only retrieval failures
   * (network, HTTP, timeout) are subject to this; a list that arrives invalid always fails.
   */
  onUnavailable?: 'fail-closed' | 'fail-open';
  /** Largest decompressed bitstring, in bytes (a gzip bomb stops here). Default 16 MiB. */
  maxDecompressedBytes?: number;
  /** Largest list credential, in bytes. Default 4 MiB. */
  maxListBytes?: number;
  /**
   * Time budget of one status check, in ms: every lookup of a credential's status entries runs
   * concurrently within it, and the door's connect, headers and body timeouts are set to it. The
   * verifier checks a passport's credentials concurrently, so this also bounds a passport's
   * status work. Default 5,000.
   */
  timeoutMs?: number;
  /**
   * How long a failed list lookup (unreachable, refused, invalid) is remembered per URL, in ms,
   * so that a `rank` run over many passports pays a dead host's timeout once. 0 turns it off.
   * Default `LIMITS.didWebNegativeCacheMs` (60 s).
   */
  negativeCacheTtlMs?: number;
  /**
   * Let the door fetch status lists from loopback hosts, over plain http too (tests, demos).
   * Default false. There is no option for other non-public hosts: the door refuses them.
   */
  allowHttpLocalhost?: boolean;
  /** Most lists kept decoded in memory. Default 1,000. */
  cacheSize?: number;
  /** Most decoded bytes kept in memory across all cached lists. Default 64 MiB. */
  maxCacheBytes?: number;
  /** Clock for cache expiry, in ms. Default Date.now. */
  clock?: () => number;
}

interface LoadedList {
  url: string;
  issuer: string;
  purposes: string[];
  bits: Uint8Array;
  /** The list's own validity: `validFrom`/`nbf` and `validUntil`/`exp`, each binding when stated. */
  window: TimeWindow;
  expires: number;
}

/** A retrieval failure the fail-open policy lets pass. */
type Excused = { excused: Problem };

/** A Bitstring Status List entry, read and checked: where to look and what a set bit means. */
interface BitstringEntry {
  kind: 'bitstring';
  url: string;
  index: number;
  purpose: 'revocation' | 'suspension';
}

/** What one entry comes to: a problem, a failure excused (fail-open), a note, or nothing. */
type EntryOutcome = Problem | Excused | string | null;

function isBitstringEntry(value: unknown): value is BitstringEntry {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'bitstring';
}

interface LoadedTokenList {
  url: string;
  issuer: string;
  bits: TokenStatusBits;
  bytes: Uint8Array;
  window: TimeWindow;
  expires: number;
}

type LoadFailure = { ok: false; problem: Problem; retrieval: boolean };
type LoadResult = { ok: true; list: LoadedList } | LoadFailure;
type TokenLoadResult = { ok: true; list: LoadedTokenList } | LoadFailure;

/**
 * The `type` under which a format handler puts an SD-JWT's `status.status_list` reference
 * (draft-ietf-oauth-status-list §6.2) into the VC-shaped view's `credentialStatus`:
 * `{type: TOKEN_STATUS_LIST_ENTRY, status_list: {idx, uri}}`.
 */
export const TOKEN_STATUS_LIST_ENTRY = 'TokenStatusListEntry';

/** Most status entries checked for one credential: each may name a list to fetch. */
const MAX_ENTRIES_PER_CREDENTIAL = 4;
const INDEX_RE = /^(0|[1-9][0-9]{0,9})$/;

/**
 * A {@link StatusChecker} for W3C Bitstring Status List v1.0 and the IETF Token Status List
 * (draft-ietf-oauth-status-list, the `status.status_list` of SD-JWT VCs). For each
 * `BitstringStatusListEntry` of a credential it obtains the list credential (from `lists`, the
 * cache, or fetch), checks the list's own vc+jwt signature through the verifier's resolver, that
 * the list's issuer is the credential's issuer and its `statusPurpose` matches, decodes it under
 * a size cap, and reports ERR_REVOKED, ERR_SUSPENDED, ERR_STATUS_UNAVAILABLE or ERR_MALFORMED.
 * A Token Status List reference is checked the same way against the `statuslist+jwt` token at
 * its `uri` (`sub` = uri, signed by the credential's issuer, not expired): status 0x01 INVALID is
 * ERR_REVOKED, 0x02 SUSPENDED is ERR_SUSPENDED, any other non-zero value ERR_STATUS_UNAVAILABLE.
 * Decoded lists are cached for their `ttl` (default 5 minutes). Never throws.
 */
export function createStatusChecker(options: StatusCheckerOptions = {}): StatusChecker {
  const defaultTtl = options.ttlMs ?? 5 * 60_000;
  const maxTtl = options.maxTtlMs ?? 24 * 60 * 60_000;
  const failOpen = options.onUnavailable === 'fail-open';
  const maxDecompressedBytes = options.maxDecompressedBytes ?? 16 * 1024 * 1024;
  const maxListBytes = options.maxListBytes ?? 4 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 5000;
  const negativeTtl = options.negativeCacheTtlMs ?? LIMITS.didWebNegativeCacheMs;
  const cacheSize = options.cacheSize ?? 1000;
  const maxCacheBytes = options.maxCacheBytes ?? 64 * 1024 * 1024;
  const clock = options.clock ?? Date.now;
  const fetchFn: FetchLike | undefined =
    options.fetch === false
      ? undefined
      : (options.fetch ??
        createOutboundFetch({
          kind: 'status-list',
          allowHttpLocalhost: options.allowHttpLocalhost === true,
          maxBytes: maxListBytes,
          connectTimeoutMs: timeoutMs,
          headersTimeoutMs: timeoutMs,
          bodyTimeoutMs: timeoutMs,
        }));
  const offline = new Map<string, string>();
  for (const token of options.lists ?? []) {
    if (token.trimStart().startsWith('{')) {
      // A list credential given as JSON (secured with a Data Integrity proof), by its `id`: its
      // proof is verified when it is used, as for a list fetched as JSON.
      const json = token.length > maxListBytes ? undefined : parseJsonObject(token.trim());
      if (json?.ok && typeof json.value.id === 'string') offline.set(json.value.id, token.trim());
      continue;
    }
    const parsed = parseCompactJws(token.trim(), {
      maxBytes: maxListBytes,
      typ: ['vc+jwt', 'statuslist+jwt'],
    });
    if (!parsed.ok) continue;
    const key = typMatches(parsed.jws.header.typ, 'statuslist+jwt')
      ? parsed.jws.payload.sub
      : parsed.jws.payload.id;
    if (typeof key === 'string') offline.set(key, token.trim());
  }
  // Decoded lists for their ttl, failures for negativeTtl: one cache, with concurrent lookups of
  // one URL sharing a single load.
  const cache = createCache<LoadedList, LoadFailure>({
    maxEntries: cacheSize,
    maxSize: maxCacheBytes,
    sizeOf: (list) => list.bits.length,
    now: clock,
  });
  const tokenCache = createCache<LoadedTokenList, LoadFailure>({
    maxEntries: cacheSize,
    maxSize: maxCacheBytes,
    sizeOf: (list) => list.bytes.length,
    now: clock,
  });

  async function retrieve(
    url: string,
    accept = 'application/vc+jwt, application/jwt, application/vc+ld+json, application/json',
  ): Promise<{ ok: true; text: string } | { ok: false; problem: Problem }> {
    const given = offline.get(url);
    if (given !== undefined) return { ok: true, text: given };
    if (fetchFn === undefined)
      return { ok: false, problem: unavailable(`no list given for ${short(url)} and fetch is off`) };
    try {
      const res = await fetchFn(url, { headers: { accept } });
      // Nothing of the answer (status code, headers, body) goes into the message.
      if (!res.ok) return { ok: false, problem: unavailable(`status list ${short(url)} was not served`) };
      const text = await res.text();
      if (Buffer.byteLength(text) > maxListBytes) {
        return { ok: false, problem: malformedProblem(`status list over ${maxListBytes} bytes`) };
      }
      return { ok: true, text: text.trim() };
    } catch (err) {
      // The door's errors carry a stable code and the URL asked for, nothing about the host.
      const code = (err as { code?: unknown })?.code;
      if (code === 'ERR_OUTBOUND_TOO_LARGE')
        return { ok: false, problem: malformedProblem(`status list over ${maxListBytes} bytes`) };
      const why = typeof code === 'string' && /^ERR_[A-Z_]+$/.test(code) ? ` (${code})` : '';
      return { ok: false, problem: unavailable(`status list ${short(url)} could not be fetched${why}`) };
    }
  }

  async function load(url: string, context: StatusContext): Promise<LoadResult> {
    const got = await retrieve(url);
    if (!got.ok)
      return { ok: false, problem: got.problem, retrieval: got.problem.code === 'ERR_STATUS_UNAVAILABLE' };
    const fail = (p: Problem): LoadResult => ({ ok: false, problem: p, retrieval: false });
    let payload: JsonObject;
    let verifySignature: (issuer: string) => Promise<Problem | undefined>;
    if (got.text.startsWith('{')) {
      // A list credential secured with a Data Integrity proof (StatusList2021 lists of the
      // Open Badges world usually are): the proof is verified as for an ldp_vc credential.
      if (got.text.length > maxListBytes)
        return fail(malformedProblem(`status list over ${maxListBytes} bytes`));
      const json = parseJsonObject(got.text);
      if (!json.ok) return fail(malformedProblem(`status list ${short(url)}: ${json.reason}`));
      payload = json.value;
      const doc = json.value;
      verifySignature = async (issuer) => {
        const report = await verifyDataIntegrity(doc, {
          expectedController: issuer,
          now: context.now,
          clockSkewSeconds: context.clockSkewSeconds ?? 60,
          ...(context.resolveMethod ? { resolveMethod: context.resolveMethod } : {}),
        });
        return report.verified
          ? undefined
          : (report.problems[0] ?? problem('ERR_SIGNATURE_INVALID', 'the proof did not verify'));
      };
    } else {
      const parsed = parseCompactJws(got.text, {
        maxBytes: maxListBytes,
        typ: ['vc+jwt'],
        ...(context.algorithms ? { algorithms: context.algorithms } : {}),
      });
      if (!parsed.ok) {
        return fail(
          parsed.problem.code === 'ERR_MALFORMED' || parsed.problem.code === 'ERR_INPUT_TOO_LARGE'
            ? malformedProblem(`status list ${short(url)}: ${parsed.problem.message}`)
            : unavailable(`status list ${short(url)}: ${parsed.problem.message}`),
        );
      }
      payload = parsed.jws.payload;
      const { jws } = parsed;
      verifySignature = (issuer) => checkSignedBy(jws, issuer, context.resolver, 'assertionMethod');
    }
    const types = Array.isArray(payload.type) ? payload.type : [payload.type];
    const kind = types.includes('BitstringStatusListCredential')
      ? 'BitstringStatusList'
      : types.includes('StatusList2021Credential')
        ? 'StatusList2021'
        : undefined;
    if (kind === undefined) {
      return fail(
        malformedProblem(`${short(url)} is not a BitstringStatusListCredential or StatusList2021Credential`),
      );
    }
    const issuer = isJsonObject(payload.issuer) ? payload.issuer.id : payload.issuer;
    if (typeof issuer !== 'string' || (payload.iss !== undefined && payload.iss !== issuer)) {
      return fail(malformedProblem(`status list ${short(url)} has no consistent issuer`));
    }
    if (payload.id !== url) {
      return fail(unavailable(`the list served at ${short(url)} is the list ${short(String(payload.id))}`));
    }
    const unsigned = await verifySignature(issuer);
    if (unsigned !== undefined) return fail(unavailable(`status list ${short(url)}: ${unsigned.message}`));
    const subject = payload.credentialSubject;
    if (!isJsonObject(subject) || subject.type !== kind) {
      return fail(malformedProblem(`status list ${short(url)} has no ${kind} subject`));
    }
    const purposes = (
      Array.isArray(subject.statusPurpose) ? subject.statusPurpose : [subject.statusPurpose]
    ).filter((p): p is string => typeof p === 'string');
    const decoded = decodeStatusList(subject.encodedList, { maxDecompressedBytes });
    if (!decoded.ok)
      return fail({ ...decoded.problem, message: `status list ${short(url)}: ${decoded.problem.message}` });
    const window: TimeWindow = {
      // VC 1.1 lists (StatusList2021) state issuanceDate/expirationDate
      notBefore: [dateOf(payload.validFrom ?? payload.issuanceDate), epochMs(payload.nbf)],
      expiresAt: [dateOf(payload.validUntil ?? payload.expirationDate), epochMs(payload.exp)],
    };
    const statedTtl = typeof subject.ttl === 'number' && subject.ttl >= 0 ? subject.ttl : defaultTtl;
    const list: LoadedList = {
      url,
      issuer,
      purposes,
      bits: decoded.bits,
      window,
      expires: clock() + Math.min(statedTtl, maxTtl),
    };
    return { ok: true, list };
  }

  async function listFor(url: string, context: StatusContext, armBudget: () => void): Promise<LoadResult> {
    // Not a fresh list in memory: this lookup may wait (on a load, or one in flight), so it
    // runs under the budget. The loader arms it too, for a list that expired since the peek.
    if (cache.peek(url) === undefined) armBudget();
    const got = await cache.get(url, async () => {
      armBudget();
      const loaded = await load(url, context);
      return loaded.ok
        ? { ok: true, value: loaded.list, ttlMs: loaded.list.expires - clock() }
        : { ok: false, failure: loaded, ttlMs: negativeTtl };
    });
    return got.ok ? { ok: true, list: got.value } : got.failure;
  }

  async function loadToken(url: string, context: StatusContext): Promise<TokenLoadResult> {
    const got = await retrieve(url, 'application/statuslist+jwt');
    if (!got.ok)
      return { ok: false, problem: got.problem, retrieval: got.problem.code === 'ERR_STATUS_UNAVAILABLE' };
    const fail = (p: Problem): TokenLoadResult => ({ ok: false, problem: p, retrieval: false });
    const parsed = parseCompactJws(got.text, {
      maxBytes: maxListBytes,
      typ: ['statuslist+jwt'],
      ...(context.algorithms ? { algorithms: context.algorithms } : {}),
    });
    if (!parsed.ok) {
      return fail(
        parsed.problem.code === 'ERR_MALFORMED' || parsed.problem.code === 'ERR_INPUT_TOO_LARGE'
          ? malformedProblem(`status list token ${short(url)}: ${parsed.problem.message}`)
          : unavailable(`status list token ${short(url)}: ${parsed.problem.message}`),
      );
    }
    const { payload } = parsed.jws;
    if (payload.sub !== url) {
      return fail(unavailable(`the token served at ${short(url)} is the list ${short(String(payload.sub))}`));
    }
    // `iss` is optional in the draft; without it the token must be signed by the credential's issuer.
    if (payload.iss !== undefined && typeof payload.iss !== 'string') {
      return fail(malformedProblem(`status list token ${short(url)} has a malformed iss`));
    }
    const issuer = payload.iss ?? context.issuer;
    if (epochMs(payload.iat) === undefined) {
      return fail(malformedProblem(`status list token ${short(url)} has no iat`));
    }
    const unsigned = await checkSignedBy(parsed.jws, issuer, context.resolver, 'assertionMethod');
    if (unsigned !== undefined)
      return fail(unavailable(`status list token ${short(url)}: ${unsigned.message}`));
    const decoded = decodeTokenStatusList(payload.status_list, { maxDecompressedBytes });
    if (!decoded.ok) {
      return fail({
        ...decoded.problem,
        message: `status list token ${short(url)}: ${decoded.problem.message}`,
      });
    }
    const statedTtl =
      typeof payload.ttl === 'number' && Number.isFinite(payload.ttl) && payload.ttl > 0
        ? payload.ttl * 1000
        : defaultTtl;
    return {
      ok: true,
      list: {
        url,
        issuer,
        bits: decoded.bits,
        bytes: decoded.bytes,
        window: { notBefore: [epochMs(payload.nbf)], expiresAt: [epochMs(payload.exp)] },
        expires: clock() + Math.min(statedTtl, maxTtl),
      },
    };
  }

  async function tokenListFor(
    url: string,
    context: StatusContext,
    armBudget: () => void,
  ): Promise<TokenLoadResult> {
    // As listFor: a lookup that may wait runs under the budget.
    if (tokenCache.peek(url) === undefined) armBudget();
    const got = await tokenCache.get(url, async () => {
      armBudget();
      const loaded = await loadToken(url, context);
      return loaded.ok
        ? { ok: true, value: loaded.list, ttlMs: loaded.list.expires - clock() }
        : { ok: false, failure: loaded, ttlMs: negativeTtl };
    });
    return got.ok ? { ok: true, list: got.value } : got.failure;
  }

  /** An IETF Token Status List reference (`status.status_list {idx, uri}` of an SD-JWT VC). */
  async function checkTokenEntry(
    entry: JsonObject,
    path: string,
    context: StatusContext,
    armBudget: () => void,
  ): Promise<Problem | Excused | null> {
    const reference = entry.status_list;
    if (!isJsonObject(reference))
      return malformed('status-entry', 'status_list is not an object', `${path}/status_list`);
    const { idx, uri } = reference;
    if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) {
      return malformed(
        'status-entry',
        'status_list.idx is not a non-negative integer',
        `${path}/status_list/idx`,
      );
    }
    if (typeof uri !== 'string' || uri.length > 2048) {
      return malformed('status-entry', 'status_list.uri is not a URI', `${path}/status_list/uri`);
    }
    const loaded = await tokenListFor(uri, context, armBudget);
    if (!loaded.ok) return failOpenable({ ...loaded.problem, path }, loaded.retrieval);
    const { list } = loaded;
    if (list.issuer !== context.issuer) {
      return unavailable(
        `status list token ${short(uri)} is signed by ${short(list.issuer)}, not the credential's issuer`,
        path,
      );
    }
    const window = checkTimeWindow(list.window, context.now, context.clockSkewSeconds ?? 60);
    if (!window.ok) {
      const state = window.reason === 'expired' ? 'expired' : 'is not valid yet';
      return unavailable(`status list token ${short(uri)} ${state}`, path);
    }
    if (idx >= tokenStatusEntries(list.bytes, list.bits)) {
      return malformed(
        'status-entry',
        `status_list.idx ${idx} is outside the list`,
        `${path}/status_list/idx`,
      );
    }
    const value = getTokenStatus(list.bytes, list.bits, idx);
    if (value === TOKEN_STATUS.VALID) return null;
    if (value === TOKEN_STATUS.INVALID)
      return problem('ERR_REVOKED', 'the issuer revoked this credential', path);
    if (value === TOKEN_STATUS.SUSPENDED)
      return problem('ERR_SUSPENDED', 'the issuer suspended this credential', path);
    // 0x03 is application-specific, the rest reserved: an unknown status is not "valid".
    return unavailable(
      `status list token ${short(uri)} gives status ${value}, which skillpass does not know`,
      path,
    );
  }

  /**
   * A Bitstring (or StatusList2021) entry read: the list to look in, or the entry's outcome when
   * it needs no list (malformed, a purpose without effect, an unsupported type). A Token Status
   * List entry is `token`: its own path reads it.
   */
  function readEntry(entry: unknown, path: string): Problem | Excused | string | BitstringEntry | 'token' {
    if (!isJsonObject(entry))
      return malformed('status-entry', 'a credentialStatus entry is not an object', path);
    if (entry.type === TOKEN_STATUS_LIST_ENTRY) return 'token';
    // StatusList2021Entry (VC 1.1, older Open Badges) has the same fields as its successor
    if (entry.type !== 'BitstringStatusListEntry' && entry.type !== 'StatusList2021Entry') {
      return failOpenable(unavailable(`unsupported status type ${JSON.stringify(entry.type)}`, path), true);
    }
    const purpose = entry.statusPurpose;
    if (purpose !== 'revocation' && purpose !== 'suspension') {
      return typeof purpose === 'string'
        ? `status purpose ${purpose} has no effect on validity`
        : malformed('status-entry', 'statusPurpose is missing', `${path}/statusPurpose`);
    }
    const rawIndex = entry.statusListIndex;
    // v1.0 says a base-10 string; OB 3.0 examples use a number, which is unambiguous too.
    const index =
      typeof rawIndex === 'string' && INDEX_RE.test(rawIndex)
        ? Number(rawIndex)
        : typeof rawIndex === 'number' && Number.isSafeInteger(rawIndex) && rawIndex >= 0
          ? rawIndex
          : undefined;
    if (index === undefined) {
      return malformed('status-entry', 'statusListIndex is not a base-10 integer', `${path}/statusListIndex`);
    }
    if (entry.statusSize !== undefined && entry.statusSize !== 1) {
      return malformed('status-entry', 'only statusSize 1 is supported', `${path}/statusSize`);
    }
    const url = entry.statusListCredential;
    if (typeof url !== 'string' || url.length > 2048) {
      return malformed('status-entry', 'statusListCredential is not a URL', `${path}/statusListCredential`);
    }
    return { kind: 'bitstring', url, index, purpose };
  }

  /** The outcome of a read Bitstring entry in its (verified, cached) list. */
  function judgeEntry(
    read: BitstringEntry,
    list: LoadedList,
    path: string,
    context: StatusContext,
  ): Problem | null {
    const { url, index, purpose } = read;
    if (list.issuer !== context.issuer) {
      return unavailable(
        `status list ${short(url)} is signed by ${short(list.issuer)}, not the credential's issuer`,
        path,
      );
    }
    const window = checkTimeWindow(list.window, context.now, context.clockSkewSeconds ?? 60);
    if (!window.ok) {
      const state = window.reason === 'expired' ? 'expired' : 'is not valid yet';
      return unavailable(`status list ${short(url)} ${state}`, path);
    }
    if (!list.purposes.includes(purpose)) {
      return unavailable(`status list ${short(url)} is not a ${purpose} list`, path);
    }
    if (index >= list.bits.length * 8) {
      return malformed(
        'status-entry',
        `statusListIndex ${index} is outside the list`,
        `${path}/statusListIndex`,
      );
    }
    if (!getStatusBit(list.bits, index)) return null;
    return purpose === 'revocation'
      ? problem('ERR_REVOKED', 'the issuer revoked this credential', path)
      : problem('ERR_SUSPENDED', 'the issuer suspended this credential', path);
  }

  async function checkEntry(
    entry: unknown,
    path: string,
    context: StatusContext,
    armBudget: () => void,
  ): Promise<EntryOutcome> {
    const read = readEntry(entry, path);
    if (read === 'token') return checkTokenEntry(entry as JsonObject, path, context, armBudget);
    if (!isBitstringEntry(read)) return read;
    const loaded = await listFor(read.url, context, armBudget);
    if (!loaded.ok) return failOpenable({ ...loaded.problem, path }, loaded.retrieval);
    return judgeEntry(read, loaded.list, path, context);
  }

  /**
   * Every entry's outcome when memory can give it (each list needed is cached and fresh), else
   * undefined: the same answers as {@link checkEntry}, without its budget, timer and promises.
   */
  function checkFromMemory(
    entries: readonly unknown[],
    paths: readonly string[],
    context: StatusContext,
  ): EntryOutcome[] | undefined {
    const outcomes: EntryOutcome[] = [];
    for (let i = 0; i < entries.length; i++) {
      const path = paths[i]!;
      const read = readEntry(entries[i], path);
      if (read === 'token') return undefined;
      if (!isBitstringEntry(read)) {
        outcomes.push(read);
        continue;
      }
      const list = cache.peek(read.url);
      if (list === undefined) return undefined;
      outcomes.push(judgeEntry(read, list, path, context));
    }
    return outcomes;
  }

  /**
   * Every entry at once, within one budget: four lists on a host that never answers cost one
   * timeout, not four. A lookup cut off here still finishes (under the door's own timeouts) and
   * its outcome, success or failure, is cached for the next credential. The timer is armed by
   * the first lookup that is not answered from memory (a list not cached, still loading, or
   * failed): a credential whose lists are all cached sets none.
   */
  async function lookUp(
    entries: readonly unknown[],
    paths: readonly string[],
    context: StatusContext,
  ): Promise<EntryOutcome[]> {
    let timer: NodeJS.Timeout | undefined;
    let overBudget: (value: 'over budget') => void = () => {};
    const budget = new Promise<'over budget'>((resolve) => {
      overBudget = resolve;
    });
    const armBudget = (): void => {
      timer ??= setTimeout(() => overBudget('over budget'), timeoutMs);
    };
    return Promise.all(
      entries.map((entry, i) => {
        const path = paths[i]!;
        return Promise.race([checkEntry(entry, path, context, armBudget), budget]).then((outcome) =>
          outcome === 'over budget'
            ? failOpenable(unavailable(`status lookup over the ${timeoutMs} ms budget`, path), true)
            : outcome,
        );
      }),
    ).finally(() => clearTimeout(timer));
  }

  function failOpenable(p: Problem, retrieval: boolean): Problem | Excused {
    return failOpen && retrieval ? { excused: p } : p;
  }

  return {
    async check(context: StatusContext): Promise<CheckOutcome> {
      try {
        const raw = context.credential.credentialStatus;
        if (raw === undefined)
          return { problems: [], skipped: true, message: 'the credential carries no credentialStatus' };
        const entries: unknown[] = Array.isArray(raw) ? raw : [raw];
        if (entries.length === 0)
          return { problems: [], skipped: true, message: 'credentialStatus is empty' };
        if (entries.length > MAX_ENTRIES_PER_CREDENTIAL) {
          return {
            problems: [malformed('status-entry', 'too many credentialStatus entries', '/credentialStatus')],
          };
        }
        const problems: Problem[] = [];
        const notes: string[] = [];
        const failedOpen: Problem[] = [];
        const paths = entries.map((_, i) =>
          Array.isArray(raw) ? `/credentialStatus/${i}` : '/credentialStatus',
        );
        const outcomes = checkFromMemory(entries, paths, context) ?? (await lookUp(entries, paths, context));
        for (const outcome of outcomes) {
          if (typeof outcome === 'string') notes.push(outcome);
          else if (outcome !== null && 'excused' in outcome) {
            failedOpen.push(outcome.excused);
            notes.push(`status not checked (fail-open): ${outcome.excused.message}`);
          } else if (outcome !== null) problems.push(outcome);
        }
        return {
          problems,
          ...(notes.length > 0 ? { message: notes.join('; ') } : {}),
          ...(failedOpen.length > 0 ? { failedOpen } : {}),
        };
      } catch (err) {
        return { problems: [unavailable(`status check failed: ${(err as Error)?.name ?? 'error'}`)] };
      }
    },
  };
}

function dateOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function unavailable(message: string, path?: string): Problem {
  return problem('ERR_STATUS_UNAVAILABLE', message, path);
}

function malformedProblem(message: string): Problem {
  return malformed('status-list', message);
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
