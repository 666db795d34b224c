import type { CredentialReport, ErrorCode, SkillFact, VerificationReport } from '@skillpass/core';
import { dayNumber } from './dates.js';
import type { HeldEntry } from './evaluate.js';

/** A credential whose skill could be read but which did not verify. */
export interface FailedEntry {
  uris: readonly string[];
  credentialIndex: number;
  codes: ErrorCode[];
}

/** The credentials of a report split into verified skills and failed ones. */
export interface SortedCredentials {
  held: HeldEntry[];
  failed: FailedEntry[];
}

/**
 * Split a report's credentials. A credential counts only when it verified *and* the
 * presentation around it did: a passport replayed to the wrong audience, or signed by
 * someone else, vouches for nothing it carries. Credentials whose skill cannot be read are
 * left out (nothing says which requirement they would concern).
 */
export function sortCredentials(report: VerificationReport): SortedCredentials {
  const presentationCodes = unique(
    report.checks.filter((c) => !c.ok && c.code !== undefined).map((c) => c.code as ErrorCode),
  );
  const presentationOk = report.checks.every((c) => c.ok);
  const held: HeldEntry[] = [];
  const failed: FailedEntry[] = [];
  for (const credential of report.credentials) {
    const skill = credential.skill;
    if (skill === null) continue;
    if (credential.verified && presentationOk) {
      held.push(heldEntry(credential, skill));
    } else {
      failed.push({
        uris: urisOf(skill),
        credentialIndex: credential.index,
        codes: unique([...credentialCodes(credential), ...presentationCodes]),
      });
    }
  }
  return { held, failed };
}

function heldEntry(credential: CredentialReport, skill: SkillFact): HeldEntry {
  // Without evidence dates the issuance date is the best sign of when the skill was shown.
  const assessedOn = skill.assessedOn ?? credential.validFrom?.slice(0, 10);
  const entry: HeldEntry = {
    uris: urisOf(skill),
    name: skill.name,
    level: skill.level ?? 0,
    day: dayNumber(assessedOn),
    credentialIndex: credential.index,
    credentialId: credential.id,
  };
  if (assessedOn !== undefined) entry.assessedOn = assessedOn;
  return entry;
}

function credentialCodes(credential: CredentialReport): ErrorCode[] {
  const codes = credential.problems.map((p) => p.code);
  for (const c of credential.checks) if (!c.ok && c.code !== undefined) codes.push(c.code);
  return codes;
}

/** The primary concept and every alignment, once each. */
export function urisOf(skill: SkillFact): string[] {
  return unique([skill.uri, ...skill.alignments.map((a) => a.uri)]);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
