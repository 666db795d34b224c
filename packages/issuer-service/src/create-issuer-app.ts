import { Oauth2ErrorCodes } from '@openid4vc/oauth2';
import { algorithmForKeyType, didWebToUrl, isSkillpassError } from '@skillpass/core';
import type { Issuer } from '@skillpass/issuer';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  authorizationServerMetadata,
  checkPublicUrl,
  credentialIssuerMetadata,
  ISSUE_FORMATS,
  offerFormatOf,
  PROOF_ALGORITHMS,
} from './configurations.js';
import { offerObject } from './create-offer.js';
import { verifyDpopProof, verifyProofJwt } from './internal/proofs.js';
import type { OfferStore, RedeemRefusal } from './offer-store.js';

/** Options of {@link createIssuerApp}. */
export interface IssuerAppOptions {
  /** The open issuer (keys, register, status lists). */
  issuer: Issuer;
  /** The protocol state, on its own connection to the same issuer file. */
  offers: OfferStore;
  /** The credential issuer identifier: the public origin wallets reach this service at. */
  publicUrl: string;
  /** The clock (tests). Default `() => new Date()`. */
  now?: () => Date;
}

/** Largest request body of the token and nonce endpoints, in bytes. */
export const MAX_FORM_BYTES = 8 * 1024;
/** Largest credential request body, in bytes (a proof JWT with a key attestation fits easily). */
export const MAX_CREDENTIAL_REQUEST_BYTES = 64 * 1024;

const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** OAuth error for each refusal of the token endpoint (OpenID4VCI 1.0 §6.3). */
const REDEEM_ERRORS: Record<RedeemRefusal, { error: string; description: string }> = {
  unknown_code: { error: Oauth2ErrorCodes.InvalidGrant, description: 'unknown pre-authorized code' },
  expired: { error: Oauth2ErrorCodes.InvalidGrant, description: 'the pre-authorized code has expired' },
  already_redeemed: {
    error: Oauth2ErrorCodes.InvalidGrant,
    description: 'the pre-authorized code was already used',
  },
  tx_code_wrong: { error: Oauth2ErrorCodes.InvalidGrant, description: 'wrong transaction code' },
  tx_code_missing: { error: Oauth2ErrorCodes.InvalidRequest, description: 'this offer needs a tx_code' },
  tx_code_unexpected: { error: Oauth2ErrorCodes.InvalidRequest, description: 'this offer has no tx_code' },
};

type OAuthStatus = 400 | 401 | 404 | 413 | 415 | 500;

function oauthError(c: Context, status: OAuthStatus, error: string, description: string, scheme?: string) {
  c.header('Cache-Control', 'no-store');
  if (status === 401) {
    c.header(
      'WWW-Authenticate',
      `${scheme ?? 'Bearer'} error="${error}", algs="${PROOF_ALGORITHMS.join(' ')}"`,
    );
  }
  return c.json({ error, error_description: description }, status);
}

/**
 * The issuer service as a Hono app: OpenID4VCI 1.0 (pre-authorized code flow with `tx_code`,
 * nonce endpoint, `jwt` proofs, DPoP when the wallet uses it), the did:web document and the
 * status lists. Mount it in a larger app (`app.route('/', createIssuerApp(…))`) or serve it
 * with {@link startIssuerService}. Every refusal is an OAuth error object with `Cache-Control:
 * no-store`; no request reaches the issuer's keys before the code, token, nonce and proof hold.
 *
 * @example
 * ```ts
 * const app = createIssuerApp({ issuer, offers: new OfferStore(openSqlite(path)), publicUrl });
 * serve({ fetch: app.fetch, port: 8443 });
 * ```
 * @throws SkillpassError ERR_INVALID_OPTIONS for a public URL that is not an https origin (http on loopback).
 */
