import {
  type CredentialReport,
  type ErrorCode,
  PROFICIENCY_LEVELS,
  PROFICIENCY_SCALE_ID,
  type SkillFact,
  skillKindOf,
  type VerificationReport,
} from '@skillpass/core';
import type { QualificationMap } from '../types.js';
import { dayNumber } from './dates.js';
import type { HeldEntry } from './evaluate.js';
import { codeOfTier, tierJudged } from './tiers.js';

/** A credential whose skill could be read but which does not count. */
interface FailedEntry {
  uris: readonly string[];
  credentialIndex: number;
  codes: ErrorCode[];
}

/** The credentials of a report split into verified skills and failed ones. */
export interface SortedCredentials {
  held: HeldEntry[];
  failed: FailedEntry[];
  /** False when some verified credential's tier was not judged (no trust registry). */
  tiersJudged: boolean;
}

/**
 * Split a report's credentials. A credential counts only when it verified *and* it sits in a
 * passport whose presentation checks all passed: a passport replayed to the wrong audience, or
 * signed by someone else, vouches for nothing it carries, and a credential shown on its own
 * (a report of kind `credential`) proves nothing about who shows it — anyone can copy another
 * worker's credential — so it fails with ERR_HOLDER_MISMATCH. Credentials whose skill cannot
 * be read are left out (nothing says which requirement they would concern).
 */
export function sortCredentials(
  report: VerificationReport,
  qualifications?: QualificationMap,
): SortedCredentials {
  // A passport with no presentation checks at all has had nothing bind it to its holder either.
  const bound = report.kind === 'passport' && report.checks.length > 0;
  const presentationCodes: ErrorCode[] = bound
    ? unique(report.checks.filter((c) => !c.ok && c.code !== undefined).map((c) => c.code as ErrorCode))
    : ['ERR_HOLDER_MISMATCH'];
  const presentationOk = bound && report.checks.every((c) => c.ok);
  const held: HeldEntry[] = [];
  const failed: FailedEntry[] = [];
  let tiersJudged = true;
  for (const credential of report.credentials) {
    const skill = credential.skill;
    if (skill === null) continue;
    if (credential.verified && presentationOk) {
      const entry = heldEntry(credential, skill);
      if (entry.tier === undefined) tiersJudged = false;
      if (entry.uris.length > 0) held.push(entry);
      if (qualifications !== undefined) held.push(...qualifiedEntries(entry, skill, qualifications));
      // Alignments outside the issuer's accreditation never count: a requirement only they
      // would meet is `unverified`, with the reason.
      const excluded = credential.excludedAlignments ?? [];
      if (excluded.length > 0) {
        failed.push({
          uris: unique(excluded.map((a) => a.uri)),
          credentialIndex: credential.index,
          codes: unique(excluded.map((a) => a.code)),
        });
      }
    } else {
      failed.push({
        uris: urisOf(skill),
        credentialIndex: credential.index,
        codes: unique([...credentialCodes(credential), ...presentationCodes]),
      });
    }
  }
  return { held, failed, tiersJudged };
}

/**
 * The skills a verified diploma meets through the qualification map: one entry per skill of
 * each qualification it is aligned to (by an alignment that counts: its URI, or its code), at
 * the map's level, the diploma's tier and the diploma's date. Nothing else: a diploma never
 * meets a skill its qualification does not list.
 */
function qualifiedEntries(diploma: HeldEntry, skill: SkillFact, map: QualificationMap): HeldEntry[] {
  // A qualification credential (Diploma, Certificate, Certification): its skills come from the map.
  if (skillKindOf(skill) !== 'qualification') return [];
  const counted = new Set(diploma.uris);
  const entries: HeldEntry[] = [];
  const seen = new Set<string>();
  for (const alignment of skill.alignments) {
    if (!counted.has(alignment.uri)) continue;
    for (const id of alignment.code === undefined ? [alignment.uri] : [alignment.uri, alignment.code]) {
      const qualification = map.qualificationOf(id);
      if (qualification === undefined || seen.has(qualification.id)) continue;
      seen.add(qualification.id);
      for (const s of qualification.skills) {
        const entry: HeldEntry = {
          uris: [s.uri],
          name: s.name,
          level: s.level,
          day: diploma.day,
          tierCode: diploma.tierCode,
          via: 'qualification',
          qualification: { id: qualification.id, name: qualification.name },
        };
        if (diploma.tier !== undefined) entry.tier = diploma.tier;
        if (diploma.assessedOn !== undefined) entry.assessedOn = diploma.assessedOn;
        if (diploma.credentialIndex !== undefined) entry.credentialIndex = diploma.credentialIndex;
        if (diploma.credentialId !== undefined) entry.credentialId = diploma.credentialId;
        entries.push(entry);
      }
    }
  }
  return entries;
}

function heldEntry(credential: CredentialReport, skill: SkillFact): HeldEntry {
  // An SD-JWT holder may withhold the evidence date; its issuance date says nothing about when
  // the skill was shown, so the age is unknown. A VC without evidence dates is judged by its
  // issuance date, the best sign left of when the skill was shown.
  const undisclosed = skill.assessedOnWithheld === true && skill.assessedOn === undefined;
  const assessedOn = undisclosed ? undefined : (skill.assessedOn ?? credential.validFrom?.slice(0, 10));
  const level = proficiencyLevel(skill);
  const judged = tierJudged(credential);
  const entry: HeldEntry = {
    uris: countedUris(credential, skill),
    name: skill.name,
    level,
    day: dayNumber(assessedOn),
    tierCode: codeOfTier(judged ? credential.tier : undefined),
    via: 'skill',
    credentialIndex: credential.index,
    credentialId: credential.id,
  };
  if (judged) entry.tier = credential.tier;
  if (assessedOn !== undefined) entry.assessedOn = assessedOn;
  if (undisclosed) entry.assessedOnUndisclosed = true;
  if (level === 0 && skill.level !== null) {
    entry.levelOnOtherScale = { level: skill.level, scale: skill.levelScale ?? null };
  }
  if (skill.level === null) entry.levelNotShown = true;
  return entry;
}

/**
 * The level on the skillpass proficiency scale (the scale of a vacancy's `minLevel`), or 0 =
 * unknown. A level on any other rubric (e.g. EQF 6) cannot be compared with it and counts as
 * no level at all.
 */
function proficiencyLevel(skill: SkillFact): number {
  const level = skill.level;
  if (level === null || skill.levelScale !== PROFICIENCY_SCALE_ID) return 0;
  return Number.isInteger(level) && level >= 1 && level <= PROFICIENCY_LEVELS.length ? level : 0;
}

function credentialCodes(credential: CredentialReport): ErrorCode[] {
  const codes = credential.problems.map((p) => p.code);
  for (const c of credential.checks) if (!c.ok && c.code !== undefined) codes.push(c.code);
  return codes;
}

/** The concepts that count: every alignment but those the trust check excluded. */
function countedUris(credential: CredentialReport, skill: SkillFact): string[] {
  const excluded = credential.excludedAlignments;
  if (excluded === undefined || excluded.length === 0) return urisOf(skill);
  const out = new Set(excluded.map((a) => a.uri));
  return urisOf(skill).filter((uri) => !out.has(uri));
}

/** The primary concept and every alignment, once each. */
function urisOf(skill: SkillFact): string[] {
  return unique([skill.uri, ...skill.alignments.map((a) => a.uri)]);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
