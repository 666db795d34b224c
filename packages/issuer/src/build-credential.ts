import { createHash, randomUUID } from 'node:crypto';
import {
  type Alignment,
  type AssessmentMethod,
  type BitstringStatusListEntry,
  OB_V3_CONTEXT,
  PROFICIENCY_LEVELS,
  PROFICIENCY_SCALE_ID,
  SKILL_CREDENTIAL_SCHEMA_ID,
  type SkillAssessment,
  type SkillCredential,
  SkillpassError,
  VC_V2_CONTEXT,
  validateSchema,
} from '@skillpass/core';
import { assertIssuableAssessment } from './internal/assessment-dates.js';

/** Who signs: the assessment centre's DID and display name. */
export interface IssuerProfile {
  /** The issuer DID (did:web for production centres, did:key for tests). */
  did: string;
  /** Display name, e.g. `Metalektro Assessment Centre Eindhoven`. */
  name: string;
  /** Public web page of the centre. */
  url?: string;
}

/** Options of {@link buildSkillCredential}. */
export interface BuildCredentialOptions {
  issuer: IssuerProfile;
  /** The worker's DID (credentialSubject.id). */
  subject: string;
  /** Credential id; default a fresh `urn:uuid:`. */
  id?: string;
  /** Issuance time; default now. Becomes validFrom unless the assessment gives one. */
  now?: Date;
  /** Status list entries allocated by the issuer store. */
  status?: BitstringStatusListEntry | BitstringStatusListEntry[];
}

const METHOD_NAMES: Record<AssessmentMethod, string> = {
  'practical-exam': 'Practical exam',
  'workplace-observation': 'Observation at the workplace',
  portfolio: 'Portfolio review',
  'professional-discussion': 'Professional discussion',
  'written-test': 'Written test',
  simulation: 'Simulation',
  'recognition-of-prior-learning': 'Recognition of prior learning',
  'self-assessment': "The holder's own statement",
};

/** The taxonomy a concept URI belongs to, when it is one we know. */
export function frameworkOfUri(uri: string): string | undefined {
  if (uri.startsWith('http://data.europa.eu/esco/')) return 'ESCO';
  if (uri.includes('competentnl.nl/')) return 'CompetentNL';
  if (uri.startsWith('http://data.europa.eu/snb/eqf/')) return 'EQF';
  return undefined;
}

/** The URI of a proficiency level on the skillpass scale. */
function proficiencyLevelId(level: number): string {
  return `${PROFICIENCY_SCALE_ID}:level-${level}`;
}

/**
 * Turn an assessment into an unsigned skill credential (VC 2.0, Open Badges 3.0
 * OpenBadgeCredential). Throws ERR_SCHEMA_INVALID (with `problems` naming each field) when
 * the assessment is not valid against schemas/skill-assessment.schema.json, when `validUntil`
 * is not after `validFrom` (path `/validUntil`), or when an assessment is dated after the
 * issuance time (path `/evidence/<i>/assessedOn`).
 */
export function buildSkillCredential(
  assessment: SkillAssessment,
  options: BuildCredentialOptions,
): SkillCredential {
  const now = options.now ?? new Date();
  assertIssuableAssessment(assessment, now);
  const { skill, level } = assessment;
  const scale = PROFICIENCY_LEVELS.find((l) => l.level === level)!;
  const framework = skill.framework ?? frameworkOfUri(skill.uri);
  const alignment: Alignment[] = [
    alignmentTo(skill.uri, skill.name, framework, skill.code),
    ...(skill.alsoAlignedTo ?? []).map((a) =>
      alignmentTo(a.uri, a.name, a.framework ?? frameworkOfUri(a.uri)),
    ),
  ];
  const credential: SkillCredential = {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: options.id ?? `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: skill.name,
    issuer: {
      id: options.issuer.did,
      type: ['Profile'],
      name: options.issuer.name,
      ...(options.issuer.url !== undefined ? { url: options.issuer.url } : {}),
    },
    validFrom: assessment.validFrom ?? isoSeconds(now),
    ...(assessment.validUntil !== undefined ? { validUntil: assessment.validUntil } : {}),
    credentialSubject: {
      id: options.subject,
      type: ['AchievementSubject'],
      achievement: {
        id: achievementId(options.issuer.did, skill.uri),
        type: ['Achievement'],
        achievementType: skill.achievementType ?? 'Competency',
        name: skill.name,
        description: skill.description ?? `Able to ${skill.name}.`,
        criteria: {
          narrative:
            assessment.criteria ??
            `Showed "${skill.name}" at proficiency level ${level} (${scale.name}): ${scale.description}`,
        },
        alignment,
        resultDescription: [
          {
            id: PROFICIENCY_SCALE_ID,
            type: ['ResultDescription'],
            name: 'skillpass proficiency level',
            resultType: 'RubricCriterionLevel',
            rubricCriterionLevel: PROFICIENCY_LEVELS.map((l) => ({
              id: proficiencyLevelId(l.level),
              type: ['RubricCriterionLevel'],
              name: l.name,
              description: l.description,
              level: String(l.level),
            })),
          },
        ],
      },
      result: [
        {
          type: ['Result'],
          resultDescription: PROFICIENCY_SCALE_ID,
          achievedLevel: proficiencyLevelId(level),
        },
      ],
    },
    evidence: assessment.evidence.map((e) => ({
      ...(e.url !== undefined ? { id: e.url } : {}),
      type: ['Evidence'],
      name: e.name ?? METHOD_NAMES[e.method],
      ...(e.description !== undefined ? { description: e.description } : {}),
      genre: e.method,
      assessedOn: e.assessedOn,
      ...(e.assessor !== undefined ? { assessor: e.assessor } : {}),
      ...(e.score !== undefined ? { score: e.score } : {}),
    })),
    credentialSchema: [{ id: SKILL_CREDENTIAL_SCHEMA_ID, type: 'JsonSchema' }],
    ...(options.status !== undefined ? { credentialStatus: options.status } : {}),
  };
  const problems = validateSchema('skill-credential', credential);
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the credential would not be valid', { problems });
  }
  return credential;
}

function alignmentTo(uri: string, name: string, framework?: string, code?: string): Alignment {
  return {
    type: ['Alignment'],
    targetName: name,
    targetUrl: uri,
    ...(framework !== undefined ? { targetFramework: framework, targetType: `ext:${framework}Skill` } : {}),
    ...(code !== undefined ? { targetCode: code } : {}),
  };
}

/** A stable achievement id per issuer and skill, so the same skill is the same Achievement across credentials. */
function achievementId(issuer: string, skillUri: string): string {
  const h = createHash('sha256').update(`${issuer}\n${skillUri}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ISO 8601 date-time without milliseconds. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
