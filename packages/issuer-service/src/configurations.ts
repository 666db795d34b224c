import { type JwsAlgorithm, OB_V3_CONTEXT, SkillpassError, VC_V2_CONTEXT } from '@skillpass/core';
import { SKILL_SD_JWT_VCT } from '@skillpass/issuer';

/** The skillpass credential formats offered over OpenID4VCI, by their OpenID4VCI format identifier. */
export type OfferFormat = 'dc+sd-jwt' | 'jwt_vc_json' | 'vc+jwt' | 'ldp_vc';

/** Every format the service offers, in order of preference (the default first). */
export const OFFER_FORMATS: readonly OfferFormat[] = ['dc+sd-jwt', 'jwt_vc_json', 'vc+jwt', 'ldp_vc'];

/** The credential configuration id of each format in the issuer metadata. */
export const CONFIGURATION_IDS: Readonly<Record<OfferFormat, string>> = {
  'dc+sd-jwt': 'skill_dc_sd_jwt',
  jwt_vc_json: 'skill_jwt_vc_json',
  'vc+jwt': 'skill_vc_jwt',
  ldp_vc: 'skill_ldp_vc',
};

/** The skillpass issue format behind each OpenID4VCI format. */
export const ISSUE_FORMATS: Readonly<Record<OfferFormat, 'dc+sd-jwt' | 'jwt-vc-1.1' | 'vc+jwt' | 'ldp_vc'>> =
  {
    'dc+sd-jwt': 'dc+sd-jwt',
    jwt_vc_json: 'jwt-vc-1.1',
    'vc+jwt': 'vc+jwt',
    ldp_vc: 'ldp_vc',
  };

/**
 * The skillpass JSON-LD context an `ldp_vc` ends its `@context` with (`SKILLPASS_CONTEXT_URL` of
 * @skillpass/data-integrity, spelt out here so that serving metadata does not load the JSON-LD
 * libraries; a test keeps the two equal).
 */
export const SKILLPASS_LDP_CONTEXT = 'https://skillpass.dev/contexts/skill-credential-v1.jsonld';

/** Algorithms a wallet may sign its proof of possession (and DPoP proofs) with. */
export const PROOF_ALGORITHMS: readonly JwsAlgorithm[] = ['EdDSA', 'ES256'];

/**
 * The Data Integrity cryptosuite an `ldp_vc` is secured with, by the centre's signing algorithm
 * (what `Issuer.issue(…, { format: 'ldp_vc' })` signs with).
 */
export function cryptosuiteOf(signingAlg: JwsAlgorithm): 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019' {
  return signingAlg === 'ES256' ? 'ecdsa-rdfc-2019' : 'eddsa-rdfc-2022';
}

/**
 * The format of a configuration id or format identifier (`dc+sd-jwt`, `jwt_vc_json`, `vc+jwt`, `ldp_vc`,
 * or one of {@link CONFIGURATION_IDS}); undefined for anything else.
 */
export function offerFormatOf(idOrFormat: string): OfferFormat | undefined {
  if ((OFFER_FORMATS as readonly string[]).includes(idOrFormat)) return idOrFormat as OfferFormat;
  return OFFER_FORMATS.find((f) => CONFIGURATION_IDS[f] === idOrFormat);
}

const CREDENTIAL_DISPLAY = [
  {
    name: 'Vakbekwaamheidsbewijs',
    locale: 'nl',
    description: 'Een beoordeelde vaardigheid (Open Badges 3.0)',
  },
  { name: 'Skill credential', locale: 'en', description: 'An assessed skill (Open Badges 3.0)' },
];

/** Claims shown by wallets, with labels in Dutch and English (OpenID4VCI 1.0 §12.2.4, Appendix A). */
const SD_JWT_CLAIMS = [
  claim(['skill', 'name'], 'Vaardigheid', 'Skill'),
  claim(['skill', 'level'], 'Niveau', 'Level'),
  claim(['skill', 'uri'], 'Vaardigheid (URI)', 'Skill (URI)'),
  claim(['issuerName'], 'Beoordeeld door', 'Assessed by'),
  claim(['evidence'], 'Beoordeling', 'Assessment'),
];

const W3C_CLAIMS = [
  claim(['credentialSubject', 'achievement', 'name'], 'Vaardigheid', 'Skill'),
  claim(['credentialSubject', 'result'], 'Niveau', 'Level'),
  claim(['issuer', 'name'], 'Beoordeeld door', 'Assessed by'),
];

function claim(path: string[], nl: string, en: string) {
  return {
    path,
    display: [
      { name: nl, locale: 'nl' },
      { name: en, locale: 'en' },
    ],
  };
}

/**
 * `credential_configurations_supported` of the issuer metadata. Each configuration carries
 * `credential_metadata` (OpenID4VCI 1.0 §12.2.4): clients built on the `@openid4vc` libraries
 * treat an issuer without it as draft 14.
 */
