import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { CallbackContext, Jwk } from '@openid4vc/oauth2';
import type {
  Openid4vpAuthorizationRequest,
  resolveOpenid4vpAuthorizationRequest,
} from '@openid4vc/openid4vp';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import {
  createDidResolver,
  type DidResolver,
  type FetchLike,
  type JsonObject,
  parseCompactJws,
  publicJwkOf,
  type SigningKey,
  SkillpassError,
  signCompactJws,
  VC_V1_CONTEXT,
  VC_V2_CONTEXT,
  verifyJwsSignature,
} from '@skillpass/core';
import {
  type DcqlCredentialInput,
  isJsonObject,
  jwtVcDcqlInput,
  ldpVcDcqlInput,
  sdJwtDcqlInput,
  sha256Hasher,
} from '@skillpass/core/internal';
import type { OutboundFetch as DoorFetch } from '@skillpass/net';
import type { DcqlQuery } from 'dcql';
import { presentSdJwtCredential, selectDisclosures } from './present-sd-jwt.js';
import type { Wallet } from './wallet.js';

/** Largest request object (or any body read while resolving a request) accepted, in bytes. */
export const MAX_REQUEST_OBJECT_BYTES = 256 * 1024;

/** A fetch as the `@openid4vc` libraries call it (the outbound door's shape). */
export type OutboundFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The outbound door for OpenID4VP traffic: https only (loopback http when allowed), public
 * hosts, capped bodies. Loaded on first use, like the `@openid4vc` libraries, so importing
 * @skillpass/holder stays cheap for everything else.
 */
async function doorFetch(
  allowHttpLocalhost: boolean,
  kind: 'openid4vc' | 'did-document' = 'openid4vc',
): Promise<DoorFetch> {
  const { createOutboundFetch } = await import('@skillpass/net');
  return createOutboundFetch({
    kind,
    allowHttpLocalhost,
    ...(kind === 'openid4vc' ? { maxBytes: MAX_REQUEST_OBJECT_BYTES } : {}),
  });
}

/** The OpenID4VP, DCQL and JOSE libraries, loaded on first use. */
async function libraries() {
  const [vp, utils, dcql, jose] = await Promise.all([
    import('@openid4vc/openid4vp'),
    import('@openid4vc/utils'),
    import('dcql'),
    import('jose'),
  ]);
  return { vp, utils, DcqlQuery: dcql.DcqlQuery, jose };
}

/** Options of {@link resolvePresentationRequest}. */
export interface ResolvePresentationRequestOptions {
  /** The fetch for the request object (and a did:web verifier's DID document). Default: the outbound door of @skillpass/net. */
  fetch?: OutboundFetch;
  /**
   * Allow http:// on a loopback host for the request_uri and response_uri (tests and demos).
   * The `@openid4vc` libraries take this as a process-wide switch.
   */
  allowHttpLocalhost?: boolean;
  /** Resolves the verifier's DID (decentralized_identifier client ids). Default: did:key offline, did:web over the fetch. */
  resolver?: DidResolver;
  /** Trusted root or intermediate certificates (PEM) for `x509_san_dns` verifiers; without them an x509 verifier is shown as unconfirmed. */
  trustedCertificates?: readonly string[];
}

/** One thing the verifier asks for, in words, with the wallet credentials that could answer it. */
export interface RequestedCredential {
  /** The DCQL credential query id (the vp_token key). */
  queryId: string;
  format: string;
  /** The skill URIs the query names, when it names any. */
  skills: string[];
  /** Claim paths asked for, dotted (`evidence.*.assessedOn`). */
  claims: string[];
  /** Ids of wallet credentials that satisfy this query. */
  matches: string[];
}

/** A group of alternatives the verifier offers (a DCQL credential set). */
export interface RequestedSet {
  /** Why the verifier asks (the set's `purpose`). */
  purpose: string | null;
  required: boolean;
  /** Alternatives: each a list of query ids that together answer the set. */
  options: string[][];
}

