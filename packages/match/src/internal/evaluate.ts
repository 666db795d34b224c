import type { EvidenceTier } from '@skillpass/core';
import type {
  CrosswalkRoute,
  EvidenceRoute,
  HeldSkill,
  MatchOutcome,
  MatchScore,
  RequirementMatch,
} from '../types.js';
import { NO_DAY } from './dates.js';
import { oldestAccepted, type PreparedRequirement, type PreparedVacancy } from './prepare-vacancy.js';

/** A verified skill as the evaluator sees it. */
export interface HeldEntry {
  /** Every concept the credential is aligned to (primary first). */
  uris: readonly string[];
  name?: string;
  /** Level on the skillpass proficiency scale; 0 when the credential states none on it. */
  level: number;
  /** Day number of the latest assessment, NO_DAY when unknown. */
  day: number;
  assessedOn?: string;
  /** An SD-JWT credential whose holder withheld the assessment date. */
  assessedOnUndisclosed?: boolean;
  /** The level the credential states on another scale (then `level` is 0). */
  levelOnOtherScale?: { level: number; scale: string | null };
  /** The credential shows no level that can be read (then `level` is 0). */
  levelNotShown?: boolean;
  /** The tier's code (tiers.ts), NOT_JUDGED when no trust registry judged it. */
  tierCode: number;
  /** The tier, when judged. */
  tier?: EvidenceTier;
  /** A skill credential itself, or a diploma through the qualification map. */
  via: EvidenceRoute;
  qualification?: { id: string; name: string };
  credentialIndex?: number;
  credentialId?: string | null;
}

/**
 * Credit of one held skill against a requirement: 1 when met, 0.5 when the level is enough
 * but the evidence is stale, 0.5 × held/required when the level is too low. The one place
 * the credit rule lives: the ranking index calls it on raw typed-array values.
 */
export function creditOf(r: PreparedRequirement, level: number, day: number): number {
  if (r.minLevel === 0 || level >= r.minLevel) return r.cutoff === null || day >= r.cutoff ? 1 : 0.5;
  return (0.5 * level) / r.minLevel;
}

function outcomeOf(r: PreparedRequirement, level: number, day: number): MatchOutcome {
  if (r.minLevel !== 0 && level < r.minLevel) return 'below-level';
  return r.cutoff === null || day >= r.cutoff ? 'met' : 'stale';
}

interface Candidate {
  entry: HeldEntry;
  uri: string;
  route: CrosswalkRoute | null;
  credit: number;
}

/** The route by which a held skill satisfies a requirement: direct (null) first, else the shortest. */
function bestRoute(
  r: PreparedRequirement,
  entry: HeldEntry,
): { uri: string; route: CrosswalkRoute | null } | null {
  let best: { uri: string; route: CrosswalkRoute | null } | null = null;
  for (const uri of entry.uris) {
    const route = r.satisfiers.get(uri);
    if (route === undefined) continue;
    if (route === null) return { uri, route };
    if (best === null || (best.route !== null && rankRoute(route) < rankRoute(best.route)))
      best = { uri, route };
  }
  return best;
}

function rankRoute(route: CrosswalkRoute): number {
  return (route.relation === 'exactMatch' ? 0 : 1000) + route.path.length;
}

/** True when `a` explains a requirement better than `b` (ties broken deterministically). */
function better(a: Candidate, b: Candidate): boolean {
  if (a.credit !== b.credit) return a.credit > b.credit;
  if ((a.route === null) !== (b.route === null)) return a.route === null;
  if (a.entry.level !== b.entry.level) return a.entry.level > b.entry.level;
  if (a.entry.day !== b.entry.day) return a.entry.day > b.entry.day;
  return false;
}

/** Does any held entry satisfy `r` (at any level)? */
export function satisfiesAny(r: PreparedRequirement, entry: HeldEntry): boolean {
  return entry.uris.some((uri) => r.satisfiers.has(uri));
}

/**
 * Evaluate one requirement against the verified skills; `missing` when none applies. Only
 * evidence at or above the requirement's tier counts (evidence whose tier was not judged always
 * does); a requirement held only below it is `insufficient-evidence`, with no credit.
 */
