import { SkillpassError } from '@skillpass/core';
import type { CandidateIndex } from './create-candidate-index.js';
import { accumulateScores } from './internal/accumulate.js';
import { CandidateIndexData } from './internal/candidate-index.js';
import { evaluateRequirement, scoreOf } from './internal/evaluate.js';
import { checkNow, prepareVacancy } from './internal/prepare-vacancy.js';
import { topK } from './internal/top-k.js';
import type { CandidateSummary, RankedCandidate, RankOptions, RankResult, Vacancy } from './types.js';

const DEFAULT_TOP = 10;

/**
 * Rank a pool of verified passport summaries against a vacancy and explain the best `top`.
 * Each holder is ranked once: of several summaries with the same `holder`, only the best
 * counts, and the others are listed in `duplicates`.
 *
 * Works from an inverted index by skill URI: for each requirement it reads only the postings
 * of the concepts that satisfy it (the URI itself and its crosswalk equivalents and narrower
 * skills), keeping per candidate the best credit, and adds the weighted credit to a score
 * array; a bounded heap then picks the top k. Scores are the same as {@link matchPassport}'s
 * for the same skills. Ties are broken by id ascending (code-unit order), so the order is total
 * and repeatable.
 *
 * @param pool - The summaries, or an index from {@link createCandidateIndex} (reuse it across
 *   vacancies; passing an array builds one per call).
 * @throws SkillpassError ERR_SCHEMA_INVALID for a bad vacancy or pool (problems name the
 *   field), ERR_INVALID_OPTIONS for bad options.
 *
 * @example
 * ```ts
 * const index = createCandidateIndex(pool);
 * const { candidates } = rankCandidates(vacancy, index, { top: 5, crosswalk });
 * for (const c of candidates) console.log(c.rank, c.id, c.score.toFixed(3));
 * ```
 */
export function rankCandidates(
  vacancy: Vacancy,
  pool: readonly CandidateSummary[] | CandidateIndex,
  options: RankOptions = {},
): RankResult {
  const top = options.top ?? DEFAULT_TOP;
  if (!Number.isInteger(top) || top < 1) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'top must be a positive integer');
  }
  const now = checkNow(options.now);
  const prepared = prepareVacancy(vacancy, now, options.crosswalk);
  let index: CandidateIndexData;
  if (pool instanceof CandidateIndexData) index = pool;
  else if (Array.isArray(pool)) index = new CandidateIndexData(pool);
  else
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'pool must be an array of summaries or a CandidateIndex');

  const n = index.size;
  const scratch = index.takeScratch();
  let scoredCount = accumulateScores(index, prepared.requirements, scratch);
  // Each holder once: only the best of their summaries (score, then smaller ordinal) is ranked.
  const duplicateOf = new Map<number, number>();
  for (const ords of index.sharedHolders) {
    let best = ords[0]!;
    for (const o of ords) if (scratch.score[o]! > scratch.score[best]!) best = o;
    for (const o of ords) if (o !== best) duplicateOf.set(o, best);
  }
  if (duplicateOf.size > 0) {
    let kept = 0;
    for (let t = 0; t < scoredCount; t++) {
      const o = scratch.scored[t]!;
      if (duplicateOf.has(o)) {
        scratch.score[o] = 0;
        scratch.isScored[o] = 0;
      } else scratch.scored[kept++] = o;
    }
    scoredCount = kept;
  }
  const distinct = n - duplicateOf.size;
  const k = Math.min(top, distinct);
  const chosen = topK(scratch.scored, scoredCount, scratch.score, k);
  // Everyone else scored 0: they follow in id order.
  for (let o = 0; chosen.length < k && o < n; o++) {
    if (scratch.isScored[o] === 0 && !duplicateOf.has(o)) chosen.push(o);
  }
  for (let t = 0; t < scoredCount; t++) {
    scratch.score[scratch.scored[t]!] = 0;
    scratch.isScored[scratch.scored[t]!] = 0;
  }
  index.releaseScratch(scratch);

  const candidates = chosen.map((o, i): RankedCandidate => {
    const held = index.heldOf(o);
    const requirements = prepared.requirements.map((r) => evaluateRequirement(r, held));
    return { rank: i + 1, id: index.candidates[o]!.id, ...scoreOf(prepared, requirements) };
  });
  const v = prepared.vacancy;
  return {
    vacancy: v.id === undefined ? { title: v.title } : { id: v.id, title: v.title },
    evaluatedAt: now.toISOString(),
    poolSize: distinct,
    candidates,
    duplicates: [...duplicateOf]
      .sort(([a], [b]) => a - b)
      .map(([o, best]) => ({
        id: index.candidates[o]!.id,
        holder: index.candidates[o]!.holder!,
        duplicateOf: index.candidates[best]!.id,
      })),
  };
}