/** A presentation request resolved and checked: who asks, for what. */
export interface ResolvedPresentationRequest {
  /** The verifier's full client_id, prefix included: the `aud` of what the wallet sends. */
  clientId: string;
  /** `decentralized_identifier` or `x509_san_dns`. */
  clientIdPrefix: string;
  /** The identifier without prefix (a DID, or a DNS name). */
  verifierId: string;
  /**
   * True when the request object's signature was checked against a key the client id itself
   * names (a DID's key; or a certificate chaining to `trustedCertificates`). Always checked
   * for the DID prefix; for x509 without trusted certificates the certificate's own signature
   * and name are checked, but not who issued it.
   */
  identityConfirmed: boolean;
  /** The name the verifier gives itself (unverified `client_metadata.client_name`). */
  verifierName: string | null;
  responseUri: string;
  responseMode: 'direct_post' | 'direct_post.jwt';
  credentials: RequestedCredential[];
  sets: RequestedSet[];
  /** The request payload, for {@link answerPresentationRequest}. */
  payload: Openid4vpAuthorizationRequest;
}

/**
 * Resolve an `openid4vp://` request: fetch the request object by reference, check that it is
 * signed by the key its client_id names (`decentralized_identifier:` DID key, or an
 * `x509_san_dns:` certificate whose DNS name is the client id and the response URI's host),
 * that it asks for a DCQL query with `direct_post`/`direct_post.jwt`, and describe it.
 * Unsigned requests are refused.
 *
 * @throws SkillpassError ERR_REQUEST_INVALID for a request that does not resolve or check.
 * @example
 * ```ts
 * const request = await resolvePresentationRequest(uri, { fetch: door }, wallet);
 * console.log(request.verifierId, describePresentationRequest(request));
 * ```
 */
export async function resolvePresentationRequest(
  uri: string,
  wallet: Wallet,
  options: ResolvePresentationRequestOptions = {},
): Promise<ResolvedPresentationRequest> {
  if (typeof uri !== 'string' || uri.length > 8192) {
    throw new SkillpassError('ERR_REQUEST_INVALID', 'the request URI is not a string of at most 8 KiB');
  }
  const { vp, utils, DcqlQuery } = await libraries();
  const allowHttpLocalhost = options.allowHttpLocalhost === true;
  if (allowHttpLocalhost) utils.setGlobalConfig({ allowInsecureUrls: true });
  const fetchFn = cappedFetch(options.fetch ?? (await doorFetch(allowHttpLocalhost)));
  const resolver =
    options.resolver ??
    createDidResolver({
      fetch: (await doorFetch(allowHttpLocalhost, 'did-document')) as unknown as FetchLike,
      ...(allowHttpLocalhost ? { allowHttpLocalhost: true } : {}),
    });
  let resolved: Awaited<ReturnType<typeof resolveOpenid4vpAuthorizationRequest>>;
  try {
    const parsed = vp.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri });
    if (parsed.type !== 'jar') throw new Error('the request is not signed (no request object)');
    resolved = await vp.resolveOpenid4vpAuthorizationRequest({
      authorizationRequestPayload: parsed.params,
      callbacks: walletCallbacks(resolver, fetchFn, options.trustedCertificates),
    });
  } catch (err) {
    throw requestInvalid(err);
  }
  const payload = resolved.authorizationRequestPayload as Openid4vpAuthorizationRequest;
  const prefix = resolved.client.prefix;
  if (prefix !== 'decentralized_identifier' && prefix !== 'x509_san_dns') {
    throw new SkillpassError(
      'ERR_REQUEST_INVALID',
      `client id prefix ${prefix} is not accepted (signed DID or x509 only)`,
    );
  }
  if (resolved.jar === undefined)
    throw new SkillpassError('ERR_REQUEST_INVALID', 'the request is not signed');
  if (resolved.dcql === undefined)
    throw new SkillpassError('ERR_REQUEST_INVALID', 'the request has no DCQL query');
  const mode = payload.response_mode;
  if ((mode !== 'direct_post' && mode !== 'direct_post.jwt') || payload.response_uri === undefined) {
    throw new SkillpassError(
      'ERR_REQUEST_INVALID',
      'the request wants a response mode other than direct_post(.jwt)',
    );
  }
  let query: DcqlQuery;
  try {
    query = DcqlQuery.parse(resolved.dcql.query as DcqlQuery.Input);
    DcqlQuery.validate(query);
  } catch (err) {
    throw requestInvalid(err);
  }
  const identityConfirmed =
    prefix === 'decentralized_identifier' ||
    (resolved.client.prefix === 'x509_san_dns' &&
      chainsToTrusted(resolved.client.x5c, options.trustedCertificates ?? []));
  const credentials = await matchWallet(DcqlQuery, query, wallet);
  const metadata = payload.client_metadata;
  return {
    clientId: resolved.client.effective,
    clientIdPrefix: prefix,
    verifierId: resolved.client.identifier,
    identityConfirmed,
    verifierName: typeof metadata?.client_name === 'string' ? metadata.client_name.slice(0, 200) : null,
    responseUri: payload.response_uri,
    responseMode: mode,
    credentials,
    sets: (query.credential_sets ?? [{ options: [query.credentials.map((c) => c.id)], required: true }]).map(
      (set) => ({
        purpose: typeof set.purpose === 'string' ? set.purpose.slice(0, 300) : null,
        required: set.required !== false,
        options: set.options.map((o) => [...o]),
      }),
    ),
    payload,
  };
}

