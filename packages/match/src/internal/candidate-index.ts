import { type Problem, problem, SkillpassError } from '@skillpass/core';
import type { CandidateSummary } from '../types.js';
import { dayNumber, NO_DAY } from './dates.js';
import type { HeldEntry } from './evaluate.js';

/** Everyone holding one concept: parallel arrays, one slot per (candidate, skill). */
export interface Postings {
  /** Candidate ordinals (position in id order). */
  ord: Int32Array;
  /** Level held, 0 when none is stated. */
  level: Uint8Array;
  /** Day number of the assessment, NO_DAY when unknown. */
  day: Int32Array;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_PROBLEMS = 20;

/** The inverted index behind {@link createCandidateIndex}. */
export class CandidateIndexData {
  /** Candidates sorted by id (code-unit order), so ordinal order is the tie-break order. */
  readonly candidates: readonly CandidateSummary[];
  readonly postings: ReadonlyMap<string, Postings>;

  constructor(pool: readonly CandidateSummary[]) {
    checkPool(pool);
    const candidates = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const counts = new Map<string, number>();
    for (const c of candidates) for (const s of c.skills) counts.set(s.uri, (counts.get(s.uri) ?? 0) + 1);
    const postings = new Map<string, Postings>();
    const fill = new Map<string, number>();
    for (const [uri, count] of counts) {
      postings.set(uri, {
        ord: new Int32Array(count),
        level: new Uint8Array(count),
        day: new Int32Array(count),
      });
      fill.set(uri, 0);
    }
    candidates.forEach((c, ord) => {
      for (const s of c.skills) {
        const p = postings.get(s.uri)!;
        const at = fill.get(s.uri)!;
        p.ord[at] = ord;
        p.level[at] = s.level ?? 0;
        p.day[at] = s.assessedOn === undefined ? NO_DAY : dayNumber(s.assessedOn);
        fill.set(s.uri, at + 1);
      }
    });
    this.candidates = candidates;
    this.postings = postings;
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
      const entry: HeldEntry = { uris: [s.uri], level: s.level ?? 0, day: dayNumber(s.assessedOn) };
      if (s.name !== undefined) entry.name = s.name;
      if (s.assessedOn !== undefined) entry.assessedOn = s.assessedOn;
      return entry;
    });
  }
}

/** True when a YYYY-MM-DD string names a real day (not 2026-02-30). */
function validDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}

/** Reject a pool the index cannot represent faithfully; paths point into the pool array. */
function checkPool(pool: readonly CandidateSummary[]): void {
  if (!Array.isArray(pool)) throw new SkillpassError('ERR_INVALID_OPTIONS', 'pool must be an array');
  const problems: Problem[] = [];
  const add = (message: string, path: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem('ERR_SCHEMA_INVALID', message, path));
  };
  const ids = new Set<string>();
  // Typed as summaries, but arriving from JSON files: check every field at run time.
  for (const [i, value] of (pool as readonly unknown[]).entries()) {
    if (typeof value !== 'object' || value === null) {
      add('candidate must be an object', `/${i}`);
      continue;
    }
    const c = value as { id?: unknown; skills?: unknown };
    if (typeof c.id !== 'string' || c.id === '') add('id must be a non-empty string', `/${i}/id`);
    else if (ids.has(c.id)) add(`id ${c.id} is used twice`, `/${i}/id`);
    else ids.add(c.id);
    if (!Array.isArray(c.skills)) {
      add('skills must be an array', `/${i}/skills`);
      continue;
    }
    for (const [j, item] of (c.skills as unknown[]).entries()) {
      const at = `/${i}/skills/${j}`;
      if (typeof item !== 'object' || item === null) {
        add('skill must be an object', at);
        continue;
      }
      const s = item as { uri?: unknown; level?: unknown; assessedOn?: unknown };
      if (typeof s.uri !== 'string' || s.uri === '') add('uri must be a non-empty string', `${at}/uri`);
      const level = s.level;
      if (
        level !== null &&
        !(typeof level === 'number' && Number.isInteger(level) && level >= 1 && level <= 8)
      ) {
        add('level must be an integer 1-8 or null', `${at}/level`);
      }
      const date = s.assessedOn;
      if (date !== undefined && !(typeof date === 'string' && DATE.test(date) && validDate(date))) {
        add('assessedOn must be a date (YYYY-MM-DD)', `${at}/assessedOn`);
      }
    }
  }
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'candidate pool is invalid', { problems });
  }
}
