import { type Problem, problem, SkillpassError } from '@skillpass/core';
import type { CandidateSummary } from '../types.js';
import { dayNumber, NO_DAY } from './dates.js';
import type { HeldEntry } from './evaluate.js';
import { codeOfTier, TIER_CODE } from './tiers.js';

/** Everyone holding one concept: parallel arrays, one slot per (candidate, skill). */
export interface Postings {
  /** Candidate ordinals (position in id order). */
  ord: Int32Array;
  /** Level held, 0 when none is stated. */
  level: Uint8Array;
  /** Day number of the assessment, NO_DAY when unknown. */
  day: Int32Array;
  /** Tier code (tiers.ts): 0 unknown … 3 accredited, 4 not judged. */
  tier: Uint8Array;
  /** True when no candidate appears twice (then a posting's credit is that candidate's best). */
  unique: boolean;
}

const MAX_PROBLEMS = 20;

/**
 * Per-candidate working arrays of one ranking call. Kept with the index and reused, because
 * allocating a few megabytes per call costs more than the ranking itself.
 */
export interface Scratch {
  score: Float64Array;
  best: Float64Array;
  touched: Int32Array;
  scored: Int32Array;
  isScored: Uint8Array;
}

/** The inverted index behind {@link createCandidateIndex}. */
export class CandidateIndexData {
  /** Candidates sorted by id (code-unit order), so ordinal order is the tie-break order. */
  readonly candidates: readonly CandidateSummary[];
  readonly postings: ReadonlyMap<string, Postings>;
  /** Ordinals of each holder with more than one summary (ascending): the people to rank once. */
  readonly sharedHolders: readonly (readonly number[])[];
  #scratch: Scratch | undefined;

  constructor(pool: readonly CandidateSummary[]) {
    const counts = checkPool(pool);
    const candidates = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const postings = new Map<string, Postings & { filled: number }>();
    for (const [uri, count] of counts) {
      postings.set(uri, {
        ord: new Int32Array(count),
        level: new Uint8Array(count),
        day: new Int32Array(count),
        tier: new Uint8Array(count),
        unique: true,
        filled: 0,
      });
    }
    for (let ord = 0; ord < candidates.length; ord++) {
      const skills = candidates[ord]!.skills;
      for (let j = 0; j < skills.length; j++) {
        const s = skills[j]!;
        const p = postings.get(s.uri)!;
        const at = p.filled++;
        // Ordinals arrive in increasing order, so a repeat is always the previous slot.
        if (at > 0 && p.ord[at - 1] === ord) p.unique = false;
        p.ord[at] = ord;
        p.level[at] = s.level ?? 0;
        p.day[at] = dayNumber(s.assessedOn);
        p.tier[at] = codeOfTier(s.tier);
      }
    }
    this.candidates = candidates;
    this.postings = postings;
    const byHolder = new Map<string, number[]>();
    for (let ord = 0; ord < candidates.length; ord++) {
      const holder = candidates[ord]!.holder;
      if (holder === undefined) continue;
      const ords = byHolder.get(holder);
      if (ords === undefined) byHolder.set(holder, [ord]);
      else ords.push(ord);
    }
    this.sharedHolders = [...byHolder.values()].filter((ords) => ords.length > 1);
  }

