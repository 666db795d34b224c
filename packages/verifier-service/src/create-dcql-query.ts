import { SkillpassError } from '@skillpass/core';
import { parseVacancy, type QualificationMap, type Vacancy } from '@skillpass/match';
import { DcqlQuery } from 'dcql';

/** The `vct` of a skillpass skill credential in SD-JWT VC form (as issued by @skillpass/issuer). */
export const SKILL_SD_JWT_VCT = 'https://skillpass.dev/vct/skill/v1';

/**
 * The OB 3.0 credential type, short and expanded (`dcql` compares type names as plain strings;
 * OpenID4VP 1.0 Appendix B.1.1 asks W3C formats for the expanded IRIs, skillpass's own re-check
 * sees the types as written).
 */
const OB_TYPE_VALUES = [
  ['VerifiableCredential', 'OpenBadgeCredential'],
  [
    'https://www.w3.org/2018/credentials#VerifiableCredential',
    'https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential',
  ],
];

/** Where a W3C skill credential names its skill: every alignment's `targetUrl`. */
export const W3C_SKILL_PATH = ['credentialSubject', 'achievement', 'alignment', null, 'targetUrl'] as const;
/** Where an SD-JWT skill credential names its skill. */
export const SD_JWT_SKILL_PATH = ['skill', 'uri'] as const;

/** The DCQL query of OpenID4VP 1.0 §6 (validated by `dcql`). */
export type DcqlQueryJson = DcqlQuery.Input;

/** Options of {@link createDcqlQuery}. */
export interface CreateDcqlQueryOptions {
  /**
   * Make every `required` requirement a required credential set, so a wallet that lacks one
   * cannot answer at all. Default false: every skill is asked for, none is demanded, and the
   * match shows what is missing (an employer usually wants to see partial candidates too).
   */
  strict?: boolean;
  /**
   * Also ask, as optional alternatives, for the diplomas whose qualification certifies a skill
   * of the vacancy (`d<j>_sd` / `d<j>_vc` / `d<j>_ldp`, one credential set per qualification, at most
   * {@link MAX_DCQL_QUALIFICATIONS}). Give the verifier service the same map so the match lets a
   * verified diploma meet the skills it certifies.
   */
  qualifications?: QualificationMap;
}

/** Most qualifications a DCQL query asks for (the request object stays small). */
export const MAX_DCQL_QUALIFICATIONS = 20;

/**
 * Turn a vacancy into a DCQL query: per requirement, one credential query per format
 * (`<q>_sd` for `dc+sd-jwt`, `<q>_vc` for `jwt_vc_json`, `<q>_ldp` for `ldp_vc`) naming the skill by its taxonomy URI,
 * and one credential set offering the formats as alternatives. The claims asked for are the
 * skill, its level and, when the requirement has a maximum age, the assessment dates. With
 * `qualifications`, the diplomas that certify a skill of the vacancy are asked for too.
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID (from parseVacancy) for an invalid vacancy.
 * @example
 * ```ts
 * const query = createDcqlQuery(JSON.parse(readFileSync('vacancy.json', 'utf8')));
 * // query.credentials[0].id === 'q0_sd'; query.credential_sets[0].options === [['q0_sd'], ['q0_vc'], ['q0_ldp']]
 * ```
 */
export function createDcqlQuery(vacancy: Vacancy, options: CreateDcqlQueryOptions = {}): DcqlQueryJson {
  const parsed = parseVacancy(vacancy);
  const credentials: DcqlQueryJson['credentials'][number][] = [];
  const sets: NonNullable<DcqlQueryJson['credential_sets']>[number][] = [];
  parsed.requirements.forEach((requirement, i) => {
    const dated = requirement.maxAgeMonths !== undefined;
    credentials.push({
      id: `q${i}_sd`,
      format: 'dc+sd-jwt',
      meta: { vct_values: [SKILL_SD_JWT_VCT] },
      claims: [
        { path: [...SD_JWT_SKILL_PATH], values: [requirement.uri] },
        { path: ['skill', 'level'] },
        ...(dated ? [{ path: ['evidence', null, 'assessedOn'] }] : []),
      ],
    });
    credentials.push({
      id: `q${i}_vc`,
      format: 'jwt_vc_json',
      meta: { type_values: OB_TYPE_VALUES },
      claims: [{ path: [...W3C_SKILL_PATH], values: [requirement.uri] }],
    });
    credentials.push({
      id: `q${i}_ldp`,
      format: 'ldp_vc',
      meta: { type_values: OB_TYPE_VALUES },
      claims: [{ path: [...W3C_SKILL_PATH], values: [requirement.uri] }],
    });
    sets.push({
      options: [[`q${i}_sd`], [`q${i}_vc`], [`q${i}_ldp`]],
      required: options.strict === true && requirement.importance === 'required',
      purpose: `${requirement.name} (${requirement.importance}${requirement.minLevel !== undefined ? `, level ${requirement.minLevel} or higher` : ''})`,
    });
  });
  const asked = new Set(parsed.requirements.map((r) => r.uri));
  const relevant = (options.qualifications?.document.qualifications ?? [])
    .filter((q) => q.skills.some((skill) => asked.has(skill.uri)))
    .slice(0, MAX_DCQL_QUALIFICATIONS);
  relevant.forEach((qualification, j) => {
    credentials.push({
      id: `d${j}_sd`,
      format: 'dc+sd-jwt',
      meta: { vct_values: [SKILL_SD_JWT_VCT] },
      claims: [{ path: [...SD_JWT_SKILL_PATH], values: [qualification.id] }, { path: ['skill', 'level'] }],
    });
    credentials.push({
      id: `d${j}_vc`,
      format: 'jwt_vc_json',
      meta: { type_values: OB_TYPE_VALUES },
      claims: [{ path: [...W3C_SKILL_PATH], values: [qualification.id] }],
    });
    credentials.push({
      id: `d${j}_ldp`,
      format: 'ldp_vc',
      meta: { type_values: OB_TYPE_VALUES },
      claims: [{ path: [...W3C_SKILL_PATH], values: [qualification.id] }],
    });
    const certifies = qualification.skills.filter((skill) => asked.has(skill.uri)).map((skill) => skill.name);
    sets.push({
      options: [[`d${j}_sd`], [`d${j}_vc`], [`d${j}_ldp`]],
      required: false,
      purpose: `diploma ${qualification.name} (certifies ${certifies.join(', ')})`,
    });
  });
  const query: DcqlQueryJson = {
    credentials: credentials as DcqlQueryJson['credentials'],
    credential_sets: sets as DcqlQueryJson['credential_sets'],
  };
  try {
    DcqlQuery.validate(DcqlQuery.parse(query));
  } catch (err) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the vacancy gives no valid DCQL query', { cause: err });
  }
  return query;
}