/** Options of {@link answerPresentationRequest}. */
export interface AnswerPresentationRequestOptions {
  /** Extra SD-JWT claims to reveal, per credential id (beyond what the verifier asked for). */
  disclose?: Readonly<Record<string, readonly string[]>>;
  /** Only these wallet credentials may be presented. Default: any that matches. */
  only?: readonly string[];
  /** The fetch for posting the response. Default: the outbound door of @skillpass/net. */
  fetch?: OutboundFetch;
  /** Allow posting over http to a loopback response_uri (tests and demos). */
  allowHttpLocalhost?: boolean;
  /** Signing time; default now. */
  now?: Date;
}

/** What the verifier said. */
export interface PresentationOutcome {
  /** True when the verifier accepted the response (HTTP 200). */
  accepted: boolean;
  /** HTTP status of the response endpoint. */
  status: number;
  /** The verifier's error and skillpass code, when refused. */
  error: { error: string; description: string | null; code: string | null } | null;
  /** The wallet credentials presented, by query id. */
  presented: Record<string, string>;
}

/** What a credential of a prepared answer shows the verifier. */
export interface ShownCredential {
  /** The DCQL credential query it answers. */
  queryId: string;
  /** The wallet credential. */
  credentialId: string;
  format: string;
  /**
   * The claims the verifier will be able to read, decoded from exactly what is sent: for an
   * SD-JWT the issuer-signed claims plus the disclosures chosen (key-binding aside); for a W3C
   * credential the whole credential (`null` when it is not a JWT).
   */
  claims: JsonObject | null;
  /** For an SD-JWT: the disclosable claim paths revealed. Empty for a W3C credential (always whole). */
  disclosed: string[];
  /** For an SD-JWT: the disclosable claim paths kept back. */
  withheld: string[];
}

/** An answer built and signed but not sent: see {@link preparePresentationAnswer}. */
export interface PreparedPresentationAnswer {
  /** The vp_token, keyed by query id: strings (JWTs, SD-JWTs), objects for `ldp_vc` presentations. */
  vpToken: Record<string, (string | JsonObject)[]>;
  /** The wallet credentials presented, by query id. */
  presented: Record<string, string>;
  /** Per presented credential, what the verifier will see. */
  shown: ShownCredential[];
}

/**
 * Build and sign the answer to a resolved request without sending it, so the holder can see
 * exactly what the verifier will read: pick, per credential set, the first alternative the
 * wallet can satisfy; present `dc+sd-jwt` credentials as SD-JWT with a key-binding JWT (aud =
 * full client_id, the request's nonce) revealing what was asked plus what `disclose` adds;
 * present W3C credentials in a VP JWT signed by the holder (aud = full client_id, nonce).
 * Send it with {@link sendPresentationAnswer}.
 *
 * @throws SkillpassError ERR_QUERY_NOT_SATISFIED when a required set cannot be answered;
 *   ERR_INVALID_OPTIONS for `disclose` on a W3C credential.
 */
