import type { KeyObject } from 'node:crypto';
import {
  type DidResolver,
  type JsonObject,
  malformed,
  PROFICIENCY_SCALE_ID,
  type Problem,
  problem,
  publicKeyFromJwk,
  type SkillFact,
  validateSchema,
} from '@skillpass/core';
import { isJsonObject } from '@skillpass/core/internal';
import { epochToIso } from '../internal/time.js';
import { isSdJwtToken, verifySdJwt } from '../sd-jwt.js';
import { canonicalSignature } from './jws-credential.js';
import type { FormatContext, FormatHandler, ParsedCredential } from './types.js';

/**
 * SD-JWT VC (`dc+sd-jwt`, RFC 9901) as skillpass issues it: the issuer signature, the digests
 * and the key-binding JWT are checked by {@link verifySdJwt} in one pass; this handler splits
 * its findings over the named checks (with `disclosure` for digests and key binding), reads the
 * always-visible `skill` claim, and binds the credential to the holder by `sub` and `cnf.jwk`.
 */
export const dcSdJwt: FormatHandler = {
  format: 'dc+sd-jwt',
  mediaTypes: ['application/dc+sd-jwt', 'application/vc+sd-jwt'],
  detect: (input) => typeof input === 'string' && isSdJwtToken(input),
  identity: (input) => {
    const token = String(input);
    return canonicalSignature(token.slice(0, token.indexOf('~')));
  },
  parse: parseSdJwtCredential,
};

async function parseSdJwtCredential(
  input: unknown,
  ctx: FormatContext,
): Promise<ParsedCredential | { failed: Problem[] }> {
  const token = input as string;
  let issuer: string | null = null;
  const result = await verifySdJwt(token, {
    checkIssuerSignature: (jws) => {
      issuer = typeof jws.payload.iss === 'string' ? jws.payload.iss : null;
      return ctx.checkJwsSignature(jws, issuer, 'assertionMethod');
    },
    ...(ctx.algorithms ? { algorithms: ctx.algorithms } : {}),
    keyBinding: ctx.keyBinding,
    now: ctx.now,
    clockSkewSeconds: ctx.skew,
  });
  const { claims } = result;
  if (result.problems.format.length > 0 || claims === null) {
    return {
      failed:
        result.problems.format.length > 0
          ? result.problems.format
          : [malformed('sd-jwt', 'the SD-JWT has no claims')],
    };
  }
  const id = typeof claims.jti === 'string' ? claims.jti : null;
  const subject = typeof claims.sub === 'string' ? claims.sub : null;
  const issuerName = typeof claims.issuerName === 'string' ? claims.issuerName : undefined;
  const validFrom = epochToIso(claims.nbf ?? claims.iat) ?? null;
  const validUntil = epochToIso(claims.exp) ?? null;
  const hasKb = !token.endsWith('~');
  const status = isJsonObject(claims.status) ? claims.status.bitstring_status_list : undefined;
  return {
    format: 'dc+sd-jwt',
    formatProblems: [],
    id,
    issuer,
    ...(issuerName !== undefined ? { issuerName } : {}),
    subject,
    validFrom,
    validUntil,
    skill: skillFactOf(claims),
    disclosed: result.disclosed,
    claims,
    // The VC 2.0-shaped view the shared trust and status checks read.
    credential: {
      ...(id !== null ? { id } : {}),
      issuer: { id: issuer, ...(issuerName !== undefined ? { name: issuerName } : {}) },
      ...(validFrom !== null ? { validFrom } : {}),
      ...(validUntil !== null ? { validUntil } : {}),
      credentialSubject: subject !== null ? { id: subject } : {},
      ...(status !== undefined ? { credentialStatus: status } : {}),
    },
    verifyProof: async () => result.problems.signature,
    disclosure: {
      problems: [
        ...result.problems.disclosure,
        ...checkNeverDisclosed(result.disclosed),
        ...result.problems.keyBinding,
      ],
      ...(hasKb
        ? result.notes.length > 0
          ? { message: result.notes.join('; ') }
          : {}
        : { message: 'no key-binding JWT' }),
    },
    checkSchema: () => ({ problems: validateSchema('skill-sd-jwt', claims) }),
    checkValidity: () => result.problems.validity,
    checkBinding: (holder) => checkHolder(claims, holder, ctx.resolver),
  };
}

/**
 * SD-JWT VC claims that must be plain: a holder who could leave out a disclosed `exp` or
 * `status` would extend or un-revoke the credential. Only a disclosure that is shown can be
 * caught here (a digest does not name its claim): an issuer that makes `exp` disclosable lets
 * the holder withhold it, which is why skillpass issuers never do (docs/verification.md).
 */
