import type { ErrorCode, EvidenceTier } from '@skillpass/core';

/** The tiers a vacancy can ask for, strongest first (an `unknown` tier never meets a requirement). */
export type AcceptedTier = Exclude<EvidenceTier, 'unknown'>;

/** How held evidence reaches a requirement: a skill credential itself, or a diploma through a qualification map. */
export type EvidenceRoute = 'skill' | 'qualification';

/** Whether a requirement must be met or only counts in the candidate's favour. */
export type Importance = 'required' | 'nice-to-have';

/** One skill a vacancy asks for (schemas/vacancy.schema.json `#/$defs/requirement`). */
export interface Requirement {
  /** The skill as a taxonomy concept URI (ESCO, CompetentNL, ...). */
  uri: string;
  /** Readable name of the skill. */
  name: string;
  /** e.g. `ESCO`. */
  framework?: string;
  importance: Importance;
  /** Lowest acceptable level on the skillpass proficiency scale (1–5). Absent: any attestation is enough. */
  minLevel?: number;
  /** Relative weight among requirements of the same importance. Default 1. */
  weight?: number;
  /** Evidence (latest assessment date) older than this many months is stale. */
  maxAgeMonths?: number;
  /**
   * The weakest tier of evidence accepted. Default `accredited` for required skills, `employer`
   * for nice-to-haves (docs/matching.md). Not applied when tiers were not judged (no registry).
   */
  minTier?: AcceptedTier;
}

/** A vacancy as skill requirements (schemas/vacancy.schema.json). */
export interface Vacancy {
  id?: string;
  title: string;
  description?: string;
  employer?: string;
  /** The occupation, e.g. an ESCO occupation URI. */
  occupation?: { uri: string; name?: string; framework?: string };
  requirements: Requirement[];
}

/** A skill concept named in a crosswalk. */
export interface CrosswalkConcept {
  uri: string;
  name?: string;
  framework?: string;
}

/** A crosswalk between skill taxonomies (schemas/crosswalk.schema.json), before {@link compileCrosswalk}. */
export interface CrosswalkDocument {
  id?: string;
  title?: string;
  description?: string;
  /** Groups of concepts that mean the same skill (symmetric, transitive). */
  exactMatch?: { concepts: CrosswalkConcept[]; note?: string }[];
  /** Holding `narrower` satisfies a requirement for `broader` (transitive). */
  narrower?: { narrower: CrosswalkConcept; broader: CrosswalkConcept; note?: string }[];
}

/** How a held concept reaches a required one through the crosswalk. */
export interface CrosswalkRoute {
  /** `exactMatch` when every step is an equivalence; `narrower` when at least one step goes to a broader skill. */
  relation: 'exactMatch' | 'narrower';
  /** Concept URIs from the held skill to the required one, both included. */
  path: string[];
}

/**
 * A compiled crosswalk: answers "which concepts satisfy a requirement for this one" in
 * constant time after the first question per concept. Build with {@link compileCrosswalk}.
 */
export interface Crosswalk {
  /**
   * Every concept, other than `uri` itself, whose holder satisfies a requirement for `uri`,
   * with the shortest route (equivalence-only routes preferred).
   */
  satisfiersOf(uri: string): ReadonlyMap<string, CrosswalkRoute>;
}

/** The outcome of one requirement. See docs/matching.md. */
export type MatchOutcome =
  | 'met'
  | 'below-level'
  | 'stale'
  | 'insufficient-evidence'
  | 'unverified'
  | 'missing';