export async function preparePresentationAnswer(
  wallet: Wallet,
  request: ResolvedPresentationRequest,
  options: Pick<AnswerPresentationRequestOptions, 'disclose' | 'only' | 'now'> = {},
): Promise<PreparedPresentationAnswer> {
  const chosen = chooseCredentials(request, options.only);
  const signingKey = await wallet.signingKey();
  const now = options.now ?? new Date();
  const nonce = request.payload.nonce;
  const vpToken: Record<string, (string | JsonObject)[]> = {};
  const presented: Record<string, string> = {};
  const shown: ShownCredential[] = [];
  for (const [queryId, id] of Object.entries(chosen)) {
    const credential = wallet.get(id);
    const asked = request.credentials.find((c) => c.queryId === queryId)!;
    if (credential.format === 'dc+sd-jwt') {
      const sdjwt = new SDJwtVcInstance({ hasher: sha256Hasher });
      const available = await sdjwt.presentableKeys(credential.token);
      const askedPaths = asked.claims.flatMap((claim) => {
        const pattern = new RegExp(
          `^${claim
            .split('.')
            .map((s) => (s === '*' ? '\\d+' : escapeRegExp(s)))
            .join('\\.')}$`,
        );
        return available.filter((path) => pattern.test(path));
      });
      const extra = options.disclose?.[id] ?? [];
      const disclosed = [...new Set([...askedPaths, ...selectDisclosures(available, extra)])];
      const presentation = await presentSdJwtCredential(credential.token, {
        disclose: disclosed,
        audience: request.clientId,
        challenge: nonce,
        signingKey,
        now,
      });
      vpToken[queryId] = [presentation];
      const claims = await sdjwt.getClaims(presentation);
      const revealed = await sdjwt.presentableKeys(presentation).catch(() => disclosed);
      shown.push({
        queryId,
        credentialId: id,
        format: credential.format,
        claims: isJsonObject(claims) ? claims : null,
        disclosed: available.filter((p) => revealed.includes(p) || disclosed.includes(p)),
        withheld: available.filter((p) => !revealed.includes(p) && !disclosed.includes(p)),
      });
    } else {
      if ((options.disclose?.[id] ?? []).length > 0) {
        throw new SkillpassError(
          'ERR_INVALID_OPTIONS',
          `${id} is a ${credential.format} credential: it is always shown whole`,
        );
      }
      if (credential.format === 'ldp_vc') {
        const embedded = JSON.parse(credential.token) as JsonObject;
        vpToken[queryId] = [
          await ldpPresentation(embedded, wallet.did, signingKey, request.clientId, nonce, now),
        ];
        shown.push({
          queryId,
          credentialId: id,
          format: credential.format,
          claims: embedded,
          disclosed: [],
          withheld: [],
        });
        presented[queryId] = id;
        continue;
      }
      const iat = Math.floor(now.getTime() / 1000);
      vpToken[queryId] = [
        await signCompactJws(
          { typ: 'JWT' },
          {
            iss: wallet.did,
            aud: request.clientId,
            nonce,
            iat,
            nbf: iat,
            exp: iat + 600,
            jti: `urn:uuid:${randomUUID()}`,
            vp: {
              '@context': [VC_V1_CONTEXT],
              type: ['VerifiablePresentation'],
              holder: wallet.did,
              verifiableCredential: [credential.token],
            },
          },
          signingKey,
        ),
      ];
      shown.push({
        queryId,
        credentialId: id,
        format: credential.format,
        claims: jwtPayloadOrNull(credential.token),
        disclosed: [],
        withheld: [],
      });
    }
    presented[queryId] = id;
  }
  return { vpToken, presented, shown };
}

