import {
  createHash,
  sign as cryptoSign,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { CallbackContext, HashAlgorithm, Jwk, RequestDpopOptions } from '@openid4vc/oauth2';
import type { CredentialOfferObject, IssuerMetadataResult } from '@openid4vc/openid4vci';
import { isSkillpassError, LIMITS, publicJwkOf, SkillpassError } from '@skillpass/core';
import { encodeBase64url, encodeBase64urlString } from '@skillpass/core/internal';
import { createOutboundFetch, isOutboundError, type OutboundError } from '@skillpass/net';
import { parseCredentialOfferUri } from './parse-credential-offer-uri.js';
import type { Wallet, WalletEntry } from './wallet.js';

/** The fetch the client uses: the standard signature (the outbound door's fetch fits). */
export type ReceiveFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link receiveCredential}. */
export interface ReceiveCredentialOptions {
  /** The transaction code the centre gave the worker, when the offer asks for one. */
  txCode?: string;
  /**
   * Allow plain http to `localhost` / `127.0.0.1` (tests and demos): for the offer, the issuer's
   * metadata and endpoints. Also switches on the `@openid4vc` libraries' insecure-URL setting for
   * the duration of the call. Default false.
   */
  allowHttpLocalhost?: boolean;
  /**
   * Outbound requests. Default: the outbound door (`createOutboundFetch` of `@skillpass/net`,
   * kind `openid4vc`: https only, loopback http with `allowHttpLocalhost`, redirects checked
   * hop by hop, DNS answers checked, timeouts, 1 MiB cap).
   */
  fetch?: ReceiveFetch;
  /** Preferred formats, best first. Default `dc+sd-jwt`, `vc+jwt`, `jwt_vc_json`, `ldp_vc`. */
  preferFormats?: readonly string[];
}

/** What {@link receiveCredential} stored. */
export interface ReceivedCredential {
  entry: WalletEntry;
  /** The credential configuration id received. */
  configurationId: string;
  /** The credential issuer identifier (the centre's service URL). */
  credentialIssuer: string;
}

const SUPPORTED_FORMATS = ['dc+sd-jwt', 'vc+jwt', 'jwt_vc_json', 'ldp_vc'];
const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/**
 * Receive a credential from an OpenID4VCI 1.0 issuer into the wallet: resolve the offer and the
 * issuer's metadata, exchange the pre-authorized code (and transaction code) for an access
 * token (DPoP-bound when the issuer supports it), get a nonce, prove possession of the wallet's
 * key in a `jwt` proof, receive the credential, verify it (as `addCredential` does: signature,
 * schema, validity, subject = this wallet) and store it.
 *
 * @example
 * ```ts
 * const { entry } = await receiveCredential(wallet, 'openid-credential-offer://?credential_offer_uri=…', { txCode: '493817' });
 * ```
 * @throws SkillpassError ERR_INVALID_OPTIONS (a transaction code missing, or given to an offer
 * that asks for none), ERR_OFFER_INVALID (offer or metadata unusable), ERR_ISSUANCE_REFUSED (the
 * issuer answered with an OAuth error, named in the message), ERR_ISSUER_UNREACHABLE (network),
 * or the code `addCredential` refuses the credential with. Nothing is stored then.
 */
