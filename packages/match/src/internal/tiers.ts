import type { CredentialReport, EvidenceTier } from '@skillpass/core';
import type { AcceptedTier, Importance } from '../types.js';

/** Tier codes as the evaluator and the ranking index store them: higher is stronger. */
export const TIER_CODE: Readonly<Record<EvidenceTier, number>> = {
  unknown: 0,
  self: 1,
  employer: 2,
  accredited: 3,
};

/** The code of evidence whose tier was not judged (no registry): it passes every `minTier`. */
const NOT_JUDGED = 4;

/** The code of a summary's or report's tier; absent means not judged. */
export function codeOfTier(tier: EvidenceTier | undefined): number {
  if (tier === undefined) return NOT_JUDGED;
  return TIER_CODE[tier] ?? TIER_CODE.unknown;
}

/**
 * A requirement's weakest accepted tier: its own `minTier`, else `accredited` for a required
 * skill and `employer` for a nice-to-have (docs/matching.md says why).
 */
export function requiredTierOf(importance: Importance, minTier: AcceptedTier | undefined): AcceptedTier {
  return minTier ?? (importance === 'required' ? 'accredited' : 'employer');
}

/**
 * Whether a credential's tier was judged: its trust check ran (a registry was configured), or it
 * is a `self` claim, recognisable without one. A report without a trust check judged nothing.
 */
export function tierJudged(credential: CredentialReport): boolean {
  if (credential.tier === 'self') return true;
  const trust = credential.checks.find((c) => c.name === 'trust');
  return trust !== undefined && trust.skipped !== true;
}