/**
 * An `ldp_vc` presentation (OpenID4VP 1.0 Appendix B.1.3.2): a Verifiable Presentation holding
 * the credential as stored (with its issuer's proof), secured with a Data Integrity proof by the
 * holder's key: `proofPurpose` authentication, `challenge` the request's nonce, `domain` the full
 * client_id. Its base context follows the credential's: VC 2.0, or for a VC 1.1 credential VC 1.1
 * with the Data Integrity v2 context (which defines the proof's terms there, as Digital Bazaar's
 * signer adds it).
 * @skillpass/data-integrity (the JSON-LD libraries) is loaded here, on first use.
 */
async function ldpPresentation(
  credential: JsonObject,
  holder: string,
  signingKey: SigningKey,
  clientId: string,
  nonce: string,
  now: Date,
): Promise<JsonObject> {
  const { signDataIntegrity } = await import('@skillpass/data-integrity');
  const context = credential['@context'];
  const v11 = Array.isArray(context) && context[0] === VC_V1_CONTEXT;
  const signed = await signDataIntegrity(
    {
      '@context': v11 ? [VC_V1_CONTEXT, DATA_INTEGRITY_V2_CONTEXT] : [VC_V2_CONTEXT],
      type: ['VerifiablePresentation'],
      holder,
      verifiableCredential: [credential],
    },
    {
      signer: signingKey.sign,
      verificationMethod: signingKey.keyId,
      cryptosuite: signingKey.alg === 'ES256' ? 'ecdsa-rdfc-2019' : 'eddsa-rdfc-2022',
      proofPurpose: 'authentication',
      challenge: nonce,
      domain: clientId,
      created: now,
    },
  );
  return signed as unknown as JsonObject;
}

/** The Data Integrity v2 context: the proof terms of a VC 1.1 presentation. */
const DATA_INTEGRITY_V2_CONTEXT = 'https://w3id.org/security/data-integrity/v2';

/** The payload of a compact JWS the wallet already verified and stored, or null for another shape. */
function jwtPayloadOrNull(token: string): JsonObject | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return isJsonObject(payload) ? payload : null;
  } catch {
    return null;
  }
}

/**
 * Send a prepared answer to the request's response URI (encrypted for `direct_post.jwt`) and
 * report what the verifier said.
 *
 * @throws SkillpassError ERR_RESPONSE_REFUSED when the response endpoint cannot be reached.
 */
export async function sendPresentationAnswer(
  request: ResolvedPresentationRequest,
  prepared: PreparedPresentationAnswer,
  options: Pick<AnswerPresentationRequestOptions, 'fetch' | 'allowHttpLocalhost'> = {},
): Promise<PresentationOutcome> {
  const { vp, jose } = await libraries();
  const fetchFn = cappedFetch(options.fetch ?? (await doorFetch(options.allowHttpLocalhost === true)));
  const callbacks = { ...responseCallbacks(jose), fetch: fetchFn as never };
  let response: Response;
  try {
    const created = await vp.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request.payload,
      authorizationResponsePayload: { vp_token: prepared.vpToken },
      ...(request.responseMode === 'direct_post.jwt'
        ? {
            jarm: {
              encryption: { nonce: randomUUID() },
              serverMetadata: {
                authorization_signing_alg_values_supported: ['ES256', 'EdDSA'],
                authorization_encryption_alg_values_supported: ['ECDH-ES'],
                authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM'],
              },
            },
          }
        : {}),
      callbacks,
    });
    const submitted = await vp.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request.payload,
      authorizationResponsePayload: created.authorizationResponsePayload,
      ...(created.jarm !== undefined ? { jarm: { responseJwt: created.jarm.responseJwt } } : {}),
      callbacks,
    });
    response = submitted.response;
  } catch (err) {
    throw new SkillpassError('ERR_RESPONSE_REFUSED', `the response could not be sent: ${messageOf(err)}`, {
      cause: err,
    });
  }
  return outcomeOf(response, prepared.presented);
}

/**
 * Answer a resolved request: {@link preparePresentationAnswer} then
 * {@link sendPresentationAnswer}.
 *
 * @throws SkillpassError ERR_QUERY_NOT_SATISFIED when a required set cannot be answered;
 *   ERR_RESPONSE_REFUSED when the response endpoint cannot be reached.
 */