const NEVER_DISCLOSED = new Set(['iss', 'iat', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status']);

/** Claims whose members must be plain too: a withheld status entry or key member changes their meaning. */
const NEVER_DISCLOSED_WITHIN = ['status.', 'cnf.'];

function checkNeverDisclosed(disclosed: readonly string[]): Problem[] {
  return disclosed
    .filter((path) => NEVER_DISCLOSED.has(path) || NEVER_DISCLOSED_WITHIN.some((p) => path.startsWith(p)))
    .map((path) =>
      problem(
        'ERR_DISCLOSURE_INVALID',
        `${path} must not be selectively disclosable`,
        `/${path.replaceAll('.', '/')}`,
      ),
    );
}

/** The credential must be the holder's: `sub` (when present) is the holder, and `cnf.jwk` one of its keys. */
async function checkHolder(claims: JsonObject, holder: string, resolver: DidResolver): Promise<Problem[]> {
  if (claims.sub !== undefined && claims.sub !== holder) {
    return [
      problem(
        'ERR_HOLDER_MISMATCH',
        `credential subject ${String(claims.sub)} is not the holder ${holder}`,
        '/sub',
      ),
    ];
  }
  let cnfKey: KeyObject;
  try {
    cnfKey = publicKeyFromJwk(isJsonObject(claims.cnf) ? claims.cnf.jwk : undefined);
  } catch {
    return [problem('ERR_HOLDER_MISMATCH', 'the credential has no usable cnf.jwk', '/cnf/jwk')];
  }
  const resolved = await resolver.resolve(holder);
  if (!resolved.ok) return [problem(resolved.code, resolved.message, '/sub')];
  // The document comes from the network: take only well-formed references.
  const refs: unknown = resolved.document.authentication;
  if (refs !== undefined && !Array.isArray(refs)) {
    return [problem('ERR_DID_UNRESOLVABLE', `the DID document of ${holder} has a malformed authentication`)];
  }
  const ids = (refs ?? [])
    .map((a: unknown) =>
      typeof a === 'string' ? a : isJsonObject(a) && typeof a.id === 'string' ? a.id : null,
    )
    .filter((id): id is string => id !== null);
  for (const id of ids) {
    const key = await resolver.resolveKey(
      id.startsWith('#') ? `${holder}${id}` : id,
      holder,
      'authentication',
    );
    if (key.ok && key.key.equals(cnfKey)) return [];
  }
  return [problem('ERR_HOLDER_MISMATCH', `cnf.jwk is not a key of the holder ${holder}`, '/cnf/jwk')];
}

/** The verified skill, from the always-visible `skill` claim and whatever evidence was disclosed. */
function skillFactOf(claims: JsonObject): SkillFact | null {
  const skill = claims.skill;
  if (!isJsonObject(skill) || typeof skill.uri !== 'string' || typeof skill.name !== 'string') return null;
  const alignments: SkillFact['alignments'] = [
    {
      uri: skill.uri,
      name: skill.name,
      ...(typeof skill.framework === 'string' ? { framework: skill.framework } : {}),
    },
  ];
  for (const a of Array.isArray(skill.alsoAlignedTo) ? skill.alsoAlignedTo : []) {
    if (isJsonObject(a) && typeof a.uri === 'string') {
      alignments.push({
        uri: a.uri,
        name: typeof a.name === 'string' ? a.name : a.uri,
        ...(typeof a.framework === 'string' ? { framework: a.framework } : {}),
      });
    }
  }
  const level = typeof skill.level === 'number' && Number.isInteger(skill.level) ? skill.level : null;
  const fact: SkillFact = { uri: skill.uri, name: skill.name, level, alignments };
  // The SD-JWT VC type (vct) fixes the skillpass proficiency scale.
  if (level !== null) fact.levelScale = PROFICIENCY_SCALE_ID;
  if (typeof skill.levelName === 'string') fact.levelName = skill.levelName;
  if (typeof skill.framework === 'string') fact.framework = skill.framework;
  if (typeof skill.achievementType === 'string') fact.achievementType = skill.achievementType;
  const evidence = (Array.isArray(claims.evidence) ? claims.evidence : []).filter(isJsonObject);
  const dates = evidence.map((e) => e.assessedOn).filter((d): d is string => typeof d === 'string');
  if (dates.length > 0) fact.assessedOn = dates.sort().at(-1)!;
  // The holder may withhold the evidence date; its issuance date says nothing about the skill.
  else fact.assessedOnWithheld = true;
  const methods = evidence.map((e) => e.method).filter((m): m is string => typeof m === 'string');
  if (methods.length > 0) fact.methods = [...new Set(methods)];
  return fact;
}
