import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createOpenid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
import { publicJwkOf, SkillpassError, signCompactJwsJson } from '@skillpass/core';
import { encodeBase64urlString } from '@skillpass/core/internal';
import type { Vacancy } from '@skillpass/match';
import { type CreateDcqlQueryOptions, createDcqlQuery } from './create-dcql-query.js';
import { allowLoopbackUrls } from './internal/insecure-urls.js';
import type { VerifierStore } from './verifier-store.js';

/** Response modes of OpenID4VP 1.0 §8 this verifier offers. */
export type ResponseMode = 'direct_post' | 'direct_post.jwt';

/** Paths of the verifier service, relative to its public URL. */
export const SERVICE_PATHS = {
  requestObject: '/oid4vp/request/',
  response: '/oid4vp/response',
  result: '/oid4vp/result/',
} as const;

/** Options of {@link createPresentationRequest}. */
export interface CreatePresentationRequestOptions extends CreateDcqlQueryOptions {
  /** The vacancy the worker is asked about; it becomes the DCQL query and, later, the match. */
  vacancy: Vacancy;
  /** The service's public base URL. Default: the one `verifier serve` last recorded in the store. */
  publicUrl?: string;
  /** `direct_post.jwt` (default: the response is encrypted to a fresh P-256 key of this request) or `direct_post`. */
  responseMode?: ResponseMode;
  /** How long the request (and its nonce) may be answered, in seconds. Default 600. */
  expiresInSeconds?: number;
  /** Allow an `http://` public URL on a loopback host (tests and demos; process-wide in the `@openid4vc` libraries). */
  allowHttpLocalhost?: boolean;
  /** Creation time; default now. */
  now?: Date;
}

/** A created presentation request. */
export interface PresentationRequest {
  /** The id the employer looks the result up by. Not secret. */
  id: string;
  /** The `openid4vp://` URI the worker's wallet opens (request by reference). */
  uri: string;
  /** When the request stops being answerable. */
  expiresAt: string;
}

const MAX_LIFETIME_SECONDS = 24 * 3600;

/**
 * Create an OpenID4VP 1.0 presentation request for a vacancy: a signed request object
 * (`oauth-authz-req+jwt`, under the verifier's client id) holding a DCQL query, a fresh nonce
 * and state, and `response_uri`, stored in the verifier store until it is answered or expires.
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS without a public URL (none given, none recorded),
 *   or with an http URL that is not loopback with `allowHttpLocalhost`.
 * @example
 * ```ts
 * const store = openVerifierStore('employer');
 * const { id, uri } = await createPresentationRequest(store, { vacancy, publicUrl: 'https://jobs.example' });
 * ```
 */