export async function answerPresentationRequest(
  wallet: Wallet,
  request: ResolvedPresentationRequest,
  options: AnswerPresentationRequestOptions = {},
): Promise<PresentationOutcome> {
  const prepared = await preparePresentationAnswer(wallet, request, options);
  return sendPresentationAnswer(request, prepared, options);
}

/**
 * Decline a request: tell the verifier `access_denied` (OpenID4VP 1.0 §8.5), so it stops waiting.
 */
export async function declinePresentationRequest(
  request: ResolvedPresentationRequest,
  options: { fetch?: OutboundFetch; allowHttpLocalhost?: boolean } = {},
): Promise<PresentationOutcome> {
  const fetchFn = cappedFetch(options.fetch ?? (await doorFetch(options.allowHttpLocalhost === true)));
  const body = new URLSearchParams({ error: 'access_denied', error_description: 'the holder declined' });
  if (request.payload.state !== undefined) body.set('state', request.payload.state);
  let response: Response;
  try {
    response = await fetchFn(request.responseUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  } catch (err) {
    throw new SkillpassError('ERR_RESPONSE_REFUSED', `the verifier could not be reached: ${messageOf(err)}`, {
      cause: err,
    });
  }
  return outcomeOf(response, {});
}

/** The request in words, one line each: who asks, and for what. */
export function describePresentationRequest(request: ResolvedPresentationRequest): string[] {
  const lines = [
    `${request.verifierName ?? '(no name given)'} — ${request.verifierId} (${request.clientIdPrefix}${request.identityConfirmed ? ', signature checked' : ', certificate issuer not confirmed'})`,
    `answers go to ${request.responseUri}${request.responseMode === 'direct_post.jwt' ? ' (encrypted)' : ''}`,
  ];
  for (const set of request.sets) {
    const alternatives = set.options
      .map((option) =>
        option
          .map((id) => {
            const c = request.credentials.find((x) => x.queryId === id);
            if (c === undefined) return id;
            const what = c.skills.length > 0 ? `skill ${c.skills.join(' or ')}` : 'a credential';
            const extra = c.claims.filter((p) => !p.startsWith('skill.') && !p.includes('alignment'));
            return `${what} as ${c.format}${extra.length > 0 ? ` with ${extra.join(', ')}` : ''}${c.matches.length > 0 ? ` [you have ${c.matches.length}]` : ' [you have none]'}`;
          })
          .join(' and '),
      )
      .join(' — or — ');
    lines.push(
      `${set.required ? 'required' : 'optional'}: ${set.purpose ?? ''}${set.purpose ? ': ' : ''}${alternatives}`,
    );
  }
  return lines;
}

/** Per credential set, the first alternative the wallet can answer; required sets must be answered. */
function chooseCredentials(
  request: ResolvedPresentationRequest,
  only?: readonly string[],
): Record<string, string> {
  const allowed = only === undefined ? undefined : new Set(only);
  const matchesOf = (queryId: string) =>
    (request.credentials.find((c) => c.queryId === queryId)?.matches ?? []).filter(
      (id) => allowed === undefined || allowed.has(id),
    );
  const chosen: Record<string, string> = {};
  const used = new Set<string>();
  for (const set of request.sets) {
    const option = set.options.find((ids) => ids.every((id) => matchesOf(id).some((m) => !used.has(m))));
    if (option === undefined) {
      if (set.required) {
        throw new SkillpassError(
          'ERR_QUERY_NOT_SATISFIED',
          `the wallet cannot answer a required part of the request: ${set.purpose ?? set.options.join(' | ')}`,
        );
      }
      continue;
    }
    for (const id of option) {
      const pick = matchesOf(id).find((m) => !used.has(m))!;
      chosen[id] = pick;
      used.add(pick);
    }
  }
  if (Object.keys(chosen).length === 0) {
    throw new SkillpassError('ERR_QUERY_NOT_SATISFIED', 'the wallet holds nothing this request asks for');
  }
  return chosen;
}

/** Which wallet credentials answer which query (by `dcql`, on each credential's full claims). */
async function matchWallet(
  DcqlQuery: typeof import('dcql').DcqlQuery,
  query: DcqlQuery,
  wallet: Wallet,
): Promise<RequestedCredential[]> {
  const entries = wallet.list();
  const candidates: { id: string; credential: DcqlCredentialInput }[] = [];
  for (const entry of entries) {
    const view = await dcqlCredentialOf(wallet.get(entry.id).token, entry.format);
    if (view !== null) candidates.push({ id: entry.id, credential: view });
  }
  return query.credentials.map((cq) => {
    const matches: string[] = [];
    for (const candidate of candidates) {
      try {
        const result = DcqlQuery.query(
          { ...query, credentials: [cq], credential_sets: undefined } as DcqlQuery,
          [candidate.credential as never],
        );
        if (result.credential_matches[cq.id]?.success) matches.push(candidate.id);
      } catch {
        // A credential dcql cannot read answers nothing.
      }
    }
    const claims = (cq.claims ?? []).map((c) =>
      'path' in c ? c.path.map((s) => (s === null ? '*' : String(s))).join('.') : String(c),
    );
    const skills = (cq.claims ?? []).flatMap((c) =>
      'values' in c &&
      Array.isArray(c.values) &&
      ('path' in c ? c.path.some((s) => s === 'uri' || s === 'targetUrl') : false)
        ? c.values.map(String)
        : [],
    );
    return { queryId: cq.id, format: cq.format, skills, claims, matches };
  });
}

async function dcqlCredentialOf(token: string, format: string): Promise<DcqlCredentialInput | null> {
  try {
    if (format === 'dc+sd-jwt') {
      return sdJwtDcqlInput(await new SDJwtVcInstance({ hasher: sha256Hasher }).getClaims(token));
    }
    if (format === 'ldp_vc') return ldpVcDcqlInput(JSON.parse(token));
    return jwtVcDcqlInput(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}

/** Crypto callbacks for resolving a request: verify the request object against the client id's key. */
function walletCallbacks(
  resolver: DidResolver,
  fetchFn: OutboundFetch,
  trusted: readonly string[] | undefined,
): Pick<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'getX509CertificateMetadata' | 'fetch' | 'hash'> {
  return {
    fetch: fetchFn as never,
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    decryptJwe: () => ({ decrypted: false }),
    getX509CertificateMetadata: (certificate) => {
      const cert = new X509Certificate(Buffer.from(certificate, 'base64'));
      const names = (cert.subjectAltName ?? '').split(/,\s*/);
      return {
        sanDnsNames: names.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)),
        sanUriNames: names.filter((n) => n.startsWith('URI:')).map((n) => n.slice(4)),
      };
    },
    verifyJwt: async (signer, { compact }) => {
      const parsed = parseCompactJws(compact, {
        maxBytes: MAX_REQUEST_OBJECT_BYTES,
        typ: ['oauth-authz-req+jwt'],
      });
      if (!parsed.ok) return { verified: false };
      if (signer.method === 'did') {
        const did = signer.didUrl.split('#')[0]!;
        for (const purpose of ['authentication', 'assertionMethod'] as const) {
          const key = await resolver.resolveKey(signer.didUrl, did, purpose);
          if (key.ok && verifyJwsSignature(parsed.jws, key.key, key.type)) {
            return { verified: true, signerJwk: publicJwkOf(key.key) as Jwk };
          }
        }
        return { verified: false };
      }
      if (signer.method === 'x5c') {
        try {
          const cert = new X509Certificate(Buffer.from(signer.x5c[0]!, 'base64'));
          const now = Date.now();
          if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) < now) return { verified: false };
          if (trusted !== undefined && trusted.length > 0 && !chainsToTrusted(signer.x5c, trusted)) {
            return { verified: false };
          }
          if (!verifyJwsSignature(parsed.jws, cert.publicKey)) return { verified: false };
          return { verified: true, signerJwk: publicJwkOf(cert.publicKey) as Jwk };
        } catch {
          return { verified: false };
        }
      }
      return { verified: false };
    },
  };
}

