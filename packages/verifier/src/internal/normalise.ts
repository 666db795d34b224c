import {
  type CredentialFormat,
  type JsonObject,
  malformed,
  type ParsedJws,
  type Problem,
  VC_V1_CONTEXT,
  VC_V2_CONTEXT,
} from '@skillpass/core';
import { isJsonObject, typMatches } from '@skillpass/core/internal';
import { epochToIso } from './time.js';

/** A credential payload brought to the VC 2.0 shape our schema describes. */
export interface NormalisedCredential {
  format: Extract<CredentialFormat, 'vc+jwt' | 'jwt-vc-1.1'>;
  credential: JsonObject;
  /** Issuer DID as stated (not yet verified). */
  issuer: string | null;
  subject: string | null;
  id: string | null;
  problems: Problem[];
}

const JWT_CLAIMS = ['iss', 'sub', 'jti', 'nbf', 'exp', 'iat', 'aud', 'cnf'];

/**
 * Bring a VC 2.0 `vc+jwt` payload or a VC 1.1 JWT (`vc` claim) to one VC 2.0-shaped credential,
 * and check that the mirrored JWT claims agree with the credential (a token whose `iss` says one
 * issuer and whose `issuer` says another is malformed, not "verified as either").
 */
export function normaliseJwtCredential(jws: ParsedJws): NormalisedCredential {
  const { header, payload } = jws;
  const problems: Problem[] = [];
  let format: NormalisedCredential['format'];
  let credential: JsonObject;
  if (typMatches(header.typ, 'vc+jwt')) {
    format = 'vc+jwt';
    if (payload.vc !== undefined || payload.vp !== undefined) {
      problems.push(malformed('claim-invalid', 'a vc+jwt must not carry a vc or vp claim', '/vc'));
    }
    credential = {};
    for (const [k, v] of Object.entries(payload)) if (!JWT_CLAIMS.includes(k)) credential[k] = v;
  } else {
    format = 'jwt-vc-1.1';
    if (!isJsonObject(payload.vc)) {
      return {
        format,
        credential: {},
        issuer: null,
        subject: null,
        id: null,
        problems: [malformed('claim-invalid', 'a VC 1.1 JWT needs a vc claim', '/vc')],
      };
    }
    credential = from11(payload);
  }
  const issuer = issuerId(credential.issuer);
  const subject = subjectId(credential.credentialSubject);
  const id = typeof credential.id === 'string' ? credential.id : null;
  const mirror = (claim: string, value: string | null) => {
    const stated = payload[claim];
    if (stated !== undefined && stated !== value) {
      problems.push(
        malformed('claims-disagree', `JWT claim ${claim} disagrees with the credential`, `/${claim}`),
      );
    }
  };
  mirror('iss', issuer);
  mirror('sub', subject);
  mirror('jti', id);
  return { format, credential, issuer, subject, id, problems };
}

/**
 * VC 1.1 JWT → VC 2.0 shape: claims back into the credential, v1 context swapped for v2, dates renamed.
 * did-jwt-vc (and so Veramo) moves credential properties it does not map to a claim, such as an
 * issuer Profile without its id, or `name`, to the top level of the payload, beside `vc`: they are
 * signed credential properties too, and are read back as did-jwt-vc's own normaliser does.
 */
function from11(payload: JsonObject): JsonObject {
  const vc = payload.vc as JsonObject;
  const { issuanceDate, expirationDate, ...rest } = vc;
  const credential: JsonObject = {};
  for (const [k, v] of Object.entries(payload)) {
    if (k !== 'vc' && k !== 'vp' && !JWT_CLAIMS.includes(k)) credential[k] = v;
  }
  Object.assign(credential, rest);
  if (isJsonObject(payload.credentialSubject) && isJsonObject(vc.credentialSubject)) {
    credential.credentialSubject = { ...payload.credentialSubject, ...vc.credentialSubject };
  }
  const contexts = Array.isArray(vc['@context']) ? vc['@context'] : [];
  credential['@context'] = [
    VC_V2_CONTEXT,
    ...contexts.filter((c) => c !== VC_V1_CONTEXT && c !== VC_V2_CONTEXT),
  ];
  if (credential.id === undefined && typeof payload.jti === 'string') credential.id = payload.jti;
  if (credential.issuer === undefined && typeof payload.iss === 'string') credential.issuer = payload.iss;
  if (
    isJsonObject(credential.issuer) &&
    credential.issuer.id === undefined &&
    typeof payload.iss === 'string'
  ) {
    credential.issuer = { ...credential.issuer, id: payload.iss };
  }
  if (
    isJsonObject(credential.credentialSubject) &&
    credential.credentialSubject.id === undefined &&
    typeof payload.sub === 'string'
  ) {
    credential.credentialSubject = { ...credential.credentialSubject, id: payload.sub };
  }
  const from = typeof issuanceDate === 'string' ? issuanceDate : epochToIso(payload.nbf);
  const until = typeof expirationDate === 'string' ? expirationDate : epochToIso(payload.exp);
  if (from !== undefined) credential.validFrom = from;
  if (until !== undefined) credential.validUntil = until;
  return credential;
}

/** The DID of an issuer given as a string or a Profile object. */
export function issuerId(issuer: unknown): string | null {
  if (typeof issuer === 'string') return issuer;
  if (isJsonObject(issuer) && typeof issuer.id === 'string') return issuer.id;
  return null;
}

/** The id of the (first) credential subject, if it names one. */
export function subjectId(subject: unknown): string | null {
  const first = Array.isArray(subject) ? subject[0] : subject;
  return isJsonObject(first) && typeof first.id === 'string' ? first.id : null;
}
