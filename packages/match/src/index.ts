export { compileCrosswalk } from './compile-crosswalk.js';
export type { CandidateIndex } from './create-candidate-index.js';
export { createCandidateIndex } from './create-candidate-index.js';
export { MATCH_LIMITS } from './limits.js';
export { matchPassport } from './match-passport.js';
export { parseVacancy } from './parse-vacancy.js';
export { parseTrainingCatalogue, planTraining } from './plan-training.js';
export { rankCandidates } from './rank-candidates.js';
export { summarisePassport } from './summarise-passport.js';
export type {
  CandidateSkill,
  CandidateSummary,
  Crosswalk,
  CrosswalkConcept,
  CrosswalkDocument,
  CrosswalkRoute,
  ExtraSkill,
  HeldSkill,
  Importance,
  MatchOptions,
  MatchOutcome,
  MatchResult,
  MatchScore,
  PlannedModule,
  PlanTrainingOptions,
  RankDuplicate,
  RankedCandidate,
  RankOptions,
  RankResult,
  Requirement,
  RequirementMatch,
  TrainingCatalogue,
  TrainingGap,
  TrainingModule,
  TrainingPlan,
  Vacancy,
} from './types.js';