export function createIssuerApp(options: IssuerAppOptions): Hono {
  const publicUrl = checkPublicUrl(options.publicUrl);
  const now = options.now ?? (() => new Date());
  const { issuer, offers } = options;
  const signingAlg = algorithmForKeyType(issuer.profile.keyType);
  const metadata = credentialIssuerMetadata({ publicUrl, name: issuer.profile.name, signingAlg });
  const asMetadata = authorizationServerMetadata(publicUrl);
  const app = new Hono();

  app.get('/.well-known/openid-credential-issuer', (c) => c.json(metadata));
  app.get('/.well-known/oauth-authorization-server', (c) => c.json(asMetadata));

  // The did:web document and the status lists, as `createStatusHandler` serves them.
  const didUrl = issuer.did.startsWith('did:web:')
    ? didWebToUrl(issuer.did, { allowHttpLocalhost: true })
    : undefined;
  if (didUrl !== undefined) {
    const body = JSON.stringify(issuer.didDocument(), null, 2);
    app.get(new URL(didUrl).pathname, (c) => {
      c.header('Access-Control-Allow-Origin', '*');
      return c.body(body, 200, { 'Content-Type': 'application/did+json' });
    });
  }
  const statusBase = issuer.profile.statusBaseUrl;
  if (statusBase !== undefined) {
    const prefix = new URL(statusBase).pathname.replace(/\/+$/, '');
    const maxAge = Math.floor(issuer.profile.statusTtlMs / 1000);
    // One way to serve a signed list, whichever mechanism signed it: ETag, cache lifetime, CORS.
    const serveList = (
      c: Context,
      list: { token: string; etag: string } | undefined,
      contentType: string,
    ): Response => {
      if (list === undefined) return c.text('not found', 404);
      c.header('ETag', list.etag);
      c.header('Cache-Control', `public, max-age=${maxAge}`);
      c.header('Access-Control-Allow-Origin', '*');
      const match = c.req.header('If-None-Match');
      if (match !== undefined && sameEtag(match, list.etag)) return c.body(null, 304);
      return c.body(list.token, 200, { 'Content-Type': contentType });
    };
    app.get(`${prefix}/:list{[1-9][0-9]{0,9}}`, async (c) =>
      serveList(c, await issuer.signedStatusList(Number(c.req.param('list'))), 'application/vc+jwt'),
    );
    // IETF Token Status Lists (draft-ietf-oauth-status-list) of the dc+sd-jwt credentials.
    app.get(`${prefix}/token/:list{[1-9][0-9]{0,9}}`, async (c) =>
      serveList(
        c,
        await issuer.signedTokenStatusList(Number(c.req.param('list'))),
        'application/statuslist+jwt',
      ),
    );
  }

  // Credential offers by reference: served while pending, any number of times.
  app.get('/offers/:id{[A-Za-z0-9_-]{1,64}}', (c) => {
    const offer = offers.pendingOffer(c.req.param('id'), now());
    c.header('Cache-Control', 'no-store');
    if (offer === undefined)
      return c.json({ error: 'not_found', error_description: 'no such pending offer' }, 404);
    return c.json(offerObject(offer));
  });

  const formLimit = bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (c) => oauthError(c, 413, Oauth2ErrorCodes.InvalidRequest, 'request body too large'),
  });

  app.post('/token', formLimit, async (c) => {
    if (!isMediaType(c.req.header('Content-Type'), 'application/x-www-form-urlencoded')) {
      return oauthError(c, 400, Oauth2ErrorCodes.InvalidRequest, 'send application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await c.req.text());
    const keys = [...form.keys()];
    if (new Set(keys).size !== keys.length) {
      return oauthError(c, 400, Oauth2ErrorCodes.InvalidRequest, 'a parameter appears more than once');
    }
    if (form.get('grant_type') !== PRE_AUTHORIZED_GRANT) {
      return oauthError(c, 400, Oauth2ErrorCodes.UnsupportedGrantType, 'only the pre-authorized code grant');
    }
    const code = form.get('pre-authorized_code');
    if (code === null || code === '') {
      return oauthError(c, 400, Oauth2ErrorCodes.InvalidRequest, 'pre-authorized_code is missing');
    }
    let dpopJkt: string | undefined;
    const dpopJwt = c.req.header('DPoP');
    if (dpopJwt !== undefined) {
      dpopJkt = verifyDpopProof(dpopJwt, { method: 'POST', url: `${publicUrl}/token`, now: now() });
      if (dpopJkt === undefined) {
        return oauthError(c, 400, Oauth2ErrorCodes.InvalidDpopProof, 'the DPoP proof does not hold');
      }
    }
    const txCode = form.get('tx_code') ?? undefined;
    const result = offers.redeemCode(code, txCode, { now: now(), ...(dpopJkt ? { dpopJkt } : {}) });
    if (!result.ok) {
      const { error, description } = REDEEM_ERRORS[result.reason];
      return oauthError(c, 400, error, description);
    }
    c.header('Cache-Control', 'no-store');
    return c.json({
      access_token: result.accessToken,
      token_type: dpopJkt === undefined ? 'Bearer' : 'DPoP',
      expires_in: result.expiresInSeconds,
    });
  });

  app.post('/nonce', formLimit, (c) => {
    const { nonce, expiresInSeconds } = offers.createNonce(now());
    c.header('Cache-Control', 'no-store');
    return c.json({ c_nonce: nonce, c_nonce_expires_in: expiresInSeconds });
  });

  app.post(
    '/credential',
    bodyLimit({
      maxSize: MAX_CREDENTIAL_REQUEST_BYTES,
      onError: (c) => oauthError(c, 413, Oauth2ErrorCodes.InvalidCredentialRequest, 'request body too large'),
    }),
    async (c) => {
      // 1. The access token (RFC 6750 / RFC 9449): opaque, single use, maybe DPoP-bound.
      const authorization = c.req.header('Authorization') ?? '';
      const match = /^(Bearer|DPoP) ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization);
      if (match === null) {
        return oauthError(c, 401, Oauth2ErrorCodes.InvalidToken, 'an access token is needed');
      }
      const [, scheme, accessToken] = match as unknown as [string, 'Bearer' | 'DPoP', string];
      const token = offers.findAccessToken(accessToken, now());
      if (token === undefined || token.usedAt !== null) {
        return oauthError(c, 401, Oauth2ErrorCodes.InvalidToken, 'unknown, expired or used token', scheme);
      }
      if (token.dpopJkt !== null) {
        const dpopJwt = c.req.header('DPoP');
        if (scheme !== 'DPoP' || dpopJwt === undefined) {
          return oauthError(c, 401, Oauth2ErrorCodes.InvalidToken, 'this token is DPoP-bound', 'DPoP');
        }
        const bound = verifyDpopProof(dpopJwt, {
          method: 'POST',
          url: `${publicUrl}/credential`,
          now: now(),
          accessToken,
          jkt: token.dpopJkt,
        });
        if (bound === undefined) {
          return oauthError(
            c,
            401,
            Oauth2ErrorCodes.InvalidDpopProof,
            'the DPoP proof does not hold',
            'DPoP',
          );
        }
      } else if (scheme !== 'Bearer') {
        return oauthError(c, 401, Oauth2ErrorCodes.InvalidToken, 'this token is a Bearer token');
      }

      // 2. The request body.
      if (!isMediaType(c.req.header('Content-Type'), 'application/json')) {
        return oauthError(c, 400, Oauth2ErrorCodes.InvalidCredentialRequest, 'send application/json');
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return oauthError(c, 400, Oauth2ErrorCodes.InvalidCredentialRequest, 'the body is not JSON');
      }
      const request = parseCredentialRequestBody(body);
      if ('error' in request) return oauthError(c, 400, request.error, request.description);
      const offer = offers.getOffer(token.offerId);
      if (offer === undefined || !offer.configurationIds.includes(request.configurationId)) {
        return oauthError(
          c,
          400,
          Oauth2ErrorCodes.UnknownCredentialConfiguration,
          'this token is not for that credential configuration',
        );
      }
      const format = offerFormatOf(request.configurationId);
      if (format === undefined) {
        return oauthError(c, 400, Oauth2ErrorCodes.UnknownCredentialConfiguration, 'unknown configuration');
      }

      // 3. Proof of possession: signature, audience, typ, then the nonce (single use).
      const proof = verifyProofJwt(request.proofJwt, { audience: publicUrl, now: now() });
      if (proof === undefined) {
        return oauthError(c, 400, Oauth2ErrorCodes.InvalidProof, 'the proof does not hold');
      }
      const { holder, nonce } = proof;
      if (nonce === undefined || !offers.consumeNonce(nonce, now())) {
        return oauthError(c, 400, Oauth2ErrorCodes.InvalidNonce, 'unknown, expired or used c_nonce');
      }

      // 4. One credential per token: claim it, then sign; give it back if signing fails on our side.
      if (!offers.claimAccessToken(accessToken, now())) {
        return oauthError(c, 401, Oauth2ErrorCodes.InvalidToken, 'unknown, expired or used token', scheme);
      }
      try {
        const issueFormat = ISSUE_FORMATS[format];
        const issued =
          issueFormat === 'dc+sd-jwt'
            ? await issuer.issue(offer.assessment, {
                format: 'dc+sd-jwt',
                subject: holder.did,
                ...(holder.did.startsWith('did:key:') ? {} : { holderPublicJwk: holder.publicJwk }),
              })
            : await issuer.issue(offer.assessment, { format: issueFormat, subject: holder.did });
        offers.recordCredential(offer.id, issued.id);
        c.header('Cache-Control', 'no-store');
        // An ldp_vc is a JSON object in the response (OpenID4VCI 1.0 Appendix A.1.2.3), not its text.
        const credential: unknown = issued.format === 'ldp_vc' ? JSON.parse(issued.token) : issued.token;
        return c.json({ credentials: [{ credential }] });
      } catch (err) {
        offers.releaseAccessToken(accessToken);
        if (isSkillpassError(err, 'ERR_SCHEMA_INVALID')) {
          return oauthError(
            c,
            400,
            Oauth2ErrorCodes.CredentialRequestDenied,
            'the assessment cannot be issued now',
          );
        }
        return oauthError(c, 500, Oauth2ErrorCodes.ServerError, 'the credential could not be issued');
      }
    },
  );

  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  app.onError((_err, c) => oauthError(c, 500, Oauth2ErrorCodes.ServerError, 'internal error'));
  return app;
}

