import { type Problem, problem, SkillpassError, validateSchema } from '@skillpass/core';
import { MATCH_LIMITS } from '../limits.js';
import type { AcceptedTier, Crosswalk, CrosswalkRoute, Importance, Vacancy } from '../types.js';
import { cutoffDay, formatDay } from './dates.js';
import { requiredTierOf, TIER_CODE } from './tiers.js';

/** A requirement ready for fast evaluation. */
export interface PreparedRequirement {
  uri: string;
  name: string;
  importance: Importance;
  weight: number;
  /** 0 when any level is enough. */
  minLevel: number;
  maxAgeMonths: number | null;
  /** Oldest fresh day, or null when age does not matter. */
  cutoff: number | null;
  /** What this requirement's credit is multiplied by to give its points. */
  coefficient: number;
  /** The weakest tier accepted (minTier or its default) and its code. */
  requiredTier: AcceptedTier;
  minTierCode: number;
  /** Concepts that satisfy it: the requirement's own URI (route null) and crosswalk routes. */
  satisfiers: Satisfiers;
}

/** The concepts that satisfy a requirement, read in place from the crosswalk (never copied). */
interface Satisfiers {
  /** null for the requirement's own URI, the route for a crosswalk concept, else undefined. */
  get(uri: string): CrosswalkRoute | null | undefined;
  has(uri: string): boolean;
  /** How many concepts satisfy it (its own URI included). */
  readonly size: number;
  /** The requirement's own URI first, then the crosswalk's. */
  keys(): Iterable<string>;
}

const NO_ROUTES: ReadonlyMap<string, CrosswalkRoute> = new Map();

function satisfiersOf(uri: string, crosswalk: Crosswalk | undefined): Satisfiers {
  const routes = crosswalk?.satisfiersOf(uri) ?? NO_ROUTES;
  return {
    get: (other) => (other === uri ? null : routes.get(other)),
    has: (other) => other === uri || routes.has(other),
    size: routes.size + (routes.has(uri) ? 0 : 1),
    *keys() {
      yield uri;
      for (const other of routes.keys()) if (other !== uri) yield other;
    },
  };
}

/** A validated vacancy with its requirements prepared. */
export interface PreparedVacancy {
  vacancy: Vacancy;
  requirements: PreparedRequirement[];
  requiredWeight: number;
  niceWeight: number;
}

/**
 * Validate a vacancy against schemas/vacancy.schema.json and the rules a schema cannot say
 * (each skill asked for once).
 *
 * @throws SkillpassError ERR_INPUT_TOO_LARGE (before any other work) for more than
 *   `MATCH_LIMITS.requirements` requirements; ERR_SCHEMA_INVALID whose problems' `path` names the field.
 */
export function checkVacancy(data: unknown): Vacancy {
  const requirements = (data as { requirements?: unknown } | null)?.requirements;
  if (Array.isArray(requirements) && requirements.length > MATCH_LIMITS.requirements) {
    const message = `vacancy has ${requirements.length} requirements (at most ${MATCH_LIMITS.requirements})`;
    throw new SkillpassError('ERR_INPUT_TOO_LARGE', message, {
      problems: [problem('ERR_INPUT_TOO_LARGE', message, '/requirements')],
    });
  }
  const problems = validateSchema('vacancy', data);
  if (problems.length === 0) problems.push(...duplicateUris(data as Vacancy));
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'vacancy does not match its schema', { problems });
  }
  return data as Vacancy;
}

function duplicateUris(vacancy: Vacancy): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  vacancy.requirements.forEach((r, i) => {
    if (seen.has(r.uri)) {
      problems.push(
        problem('ERR_SCHEMA_INVALID', `skill ${r.uri} is required twice`, `/requirements/${i}/uri`),
      );
    }
    seen.add(r.uri);
  });
  return problems;
}

/** Validate `now` (a programmer's option). */
export function checkNow(now: Date | undefined): Date {
  const value = now ?? new Date();
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'now must be a valid Date');
  }
  return value;
}

/** Validate a vacancy and prepare its requirements for evaluation at `now`. */
export function prepareVacancy(data: unknown, now: Date, crosswalk: Crosswalk | undefined): PreparedVacancy {
  const vacancy = checkVacancy(data);
  let requiredWeight = 0;
  let lightestRequired = Number.POSITIVE_INFINITY;
  let niceWeight = 0;
  for (const r of vacancy.requirements) {
    const weight = r.weight ?? 1;
    if (r.importance === 'required') {
      requiredWeight += weight;
      lightestRequired = Math.min(lightestRequired, weight);
    } else niceWeight += weight;
  }
  const requiredShare = 1 - niceShareOf(requiredWeight, lightestRequired, niceWeight);
  const requirements = vacancy.requirements.map((r): PreparedRequirement => {
    const weight = r.weight ?? 1;
    const coefficient =
      r.importance === 'required'
        ? (requiredShare * weight) / requiredWeight
        : ((1 - requiredShare) * weight) / niceWeight;
    const requiredTier = requiredTierOf(r.importance, r.minTier);
    return {
      uri: r.uri,
      name: r.name,
      importance: r.importance,
      weight,
      minLevel: r.minLevel ?? 0,
      maxAgeMonths: r.maxAgeMonths ?? null,
      cutoff: r.maxAgeMonths === undefined ? null : cutoffDay(now, r.maxAgeMonths),
      coefficient,
      requiredTier,
      minTierCode: TIER_CODE[requiredTier],
      satisfiers: satisfiersOf(r.uri, crosswalk),
    };
  });
  return { vacancy, requirements, requiredWeight, niceWeight };
}

/**
 * The share of the score all nice-to-haves together carry: a quarter of the lightest required
 * requirement's coefficient c = (1 − N) × w_min / W, i.e. N = w_min / (4W + w_min) (at most 0.2,
 * reached with a single required requirement). Partial credit is at most ½ (stale), so meeting
 * one more required requirement adds at least c / 2 = 2N: more than every nice-to-have together,
 * with a margin of N that rounding cannot close. See docs/matching.md.
 */
function niceShareOf(requiredWeight: number, lightestRequired: number, niceWeight: number): number {
  if (niceWeight === 0) return 0;
  if (requiredWeight === 0) return 1;
  return lightestRequired / (4 * requiredWeight + lightestRequired);
}

/** The oldest accepted date of a prepared requirement, for explanations. */
export function oldestAccepted(r: PreparedRequirement): string | undefined {
  return r.cutoff === null ? undefined : formatDay(r.cutoff);
}