function responseCallbacks(jose: typeof import('jose')): Pick<CallbackContext, 'signJwt' | 'encryptJwe'> {
  return {
    signJwt: () => {
      throw new SkillpassError('ERR_UNSUPPORTED', 'signed responses are not used');
    },
    encryptJwe: async (encryptor, data) => {
      if (encryptor.method !== 'jwk') throw new SkillpassError('ERR_UNSUPPORTED', 'only JWK encryption keys');
      const key = await jose.importJWK(encryptor.publicJwk as never, encryptor.alg);
      const jwe = new jose.CompactEncrypt(new TextEncoder().encode(data)).setProtectedHeader({
        alg: encryptor.alg,
        enc: encryptor.enc,
        ...(typeof encryptor.publicJwk.kid === 'string' ? { kid: encryptor.publicJwk.kid } : {}),
      });
      if (encryptor.apu !== undefined || encryptor.apv !== undefined) {
        jwe.setKeyManagementParameters({
          ...(encryptor.apu !== undefined ? { apu: Buffer.from(encryptor.apu, 'base64url') } : {}),
          ...(encryptor.apv !== undefined ? { apv: Buffer.from(encryptor.apv, 'base64url') } : {}),
        });
      }
      return { jwe: await jwe.encrypt(key), encryptionJwk: encryptor.publicJwk };
    },
  };
}