/** The verified skill a requirement outcome rests on. */
export interface HeldSkill {
  /** The concept the worker holds (the alignment that matched). */
  uri: string;
  name?: string;
  /**
   * Level held on the skillpass proficiency scale (1–5; a summary may carry up to 8), or null
   * when the credential states none on that scale.
   */
  level: number | null;
  /** Date of the latest assessment (YYYY-MM-DD), if known; for a diploma, its date. */
  assessedOn?: string;
  /** Who vouches for it; absent when tiers were not judged (no trust registry). */
  tier?: EvidenceTier;
  /** `qualification` when a diploma meets the skill through a qualification map. */
  via: EvidenceRoute;
  /** With `via: "qualification"`: the qualification (id as in the map) the diploma certifies. */
  qualification?: { id: string; name: string };
  /** Position of the credential in the passport (matchPassport only). */
  credentialIndex?: number;
  /** Credential id (matchPassport only). */
  credentialId?: string | null;
  /**
   * True for an SD-JWT credential whose holder did not disclose the assessment date: its age is
   * unknown, so it is `stale` against a `maxAgeMonths` (matchPassport only).
   */
  assessedOnUndisclosed?: true;
  /**
   * A level the credential states on a scale other than the skillpass proficiency scale (`scale`
   * the rubric id, null when none is named), e.g. EQF level 6. It is not compared with
   * `minLevel`: `level` is then null (matchPassport only).
   */
  levelOnOtherScale?: { level: number; scale: string | null };
  /**
   * True when the credential shows no level that can be read — an Open Badge outside the
   * skillpass profile, a credential with no result: the level is not shown, never guessed, so a
   * requirement with a minimum level is `below-level` (matchPassport only).
   */
  levelNotShown?: true;
}

/** How one requirement fares, and why. */
export interface RequirementMatch {
  uri: string;
  name: string;
  importance: Importance;
  weight: number;
  /** The requirement's minimum level, or null when any level is enough. */
  requiredLevel: number | null;
  maxAgeMonths: number | null;
  /** When `maxAgeMonths` is set: the oldest assessment date still accepted (YYYY-MM-DD). */
  oldestAccepted?: string;
  outcome: MatchOutcome;
  /**
   * The weakest tier accepted: the requirement's `minTier` or its default. Applied to evidence
   * whose tier was judged (see {@link MatchResult.tiersJudged}).
   */
  requiredTier: AcceptedTier;
  /** The tier of the evidence the outcome rests on (with `held`), absent when not judged. */
  tier?: EvidenceTier;
  /** How that evidence reaches the requirement (with `held`). */
  via?: EvidenceRoute;
  /** Credit in [0, 1]: met 1, stale 0.5, below-level 0.5 × held/required, otherwise 0 (also insufficient-evidence). */
  credit: number;
  /** What this requirement adds to the score (its coefficient × credit). */
  points: number;
  /**
   * The best verified skill found for it (met, stale, below-level); for insufficient-evidence,
   * the best one held at a tier below `requiredTier`.
   */
  held?: HeldSkill;
  /** Set when the held skill matched through the crosswalk rather than by the same URI. */
  viaCrosswalk?: CrosswalkRoute;
  /** `unverified` only: the codes of the failed credential(s) that claim this skill. */
  codes?: ErrorCode[];
  /** `unverified` only: positions of those credentials in the passport. */
  credentialIndexes?: number[];
}

/** A verified skill the vacancy did not ask for. */
export interface ExtraSkill {
  uri: string;
  name: string;
  /** Level on the skillpass proficiency scale, or null (see {@link HeldSkill.level}). */
  level: number | null;
  assessedOn?: string;
  credentialIndex: number;
  /** A level stated on another scale (see {@link HeldSkill.levelOnOtherScale}). */
  levelOnOtherScale?: { level: number; scale: string | null };
  /** Who vouches for it; absent when not judged. */
  tier?: EvidenceTier;
  /** `qualification` for a skill a diploma certifies through the qualification map. */
  via: EvidenceRoute;
  qualification?: { id: string; name: string };
}

/** The score and its parts, shared by {@link MatchResult} and {@link RankedCandidate}. */
export interface MatchScore {
  /**
   * Weighted coverage in [0, 1]. Required skills dominate: meeting one more required skill
   * always scores higher than meeting every nice-to-have. See docs/matching.md.
   */
  score: number;
  /** Weighted credit of the required requirements in [0, 1], or null when there are none. */
  requiredCoverage: number | null;
  /** Weighted credit of the nice-to-have requirements in [0, 1], or null when there are none. */
  niceToHaveCoverage: number | null;
  /** True when every required requirement is `met`. */
  allRequiredMet: boolean;
  /** One entry per requirement, in the vacancy's order. */
  requirements: RequirementMatch[];
}

