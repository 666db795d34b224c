import {
  type CheckResult,
  type CredentialFormat,
  type CredentialReport,
  type EvidenceTier,
  PROFICIENCY_SCALE_ID,
  type ProblemCode,
  problemOf,
  type VerificationReport,
} from '@skillpass/core';

/** A credential in a hand-built report. */
export interface CredentialSpec {
  uri: string;
  name?: string;
  level?: number | null;
  assessedOn?: string;
  /** More concepts the credential is aligned to (after `uri`). */
  alsoAligned?: string[];
  /** Codes of failed checks; absent or empty = verified. */
  fails?: ProblemCode[];
  validFrom?: string;
  /** The scale of `level`; default the skillpass proficiency scale, null = none named. */
  levelScale?: string | null;
  /** Default `vc+jwt`. */
  format?: CredentialFormat;
  /**
   * The tier a trust check judged (then the report holds a passed trust check). Absent: no trust
   * check ran (no registry), tier `unknown`.
   */
  tier?: EvidenceTier;
  /** Further alignments the trust check excluded (outside the issuer's accreditation). */
  excluded?: string[];
  /** Achievement type, e.g. `Diploma`. */
  achievementType?: string;
  /** Issuer DID; default did:web:assessment.example. */
  issuer?: string;
}

/** A verification report as verifyPassport would produce it, for the given credentials. */
export function reportOf(
  specs: CredentialSpec[],
  options: { presentationFails?: ProblemCode; kind?: VerificationReport['kind'] } = {},
): VerificationReport {
  const credentials = specs.map((s, index): CredentialReport => {
    const fails = s.fails ?? [];
    const checks: CheckResult[] =
      fails.length === 0
        ? [{ name: 'signature', ok: true }]
        : fails.map((code) => ({ name: 'status', ok: false, code }));
    if (fails.length === 0)
      checks.push(
        s.tier === undefined
          ? { name: 'trust', ok: true, skipped: true, message: 'not checked: no trust registry configured' }
          : { name: 'trust', ok: true },
      );
    return {
      index,
      id: `urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      format: s.format ?? 'vc+jwt',
      verified: fails.length === 0,
      issuer: s.issuer ?? 'did:web:assessment.example',
      subject: 'did:key:z6MkWorker',
      skill: {
        uri: s.uri,
        name: s.name ?? s.uri.split('/').at(-1)!,
        level: s.level === undefined ? 3 : s.level,
        alignments: [s.uri, ...(s.alsoAligned ?? [])].map((uri) => ({ uri, name: uri })),
        ...(s.assessedOn === undefined ? {} : { assessedOn: s.assessedOn }),
        ...(s.levelScale === null ? {} : { levelScale: s.levelScale ?? PROFICIENCY_SCALE_ID }),
        // As the verifier's SD-JWT handler reports a withheld evidence date.
        ...(s.format === 'dc+sd-jwt' && s.assessedOn === undefined ? { assessedOnWithheld: true } : {}),
        ...(s.achievementType === undefined ? {} : { achievementType: s.achievementType }),
      },
      tier: fails.length === 0 ? (s.tier ?? 'unknown') : 'unknown',
      ...(s.excluded === undefined
        ? {}
        : {
            excludedAlignments: s.excluded.map((uri) => ({
              uri,
              code: 'ERR_NOT_ACCREDITED_FOR_SKILL' as const,
              message: 'outside the accreditation',
            })),
          }),
      validFrom: s.validFrom ?? '2026-01-01T00:00:00Z',
      validUntil: null,
      checks,
      problems: fails.map((code) => problemOf(code, code, 'claim-invalid', `/credentials/${index}`)),
    };
  });
  if (options.kind === 'credential') {
    // What verifyCredential returns: no presentation, hence no presentation checks.
    const credential = credentials[0]!;
    return {
      kind: 'credential',
      verified: credential.verified,
      format: credential.format,
      holder: null,
      verifiedAt: '2026-11-01T00:00:00Z',
      checks: [],
      problems: credential.problems,
      credentials: [credential],
    };
  }
  const presentationChecks: CheckResult[] =
    options.presentationFails === undefined
      ? [{ name: 'presentation', ok: true }]
      : [{ name: 'presentation', ok: false, code: options.presentationFails }];
  return {
    kind: 'passport',
    verified: options.presentationFails === undefined && credentials.every((c) => c.verified),
    format: 'vp+jwt',
    holder: 'did:key:z6MkWorker',
    verifiedAt: '2026-11-01T00:00:00Z',
    checks: presentationChecks,
    problems: [],
    credentials,
  };
}

/** Short ESCO-form and CompetentNL-form URIs for tests. */
export const esco = (id: string) => `http://data.europa.eu/esco/skill/${id}`;
export const cnl = (id: string) => `https://linkeddata.competentnl.nl/uwv/id/skill/${id}`;

/** A fixed evaluation time. */
export const NOW = new Date('2026-11-01T12:00:00Z');
