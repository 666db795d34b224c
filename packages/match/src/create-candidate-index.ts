import { CandidateIndexData } from './internal/candidate-index.js';
import type { CandidateSummary } from './types.js';

/**
 * An inverted index of a candidate pool by skill concept URI, built by
 * {@link createCandidateIndex} and reusable across vacancies.
 */
export interface CandidateIndex {
  /** Candidates indexed. */
  readonly size: number;
  /** Distinct concept URIs indexed. */
  readonly concepts: number;
}

/**
 * Index a candidate pool by skill URI, once, so that ranking reads only the candidates holding
 * a requirement's skill (or a crosswalk equivalent) instead of scanning every passport for every
 * requirement. Building costs about as much as one naive scan; reuse the index across vacancies.
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID when a summary is malformed or an id repeats
 * (problems' `path` point into the pool array).
 *
 * @example
 * ```ts
 * const index = createCandidateIndex(pool);
 * const first = rankCandidates(cncVacancy, index, { top: 20 });
 * const second = rankCandidates(welderVacancy, index, { top: 20 });
 * ```
 */
export function createCandidateIndex(pool: readonly CandidateSummary[]): CandidateIndex {
  return new CandidateIndexData(pool);
}