export function credentialConfigurations(
  signingAlg: JwsAlgorithm,
  formats: readonly OfferFormat[] = OFFER_FORMATS,
): Record<string, Record<string, unknown>> {
  const common = {
    cryptographic_binding_methods_supported: ['jwk', 'did:key', 'did:jwk'],
    credential_signing_alg_values_supported: [signingAlg],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_ALGORITHMS] } },
  };
  const w3cType = ['VerifiableCredential', 'OpenBadgeCredential'];
  const all: Record<OfferFormat, Record<string, unknown>> = {
    'dc+sd-jwt': {
      format: 'dc+sd-jwt',
      vct: SKILL_SD_JWT_VCT,
      scope: CONFIGURATION_IDS['dc+sd-jwt'],
      ...common,
      // The SD-JWT is bound by cnf.jwk: the key of the proof, whatever DID (if any) it belongs to.
      cryptographic_binding_methods_supported: ['jwk'],
      credential_metadata: { display: CREDENTIAL_DISPLAY, claims: SD_JWT_CLAIMS },
    },
    jwt_vc_json: {
      format: 'jwt_vc_json',
      scope: CONFIGURATION_IDS.jwt_vc_json,
      credential_definition: { type: w3cType },
      ...common,
      cryptographic_binding_methods_supported: ['did:key', 'did:jwk'],
      credential_metadata: { display: CREDENTIAL_DISPLAY, claims: W3C_CLAIMS },
    },
    // VC 2.0 secured with VC-JOSE-COSE: no OpenID4VCI format identifier exists for it yet, so
    // only wallets that know skillpass ask for it (by configuration id).
    'vc+jwt': {
      format: 'vc+jwt',
      scope: CONFIGURATION_IDS['vc+jwt'],
      credential_definition: { type: w3cType },
      ...common,
      cryptographic_binding_methods_supported: ['did:key', 'did:jwk'],
      credential_metadata: { display: CREDENTIAL_DISPLAY, claims: W3C_CLAIMS },
    },
    // VC 2.0 secured with a Data Integrity proof (OpenID4VCI 1.0 Appendix A.1.2): the credential
    // definition names the @context and type; the signing "algorithms" are cryptosuites.
    ldp_vc: {
      format: 'ldp_vc',
      scope: CONFIGURATION_IDS.ldp_vc,
      credential_definition: {
        '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT, SKILLPASS_LDP_CONTEXT],
        type: w3cType,
      },
      ...common,
      cryptographic_binding_methods_supported: ['did:key', 'did:jwk'],
      credential_signing_alg_values_supported: [cryptosuiteOf(signingAlg)],
      credential_metadata: { display: CREDENTIAL_DISPLAY, claims: W3C_CLAIMS },
    },
  };
  return Object.fromEntries(formats.map((f) => [CONFIGURATION_IDS[f], all[f]]));
}

/** What the service needs to describe itself. */
export interface IssuerMetadataInput {
  /** The credential issuer identifier: the service's public URL (an origin, no path). */
  publicUrl: string;
  /** The centre's name, shown by wallets. */
  name: string;
  /** The centre's signing algorithm. */
  signingAlg: JwsAlgorithm;
}

/** Credential issuer metadata (OpenID4VCI 1.0 §12.2), served at `/.well-known/openid-credential-issuer`. */
export function credentialIssuerMetadata(input: IssuerMetadataInput): Record<string, unknown> {
  const base = input.publicUrl;
  return {
    credential_issuer: base,
    credential_endpoint: `${base}/credential`,
    nonce_endpoint: `${base}/nonce`,
    display: [
      { name: input.name, locale: 'nl' },
      { name: input.name, locale: 'en' },
    ],
    credential_configurations_supported: credentialConfigurations(input.signingAlg),
  };
}

/** Authorization server metadata (RFC 8414), served at `/.well-known/oauth-authorization-server`. */
export function authorizationServerMetadata(publicUrl: string): Record<string, unknown> {
  return {
    issuer: publicUrl,
    token_endpoint: `${publicUrl}/token`,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code'],
    'pre-authorized_grant_anonymous_access_supported': true,
    token_endpoint_auth_methods_supported: ['none'],
    dpop_signing_alg_values_supported: [...PROOF_ALGORITHMS],
    response_types_supported: [],
  };
}

/**
 * Check a public URL: an origin (no path, query or fragment), https, or http on a loopback host
 * (tests and demos). Returns it without a trailing slash.
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS otherwise.
 */
export function checkPublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `public URL ${value} is not a URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'the public URL must be https (http only on localhost)');
  }
  if (
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'the public URL must be an origin, without a path');
  }
  return url.origin;
}