/** What {@link matchPassport} returns. */
export interface MatchResult extends MatchScore {
  vacancy: { id?: string; title: string };
  /** The passport holder, from the report. */
  holder: string | null;
  /** The time freshness was judged at (ISO date-time). */
  evaluatedAt: string;
  /** How many requirements have each outcome. */
  counts: Record<MatchOutcome, number>;
  /** Verified skills that satisfy no requirement. */
  extraSkills: ExtraSkill[];
  /**
   * False when some verified credential's tier was not judged (no trust registry configured):
   * then `minTier` is not applied to it, and `note` says so. A `self` claim is always judged.
   */
  tiersJudged: boolean;
  /** Why tiers were not judged, when they were not. */
  note?: string;
}

/** Options of {@link matchPassport}. */
export interface MatchOptions {
  /** When evidence age is judged. Default now. */
  now?: Date;
  /** Equivalences and narrower-than relations between concepts. */
  crosswalk?: Crosswalk;
  /** Lets a verified diploma meet the skills its qualification certifies. */
  qualifications?: QualificationMap;
}

/** One skill a qualification certifies (schemas/qualification-map.schema.json). */
export interface QualifiedSkill {
  uri: string;
  name: string;
  framework?: string;
  /** Level on the skillpass proficiency scale (1–5) a holder of the diploma has shown. */
  level: number;
  /** True when the URI is illustrative (not a real concept of its framework). */
  illustrative?: boolean;
}

/** A qualification and the skills it certifies. */
export interface Qualification {
  /** The qualification's id: a CompetentNL/ESCO qualification URI, or an MBO crebo code (`crebo:25712`). */
  id: string;
  name: string;
  /** e.g. `MBO`, `ESCO`, `CompetentNL`. */
  framework?: string;
  /** EQF/NLQF level of the qualification. */
  eqfLevel?: number;
  /** Where the skills were taken from (a qualification file, a register). */
  source: { name: string; url?: string; retrieved?: string };
  illustrative?: boolean;
  skills: QualifiedSkill[];
}

/** A qualification map document (schemas/qualification-map.schema.json). */
export interface QualificationMapDocument {
  id?: string;
  title?: string;
  description?: string;
  qualifications: Qualification[];
}

/** A validated qualification map, built by {@link parseQualificationMap}. */
export interface QualificationMap {
  /** The document it was built from. */
  readonly document: QualificationMapDocument;
  /** The qualification with this id (URI or code), if mapped. */
  qualificationOf(id: string): Qualification | undefined;
}

/** One module of a training catalogue (schemas/training-catalogue.schema.json). */
export interface TrainingModule {
  id: string;
  title: string;
  provider?: string;
  description?: string;
  url?: string;
  /** Study load: the cost a plan minimises. */
  hours: number;
  /** Skills and the level (1–5) a participant reaches. */
  teaches: { uri: string; name?: string; level: number }[];
  /** Ids of modules to take first. */
  prerequisites?: string[];
}

/** A training catalogue (schemas/training-catalogue.schema.json). */
export interface TrainingCatalogue {
  id?: string;
  title?: string;
  description?: string;
  modules: TrainingModule[];
}

/** Options of {@link planTraining}. */
export interface PlanTrainingOptions {
  /** Also close the nice-to-have gaps. Default false: required gaps only. */
  includeNiceToHave?: boolean;
  /** Lets a module teaching an equivalent or narrower skill close a gap. */
  crosswalk?: Crosswalk;
}

/** What closes a gap: a course, or (for insufficient evidence) an assessment of the skill. */
export type GapAction = 'course' | 'assessment';