export async function receiveCredential(
  wallet: Wallet,
  offerUri: string,
  options: ReceiveCredentialOptions = {},
): Promise<ReceivedCredential> {
  const allowHttpLocalhost = options.allowHttpLocalhost === true;
  parseCredentialOfferUri(offerUri, { allowHttpLocalhost });
  // Loaded on first use: opening a wallet (every other command) does not pay for zod and the clients.
  const oauth2 = await import('@openid4vc/oauth2');
  const { Openid4vciClient, Openid4vciRetrieveCredentialsError } = await import('@openid4vc/openid4vci');
  const libraryErrors = {
    Oauth2ClientErrorResponseError: oauth2.Oauth2ClientErrorResponseError,
    Openid4vciRetrieveCredentialsError,
    InvalidFetchResponseError: oauth2.InvalidFetchResponseError,
  };
  const step = <T>(name: string, run: () => Promise<T>) => runStep(libraryErrors, name, run);
  const fetchImpl = options.fetch ?? createOutboundFetch({ kind: 'openid4vc', allowHttpLocalhost });
  const signingKey = await wallet.signingKey();
  const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const dpopJwk = publicJwkOf(dpopKey.publicKey) as Jwk;
  const callbacks: Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> = {
    fetch: fetchImpl,
    hash: (data: Uint8Array, alg: HashAlgorithm) => createHash(alg.replace('-', '')).update(data).digest(),
    generateRandom: (bytes: number) => randomBytes(bytes),
    clientAuthentication: oauth2.clientAuthenticationAnonymous(),
    signJwt: async (signer, { header, payload }) => {
      const input = `${encodeBase64urlString(JSON.stringify(header))}.${encodeBase64urlString(JSON.stringify(payload))}`;
      if (signer.method === 'did' && signer.didUrl === signingKey.keyId) {
        const signature = await signingKey.sign(Buffer.from(input));
        return { jwt: `${input}.${encodeBase64url(signature)}`, signerJwk: wallet.publicJwk as Jwk };
      }
      if (signer.method === 'jwk' && signer.publicJwk.x === dpopJwk.x) {
        return { jwt: `${input}.${signEs256(dpopKey.privateKey, input)}`, signerJwk: dpopJwk };
      }
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'asked to sign with a key this wallet does not hold');
    },
  };

  return withInsecureUrls(oauth2, allowHttpLocalhost, async () => {
    const client = new Openid4vciClient({ callbacks });
    const offer = await step('offer', () => client.resolveCredentialOffer(offerUri));
    const grant = offer.grants?.[PRE_AUTHORIZED_GRANT];
    if (grant === undefined) {
      throw new SkillpassError('ERR_OFFER_INVALID', 'only offers with a pre-authorized code are supported');
    }
    if ((grant.tx_code !== undefined) !== (options.txCode !== undefined)) {
      throw new SkillpassError(
        'ERR_INVALID_OPTIONS',
        grant.tx_code !== undefined
          ? 'this offer needs the transaction code the centre gave you (txCode, --tx-code)'
          : 'this offer asks for no transaction code',
      );
    }
    const metadata = await step('metadata', () => client.resolveIssuerMetadata(offer.credential_issuer));
    const configurationId = chooseConfiguration(offer, metadata, options.preferFormats ?? SUPPORTED_FORMATS);
    const dpopAlgs = metadata.authorizationServers[0]?.dpop_signing_alg_values_supported;
    const dpop: RequestDpopOptions | undefined = dpopAlgs?.includes('ES256')
      ? { signer: { method: 'jwk', alg: 'ES256', publicJwk: dpopJwk } }
      : undefined;
    const token = await step('token', () =>
      client.retrievePreAuthorizedCodeAccessTokenFromOffer({
        credentialOffer: offer,
        issuerMetadata: metadata,
        ...(options.txCode !== undefined ? { txCode: options.txCode } : {}),
        ...(dpop !== undefined ? { dpop } : {}),
      }),
    );
    const nonce = await step('nonce', () => client.requestNonce({ issuerMetadata: metadata }));
    const { jwt } = await step('proof', () =>
      client.createCredentialRequestJwtProof({
        issuerMetadata: metadata,
        credentialConfigurationId: configurationId,
        signer: { method: 'did', didUrl: signingKey.keyId, alg: signingKey.alg },
        nonce: nonce.c_nonce,
      }),
    );
    const response = await step('credential', () =>
      client.retrieveCredentials({
        issuerMetadata: metadata,
        accessToken: token.accessTokenResponse.access_token,
        credentialConfigurationId: configurationId,
        proofs: { jwt: [jwt] },
        ...(token.dpop !== undefined ? { dpop: token.dpop } : {}),
      }),
    );
    const body = response.credentialResponse as { credentials?: { credential?: unknown }[] };
    const credential = credentialText(
      body.credentials?.[0]?.credential,
      body.credentials?.length ?? 0,
      metadata.credentialIssuer.credential_configurations_supported[configurationId]?.format,
    );
    const entry = await wallet.addCredential(credential);
    return { entry, configurationId, credentialIssuer: metadata.credentialIssuer.credential_issuer };
  });
}

/**
 * The one credential of a credential response as the text `addCredential` takes: a string for the
 * JWT formats, a JSON object for `ldp_vc` (OpenID4VCI 1.0 Appendix A.1.2.3), turned into its JSON
 * text (size-capped here: the verifier caps it again).
 */
function credentialText(credential: unknown, count: number, format: string | undefined): string {
  if (count !== 1) {
    throw new SkillpassError('ERR_MALFORMED', `the issuer sent ${count} credentials instead of one`);
  }
  if (format === 'ldp_vc') {
    if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) {
      throw new SkillpassError('ERR_MALFORMED', 'the issuer did not send the ldp_vc as a JSON object');
    }
    const text = JSON.stringify(credential);
    if (Buffer.byteLength(text) > LIMITS.maxCredentialBytes) {
      throw new SkillpassError(
        'ERR_INPUT_TOO_LARGE',
        `the credential is over ${LIMITS.maxCredentialBytes} bytes`,
      );
    }
    return text;
  }
  if (typeof credential !== 'string') {
    throw new SkillpassError(
      'ERR_MALFORMED',
      `the issuer did not send the ${format ?? ''} credential as a string`,
    );
  }
  return credential;
}