export async function createPresentationRequest(
  store: VerifierStore,
  options: CreatePresentationRequestOptions,
): Promise<PresentationRequest> {
  const publicUrl = checkPublicUrl(options.publicUrl ?? store.identity.publicUrl, options.allowHttpLocalhost);
  const lifetime = options.expiresInSeconds ?? 600;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_LIFETIME_SECONDS) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `expiresInSeconds must be 1…${MAX_LIFETIME_SECONDS}`);
  }
  const responseMode = options.responseMode ?? 'direct_post.jwt';
  if (responseMode !== 'direct_post' && responseMode !== 'direct_post.jwt') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `unsupported response mode ${String(responseMode)}`);
  }
  const dcqlQuery = createDcqlQuery(options.vacancy, options);
  const { identity } = store;
  const now = options.now ?? new Date();
  const id = randomBytes(16).toString('base64url');
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  const requestUri = `${publicUrl}${SERVICE_PATHS.requestObject}${id}`;

  let encryptionKeyPem: string | null = null;
  const clientMetadata: Record<string, unknown> = {
    client_name: options.vacancy.employer ?? options.vacancy.title,
    vp_formats_supported: {
      'dc+sd-jwt': { 'sd-jwt_alg_values': ['EdDSA', 'ES256'], 'kb-jwt_alg_values': ['EdDSA', 'ES256'] },
      jwt_vc_json: { alg_values: ['EdDSA', 'ES256'] },
    },
  };
  if (responseMode === 'direct_post.jwt') {
    // One key per request: a leaked key opens one response, and the key names the request (kid).
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    encryptionKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    clientMetadata.jwks = {
      keys: [{ ...publicJwkOf(createPublicKey(privateKey)), kid: id, use: 'enc', alg: 'ECDH-ES' }],
    };
    clientMetadata.encrypted_response_enc_values_supported = ['A128GCM', 'A256GCM'];
  }
  if (options.allowHttpLocalhost) allowLoopbackUrls(publicUrl);
  const created = await createOpenid4vpAuthorizationRequest({
    authorizationRequestPayload: {
      response_type: 'vp_token',
      client_id: identity.clientId,
      response_mode: responseMode,
      response_uri: `${publicUrl}${SERVICE_PATHS.response}`,
      nonce,
      state,
      dcql_query: dcqlQuery as Record<string, unknown>,
      client_metadata: clientMetadata,
    },
    jar: {
      requestUri,
      expiresInSeconds: lifetime,
      jwtSigner:
        identity.x5c === null
          ? { method: 'did', didUrl: identity.keyId, alg: identity.signingKey.alg }
          : { method: 'x5c', x5c: identity.x5c, alg: identity.signingKey.alg },
      // The request object is for any wallet (OpenID4VP 1.0 §5.8, static discovery).
      additionalJwtPayload: { aud: 'https://self-issued.me/v2' },
    },
    callbacks: {
      signJwt: async (_signer, { header, payload }) => {
        const { kid, alg, ...rest } = header as Record<string, unknown>;
        const jwt =
          identity.x5c === null
            ? await signCompactJwsJson(rest, JSON.stringify(payload), identity.signingKey)
            : await signWithoutKid(rest, payload, store);
        return { jwt, signerJwk: identity.publicJwk as never };
      },
      encryptJwe: () => {
        throw new SkillpassError('ERR_UNSUPPORTED', 'encrypted request objects are not used');
      },
    },
    now,
  });
  const requestObject = created.jar?.authorizationRequestJwt;
  if (requestObject === undefined)
    throw new SkillpassError('ERR_UNSUPPORTED', 'no request object was signed');
  const expiresAt = now.getTime() + lifetime * 1000;
  // One transaction: the request and its documents exist together or not at all.
  store.db.transaction(() => {
    store.db
      .prepare(
        `INSERT INTO verifier_requests (id, state, nonce, client_id, response_mode, encryption_key_pem,
           created_at, expires_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
      )
      .run(id, state, nonce, identity.clientId, responseMode, encryptionKeyPem, now.getTime(), expiresAt);
    store.db
      .prepare(
        'INSERT INTO verifier_request_documents (id, request_object, dcql_query, vacancy) VALUES (?, ?, ?, ?)',
      )
      .run(id, requestObject, JSON.stringify(dcqlQuery), JSON.stringify(options.vacancy));
  })();
  return { id, uri: created.authorizationRequest, expiresAt: new Date(expiresAt).toISOString() };
}

/** A JWS for an x5c header: the key is named by the certificate, not by a kid. */
async function signWithoutKid(header: Record<string, unknown>, payload: unknown, store: VerifierStore) {
  const { signingKey } = store.identity;
  const full = { ...header, alg: signingKey.alg };
  const input = `${encodeBase64urlString(JSON.stringify(full))}.${encodeBase64urlString(JSON.stringify(payload))}`;
  const signature = await signingKey.sign(Buffer.from(input, 'latin1'));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

function checkPublicUrl(url: string | null | undefined, allowHttpLocalhost = false): string {
  if (url === null || url === undefined || url === '') {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      'no public URL: pass one, or start skillpass verifier serve --public-url <url> once',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `${url} is not a URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback && allowHttpLocalhost)) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      'the public URL must be https (http only on a loopback host with allowHttpLocalhost)',
    );
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'the public URL takes no query or fragment');
  }
  return parsed.href.replace(/\/+$/, '');
}