  /**
   * The working arrays, all zero, for one ranking call: the index's own set when free, else a
   * new one. Give them back zeroed with {@link releaseScratch}; a call that throws half-way
   * simply never gives its dirty set back.
   */
  takeScratch(): Scratch {
    const n = this.candidates.length;
    const scratch = this.#scratch ?? {
      score: new Float64Array(n),
      best: new Float64Array(n),
      touched: new Int32Array(n),
      scored: new Int32Array(n),
      isScored: new Uint8Array(n),
    };
    this.#scratch = undefined;
    return scratch;
  }

  /** Keep a zeroed set of working arrays for the next call. */
  releaseScratch(scratch: Scratch): void {
    this.#scratch = scratch;
  }

  get size(): number {
    return this.candidates.length;
  }

  get concepts(): number {
    return this.postings.size;
  }

  /** A candidate's skills as the evaluator sees them. */
  heldOf(ord: number): HeldEntry[] {
    return this.candidates[ord]!.skills.map((s) => {
      const entry: HeldEntry = {
        uris: [s.uri],
        level: s.level ?? 0,
        day: dayNumber(s.assessedOn),
        tierCode: codeOfTier(s.tier),
        via: s.via ?? 'skill',
      };
      if (s.tier !== undefined) entry.tier = s.tier;
      if (s.qualification !== undefined) entry.qualification = s.qualification;
      if (s.name !== undefined) entry.name = s.name;
      if (s.assessedOn !== undefined) entry.assessedOn = s.assessedOn;
      return entry;
    });
  }
}

/**
 * Reject a pool the index cannot represent faithfully (paths point into the pool array), and
 * count the postings of each concept on the way, so building needs no second counting pass.
 */
function checkPool(pool: readonly CandidateSummary[]): Map<string, number> {
  if (!Array.isArray(pool)) throw new SkillpassError('ERR_INVALID_OPTIONS', 'pool must be an array');
  const problems: Problem[] = [];
  const add = (message: string, path: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem('ERR_SCHEMA_INVALID', message, path));
  };
  const ids = new Set<string>();
  const counts = new Map<string, number>();
  // Typed as summaries, but arriving from JSON files: check every field at run time.
  const items = pool as readonly unknown[];
  for (let i = 0; i < items.length; i++) {
    const value = items[i];
    if (typeof value !== 'object' || value === null) {
      add('candidate must be an object', `/${i}`);
      continue;
    }
    const c = value as { id?: unknown; holder?: unknown; skills?: unknown };
    if (typeof c.id !== 'string' || c.id === '') add('id must be a non-empty string', `/${i}/id`);
    else if (ids.has(c.id)) add(`id ${c.id} is used twice`, `/${i}/id`);
    else ids.add(c.id);
    if (c.holder !== undefined && (typeof c.holder !== 'string' || c.holder === '')) {
      add('holder must be a non-empty string', `/${i}/holder`);
    }
    if (!Array.isArray(c.skills)) {
      add('skills must be an array', `/${i}/skills`);
      continue;
    }
    const skills = c.skills as unknown[];
    for (let j = 0; j < skills.length; j++) {
      const item = skills[j];
      if (typeof item !== 'object' || item === null) {
        add('skill must be an object', `/${i}/skills/${j}`);
        continue;
      }
      const s = item as {
        uri?: unknown;
        level?: unknown;
        assessedOn?: unknown;
        tier?: unknown;
        via?: unknown;
      };
      if (typeof s.uri !== 'string' || s.uri === '')
        add('uri must be a non-empty string', `/${i}/skills/${j}/uri`);
      else counts.set(s.uri, (counts.get(s.uri) ?? 0) + 1);
      const level = s.level;
      if (
        level !== null &&
        !(typeof level === 'number' && Number.isInteger(level) && level >= 1 && level <= 8)
      ) {
        add('level must be an integer 1-8 or null', `/${i}/skills/${j}/level`);
      }
      const date = s.assessedOn;
      if (
        date !== undefined &&
        !(typeof date === 'string' && date.length === 10 && dayNumber(date) !== NO_DAY)
      ) {
        add('assessedOn must be a date (YYYY-MM-DD)', `/${i}/skills/${j}/assessedOn`);
      }
      if (s.tier !== undefined && !(typeof s.tier === 'string' && Object.hasOwn(TIER_CODE, s.tier))) {
        add('tier must be accredited, employer, self or unknown', `/${i}/skills/${j}/tier`);
      }
      if (s.via !== undefined && s.via !== 'skill' && s.via !== 'qualification') {
        add('via must be skill or qualification', `/${i}/skills/${j}/via`);
      }
    }
  }
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'candidate pool is invalid', { problems });
  }
  return counts;
}