/** True when the leaf of `x5c` is issued by one of `trusted` (PEM), directly or through the chain given. */
function chainsToTrusted(x5c: readonly string[], trusted: readonly string[]): boolean {
  if (trusted.length === 0) return false;
  try {
    const chain = x5c.map((c) => new X509Certificate(Buffer.from(c, 'base64')));
    const anchors = trusted.map((pem) => new X509Certificate(pem));
    for (let i = 0; i < chain.length; i++) {
      const cert = chain[i]!;
      if (anchors.some((a) => cert.checkIssued(a) && cert.verify(a.publicKey))) return true;
      const next = chain[i + 1];
      if (next === undefined || !cert.checkIssued(next) || !cert.verify(next.publicKey)) return false;
    }
  } catch {
    return false;
  }
  return false;
}

/** A fetch that never reads more than {@link MAX_REQUEST_OBJECT_BYTES} of a body. */
function cappedFetch(fetchFn: OutboundFetch): OutboundFetch {
  return async (input, init) => {
    const response = await fetchFn(input, init);
    const reader = response.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (reader !== undefined) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > MAX_REQUEST_OBJECT_BYTES) {
          await reader.cancel();
          throw new SkillpassError(
            'ERR_INPUT_TOO_LARGE',
            `a response is larger than ${MAX_REQUEST_OBJECT_BYTES} bytes`,
          );
        }
        chunks.push(value);
      }
    }
    return new Response(response.status === 204 || response.status === 304 ? null : Buffer.concat(chunks), {
      status: response.status,
      headers: response.headers,
    });
  };
}

async function outcomeOf(
  response: Response,
  presented: Record<string, string>,
): Promise<PresentationOutcome> {
  if (response.ok) return { accepted: true, status: response.status, error: null, presented };
  let body: unknown = null;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = null;
  }
  const fields = isJsonObject(body) ? body : {};
  return {
    accepted: false,
    status: response.status,
    error: {
      error: typeof fields.error === 'string' ? fields.error.slice(0, 100) : 'invalid_response',
      description:
        typeof fields.error_description === 'string' ? fields.error_description.slice(0, 300) : null,
      code: typeof fields.skillpass_code === 'string' ? fields.skillpass_code.slice(0, 64) : null,
    },
    presented,
  };
}

function requestInvalid(err: unknown): SkillpassError {
  if (err instanceof SkillpassError && err.code === 'ERR_INPUT_TOO_LARGE') return err;
  return new SkillpassError('ERR_REQUEST_INVALID', `the request does not check: ${messageOf(err)}`, {
    cause: err,
  });
}

function messageOf(err: unknown): string {
  const response = (err as { errorResponse?: unknown } | null)?.errorResponse;
  if (isJsonObject(response)) {
    return `${String(response.error)}: ${String(response.error_description ?? '')}`.slice(0, 300);
  }
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
