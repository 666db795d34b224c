/**
 * Caps on matching input, checked before any work starts (ERR_INPUT_TOO_LARGE). Each keeps the
 * work of its operation near-linear and under a second at the largest accepted size (measured
 * by `pnpm bench hostile-inputs`). The JSON schemas carry the same numbers as `maxItems`.
 */
export const MATCH_LIMITS = Object.freeze({
  /** Relations in a crosswalk: `narrower` relations plus concepts listed in `exactMatch` groups. */
  crosswalkRelations: 20_000,
  /**
   * Longest route a crosswalk can produce, in steps between concepts. Routes are explained in
   * full, so a chain of ten thousand `narrower` relations is refused rather than walked.
   */
  crosswalkDepth: 64,
  /** Requirements of one vacancy. */
  requirements: 200,
  /** Modules of one training catalogue. */
  catalogueModules: 5_000,
  /** Modules a module needs first, transitively (its prerequisites, theirs, and so on). */
  prerequisiteClosure: 64,
});