/** A requirement the worker does not meet, as the plan sees it. */
export interface TrainingGap {
  uri: string;
  name: string;
  importance: Importance;
  outcome: Exclude<MatchOutcome, 'met'>;
  /** Level a module must teach to close it (the requirement's minimum, or 1). */
  targetLevel: number;
  heldLevel: number | null;
  /**
   * `assessment` when the worker holds the skill at a tier below the one required
   * (insufficient-evidence): an assessment by an accredited centre closes it, not a course.
   */
  action: GapAction;
  /** With `action: "assessment"`: the tier held and the tier to reach. */
  heldTier?: EvidenceTier;
  requiredTier?: AcceptedTier;
  /** Id of the planned module that closes it; absent when no module can. */
  closedBy?: string;
}

/** A module in the plan. */
export interface PlannedModule {
  id: string;
  title: string;
  provider?: string;
  url?: string;
  hours: number;
  /** URIs of the gaps this module closes (first module in study order that closes each). */
  closes: string[];
  /** Ids of planned modules that need this one first. */
  prerequisiteOf: string[];
}

/** What {@link planTraining} returns. */
export interface TrainingPlan {
  /** Every gap considered, in the vacancy's order, each with the module that closes it. */
  gaps: TrainingGap[];
  /** The modules to take, prerequisites first. */
  modules: PlannedModule[];
  totalHours: number;
  /** Gaps no module in the catalogue can close (course gaps only). */
  uncovered: TrainingGap[];
  /** Gaps an assessment closes: the skill is held, at a tier below the one required. */
  assessments: TrainingGap[];
}

/** One verified skill of a candidate. */
export interface CandidateSkill {
  uri: string;
  /**
   * Level held on the skillpass proficiency scale (1–5; up to 8 accepted), or null when the
   * credential states none on that scale ({@link summarisePassport} drops levels on other scales).
   */
  level: number | null;
  /** Date of the latest assessment (YYYY-MM-DD). */
  assessedOn?: string;
  name?: string;
  /** Who vouches for it; absent when not judged (no trust registry): then `minTier` is not applied. */
  tier?: EvidenceTier;
  /** `qualification` for a skill a diploma certifies through a qualification map. Default `skill`. */
  via?: EvidenceRoute;
  /** With `via: "qualification"`: the qualification. */
  qualification?: { id: string; name: string };
}

/**
 * What a job-seekers' platform keeps of a consenting worker's passport: verified skills only.
 * Build one from a verification report with {@link summarisePassport}.
 */
export interface CandidateSummary {
  /** Stable, unique id (e.g. the holder DID or a platform id). Ties in ranking go to the smaller id. */
  id: string;
  /**
   * The authenticated holder (DID) of the passport this summary comes from, when known:
   * {@link summarisePassport} sets it when the passport's own signature verified. Summaries with
   * the same holder are one person: {@link rankCandidates} ranks them once, by the best of them,
   * and lists the others in {@link RankResult.duplicates}.
   */
  holder?: string;
  skills: CandidateSkill[];
}

/** Options of {@link rankCandidates}. */
export interface RankOptions {
  /** How many candidates to return. Default 10. */
  top?: number;
  /** When evidence age is judged. Default now. */
  now?: Date;
  crosswalk?: Crosswalk;
}

/** Options of {@link summarisePassport}. */
export interface SummariseOptions {
  /** Adds the skills a verified diploma certifies (at the diploma's tier and date). */
  qualifications?: QualificationMap;
}

/** One ranked candidate with the explanation of its score. */
export interface RankedCandidate extends MatchScore {
  /** 1-based. */
  rank: number;
  id: string;
}

/** A summary left out of a ranking because its holder is ranked by a better one. */
export interface RankDuplicate {
  /** The summary left out. */
  id: string;
  holder: string;
  /** The id of the holder's summary that is ranked (the best score, then the smallest id). */
  duplicateOf: string;
}

/** What {@link rankCandidates} returns. */
export interface RankResult {
  vacancy: { id?: string; title: string };
  evaluatedAt: string;
  /** Candidates considered: distinct holders, plus every summary without a holder. */
  poolSize: number;
  /** The best `top` candidates, score descending, then id ascending; each holder at most once. */
  candidates: RankedCandidate[];
  /** Summaries not ranked because the same holder has a better one, in id order. */
  duplicates: RankDuplicate[];
}