/** The first offered configuration, in the order of preference, whose format this wallet holds. */
function chooseConfiguration(
  offer: CredentialOfferObject,
  metadata: IssuerMetadataResult,
  prefer: readonly string[],
): string {
  const configurations = metadata.credentialIssuer.credential_configurations_supported;
  const offered = offer.credential_configuration_ids.filter((id) => configurations[id] !== undefined);
  for (const format of prefer) {
    if (!SUPPORTED_FORMATS.includes(format)) continue;
    const id = offered.find((i) => configurations[i]?.format === format);
    if (id !== undefined) return id;
  }
  throw new SkillpassError(
    'ERR_OFFER_INVALID',
    `the offer holds no credential in a format this wallet keeps (${SUPPORTED_FORMATS.join(', ')})`,
  );
}

/** The error classes of the lazily loaded libraries. */
interface LibraryErrors {
  Oauth2ClientErrorResponseError: typeof import('@openid4vc/oauth2').Oauth2ClientErrorResponseError;
  Openid4vciRetrieveCredentialsError: typeof import('@openid4vc/openid4vci').Openid4vciRetrieveCredentialsError;
  InvalidFetchResponseError: typeof import('@openid4vc/oauth2').InvalidFetchResponseError;
}

/** Run one protocol step, turning the libraries' errors into stable codes. */
async function runStep<T>(errors: LibraryErrors, name: string, run: () => Promise<T>): Promise<T> {
  const { Oauth2ClientErrorResponseError, Openid4vciRetrieveCredentialsError, InvalidFetchResponseError } =
    errors;
  try {
    return await run();
  } catch (err) {
    if (isSkillpassError(err)) throw err;
    if (err instanceof Oauth2ClientErrorResponseError) {
      const { error, error_description: description } = err.errorResponse;
      throw new IssuanceRefusedError(name, error, description, err);
    }
    if (err instanceof Openid4vciRetrieveCredentialsError) {
      const data = err.response.credentialErrorResponseResult?.data as
        | { error?: string; error_description?: string }
        | undefined;
      const error = data?.error ?? `HTTP ${err.response.response.status}`;
      throw new IssuanceRefusedError(name, error, data?.error_description, err);
    }
    if (err instanceof InvalidFetchResponseError && err.response.status >= 400 && err.response.status < 500) {
      // An offer URI that answers 4xx: used or expired. Metadata that is not there: not an issuer.
      if (name === 'offer') {
        throw new IssuanceRefusedError(name, 'offer_unavailable', 'the offer was used or has expired', err);
      }
      throw new SkillpassError('ERR_OFFER_INVALID', `${name}: HTTP ${err.response.status}`, { cause: err });
    }
    const outbound = outboundErrorIn(err);
    if (outbound !== undefined) {
      throw new SkillpassError('ERR_ISSUER_UNREACHABLE', `${name}: ${outbound.code}: ${outbound.message}`, {
        cause: err,
      });
    }
    throw new SkillpassError('ERR_OFFER_INVALID', `${name}: the issuer's answer is not usable`, {
      cause: err,
    });
  }
}

/** The door's refusal behind an error (the libraries may wrap what fetch threw). */
function outboundErrorIn(err: unknown): OutboundError | undefined {
  for (let e = err, depth = 0; e !== undefined && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isOutboundError(e)) return e;
  }
  return undefined;
}

/**
 * ERR_ISSUANCE_REFUSED with the issuer's OAuth error code (`invalid_grant`, `invalid_proof`, …;
 * `offer_unavailable` when the offer URI no longer answers) in {@link IssuanceRefusedError.oauthError}.
 */
export class IssuanceRefusedError extends SkillpassError {
  /** The OAuth `error` the issuer answered with. */
  readonly oauthError: string;
  /** The protocol step refused: `offer`, `token`, `nonce` or `credential`. */
  readonly step: string;

  constructor(step: string, oauthError: string, description: string | undefined, cause: unknown) {
    super(
      'ERR_ISSUANCE_REFUSED',
      `${step}: the issuer refused: ${oauthError}${description ? ` (${description})` : ''}`,
      { cause },
    );
    this.name = 'IssuanceRefusedError';
    this.oauthError = oauthError;
    this.step = step;
  }
}

function signEs256(key: KeyObject, input: string): string {
  return cryptoSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

let insecureUsers = 0;
let insecureBefore = false;

/**
 * Run `fn` with the libraries' insecure-URL switch on when asked (loopback http in tests and
 * demos), restoring it after the last concurrent user. Our own fetch guard still refuses any
 * plain http that is not loopback.
 */
async function withInsecureUrls<T>(
  config: Pick<typeof import('@openid4vc/oauth2'), 'getGlobalConfig' | 'setGlobalConfig'>,
  allow: boolean,
  fn: () => Promise<T>,
): Promise<T> {
  if (!allow) return fn();
  const { getGlobalConfig, setGlobalConfig } = config;
  if (insecureUsers++ === 0) {
    insecureBefore = getGlobalConfig().allowInsecureUrls;
    setGlobalConfig({ ...getGlobalConfig(), allowInsecureUrls: true });
  }
  try {
    return await fn();
  } finally {
    if (--insecureUsers === 0) setGlobalConfig({ ...getGlobalConfig(), allowInsecureUrls: insecureBefore });
  }
}