export function evaluateRequirement(r: PreparedRequirement, held: readonly HeldEntry[]): RequirementMatch {
  let best: Candidate | null = null;
  let weak: Candidate | null = null;
  for (const entry of held) {
    const found = bestRoute(r, entry);
    if (found === null) continue;
    const candidate: Candidate = { entry, ...found, credit: creditOf(r, entry.level, entry.day) };
    if (entry.tierCode >= r.minTierCode) {
      if (best === null || better(candidate, best)) best = candidate;
    } else if (weak === null || strongerWeak(candidate, weak)) weak = candidate;
  }
  const base: RequirementMatch = {
    uri: r.uri,
    name: r.name,
    importance: r.importance,
    weight: r.weight,
    requiredLevel: r.minLevel === 0 ? null : r.minLevel,
    maxAgeMonths: r.maxAgeMonths,
    outcome: 'missing',
    requiredTier: r.requiredTier,
    credit: 0,
    points: 0,
  };
  const oldest = oldestAccepted(r);
  if (oldest !== undefined) base.oldestAccepted = oldest;
  const chosen = best ?? weak;
  if (chosen === null) return base;
  const { entry } = chosen;
  const heldSkill: HeldSkill = {
    uri: chosen.uri,
    level: entry.level === 0 ? null : entry.level,
    via: entry.via,
  };
  if (entry.name !== undefined) heldSkill.name = entry.name;
  if (entry.assessedOn !== undefined && entry.day !== NO_DAY) heldSkill.assessedOn = entry.assessedOn;
  if (entry.tier !== undefined) heldSkill.tier = entry.tier;
  if (entry.qualification !== undefined) heldSkill.qualification = entry.qualification;
  if (entry.credentialIndex !== undefined) heldSkill.credentialIndex = entry.credentialIndex;
  if (entry.credentialId !== undefined) heldSkill.credentialId = entry.credentialId;
  if (entry.assessedOnUndisclosed === true) heldSkill.assessedOnUndisclosed = true;
  if (entry.levelOnOtherScale !== undefined) heldSkill.levelOnOtherScale = entry.levelOnOtherScale;
  if (entry.levelNotShown === true) heldSkill.levelNotShown = true;
  base.held = heldSkill;
  if (entry.tier !== undefined) base.tier = entry.tier;
  base.via = entry.via;
  if (chosen.route !== null) base.viaCrosswalk = chosen.route;
  if (best === null) {
    base.outcome = 'insufficient-evidence';
    return base;
  }
  base.outcome = outcomeOf(r, entry.level, entry.day);
  base.credit = best.credit;
  base.points = r.coefficient * best.credit;
  return base;
}

/** Among evidence below the required tier: the strongest tier first, then as {@link better}. */
function strongerWeak(a: Candidate, b: Candidate): boolean {
  if (a.entry.tierCode !== b.entry.tierCode) return a.entry.tierCode > b.entry.tierCode;
  return better(a, b);
}

/**
 * Score requirement outcomes. The sum runs in requirement order, exactly as the ranking
 * index accumulates it, so both give bit-identical scores.
 */
export function scoreOf(prepared: PreparedVacancy, requirements: RequirementMatch[]): MatchScore {
  let score = 0;
  let required = 0;
  let nice = 0;
  prepared.requirements.forEach((r, i) => {
    const credit = requirements[i]!.credit;
    score += r.coefficient * credit;
    if (r.importance === 'required') required += r.weight * credit;
    else nice += r.weight * credit;
  });
  return {
    score: clampScore(score),
    requiredCoverage: prepared.requiredWeight === 0 ? null : Math.min(1, required / prepared.requiredWeight),
    niceToHaveCoverage: prepared.niceWeight === 0 ? null : Math.min(1, nice / prepared.niceWeight),
    allRequiredMet: requirements.every((m) => m.importance !== 'required' || m.outcome === 'met'),
    requirements,
  };
}

/** Rounding can push a sum of shares a hair above 1. */
export function clampScore(score: number): number {
  return Math.min(1, score);
}