type ParsedRequest = { configurationId: string; proofJwt: string } | { error: string; description: string };

/**
 * A credential request of OpenID4VCI 1.0 §8.2: `credential_configuration_id` and exactly one
 * `jwt` proof (`proofs.jwt[0]`; the single `proof` object of the drafts is accepted too).
 */
function parseCredentialRequestBody(body: unknown): ParsedRequest {
  const invalid = (description: string) => ({
    error: Oauth2ErrorCodes.InvalidCredentialRequest,
    description,
  });
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return invalid('the body is not an object');
  const b = body as Record<string, unknown>;
  if (b.credential_identifier !== undefined) return invalid('credential_identifier is not supported');
  if (b.credential_response_encryption !== undefined) {
    return {
      error: Oauth2ErrorCodes.InvalidEncryptionParameters,
      description: 'encryption is not supported',
    };
  }
  if (typeof b.credential_configuration_id !== 'string')
    return invalid('credential_configuration_id is missing');
  const badProof = { error: Oauth2ErrorCodes.InvalidProof, description: 'send exactly one jwt proof' };
  let jwt: unknown;
  if (b.proofs !== undefined) {
    if (b.proof !== undefined) return badProof;
    const proofs = b.proofs as Record<string, unknown> | null;
    if (typeof proofs !== 'object' || proofs === null || Object.keys(proofs).length !== 1) return badProof;
    const list = proofs.jwt;
    if (!Array.isArray(list) || list.length !== 1) return badProof;
    jwt = list[0];
  } else {
    const proof = b.proof as Record<string, unknown> | null | undefined;
    if (typeof proof !== 'object' || proof === null || proof.proof_type !== 'jwt') return badProof;
    jwt = proof.jwt;
  }
  if (typeof jwt !== 'string' || jwt.length === 0 || jwt.length > 16 * 1024) return badProof;
  return { configurationId: b.credential_configuration_id, proofJwt: jwt };
}

function isMediaType(header: string | undefined, type: string): boolean {
  return header !== undefined && header.split(';')[0]!.trim().toLowerCase() === type;
}

function sameEtag(header: string, etag: string): boolean {
  const opaque = etag.replace(/^W\//, '');
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === opaque || t === '*');
}
