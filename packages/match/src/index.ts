export { compileCrosswalk } from './compile-crosswalk.js';
export type { CandidateIndex } from './create-candidate-index.js';
export { createCandidateIndex } from './create-candidate-index.js';
export { MATCH_LIMITS } from './limits.js';
export { matchPassport } from './match-passport.js';
export { parseQualificationMap } from './parse-qualification-map.js';
export { parseVacancy } from './parse-vacancy.js';
export { parseTrainingCatalogue, planTraining } from './plan-training.js';
export { rankCandidates } from './rank-candidates.js';
export { summarisePassport } from './summarise-passport.js';
export type {
  AcceptedTier,
  CandidateSkill,
  CandidateSummary,
  Crosswalk,
  CrosswalkConcept,
  CrosswalkDocument,
  CrosswalkRoute,
  EvidenceRoute,
  ExtraSkill,
  GapAction,
  HeldSkill,
  Importance,
  MatchOptions,
  MatchOutcome,
  MatchResult,
  MatchScore,
  PlannedModule,
  PlanTrainingOptions,
  Qualification,
  QualificationMap,
  QualificationMapDocument,
  QualifiedSkill,
  RankDuplicate,
  RankedCandidate,
  RankOptions,
  RankResult,
  Requirement,
  RequirementMatch,
  SummariseOptions,
  TrainingCatalogue,
  TrainingGap,
  TrainingModule,
  TrainingPlan,
  Vacancy,
} from './types.js';
