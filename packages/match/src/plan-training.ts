import { type PreparedCatalogue, prepareCatalogue } from './internal/catalogue.js';
import type {
  Crosswalk,
  MatchResult,
  PlannedModule,
  PlanTrainingOptions,
  TrainingCatalogue,
  TrainingGap,
  TrainingModule,
  TrainingPlan,
} from './types.js';

/**
 * Validate a training catalogue against schemas/training-catalogue.schema.json and the rules a
 * schema cannot say: module ids are unique, prerequisites name modules of the catalogue,
 * prerequisites do not form a cycle, and no module needs more than
 * `MATCH_LIMITS.prerequisiteClosure` modules before it.
 *
 * @throws SkillpassError ERR_INPUT_TOO_LARGE (before any other work) for more than
 *   `MATCH_LIMITS.catalogueModules` modules, or for a module that needs too many
 *   modules first; ERR_SCHEMA_INVALID whose problems' `path` names the field.
 */
export function parseTrainingCatalogue(data: unknown): TrainingCatalogue {
  return prepareCatalogue(data).catalogue;
}

/**
 * Propose training modules that close a worker's gaps against a vacancy with few hours.
 *
 * Gaps are the requirements not `met` (required ones; nice-to-have ones too with
 * `includeNiceToHave`). A gap of `insufficient-evidence` (the skill is held at a tier below the
 * one required) is closed by an assessment, not a course: it is listed in `assessments` with
 * `action: "assessment"` and no module is planned for it. A module closes a gap when it teaches the skill, an equivalent or a
 * narrower one (through `crosswalk`), up to the required level. Choosing modules is weighted
 * set cover, solved greedily: repeatedly take the module (with its untaken prerequisites)
 * that closes the most open gaps per hour; ties go to fewer hours, then the smaller id. Then
 * modules made redundant by later picks are dropped. Without prerequisites the total is at
 * most H(n) ≤ ln(n) + 1 times the optimum for n gaps. See docs/matching.md.
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID for a bad catalogue (problems' `path` names the field).
 */
export function planTraining(
  match: MatchResult,
  catalogue: TrainingCatalogue,
  options: PlanTrainingOptions = {},
): TrainingPlan {
  const prepared = prepareCatalogue(catalogue);
  const { modules } = prepared.catalogue;
  const allGaps: TrainingGap[] = match.requirements
    .filter((r) => r.outcome !== 'met')
    .filter((r) => r.importance === 'required' || options.includeNiceToHave === true)
    .map((r): TrainingGap => {
      const gap: TrainingGap = {
        uri: r.uri,
        name: r.name,
        importance: r.importance,
        outcome: r.outcome as TrainingGap['outcome'],
        targetLevel: r.requiredLevel ?? 1,
        heldLevel: r.held?.level ?? null,
        action: r.outcome === 'insufficient-evidence' ? 'assessment' : 'course',
      };
      if (gap.action === 'assessment') {
        gap.requiredTier = r.requiredTier;
        if (r.tier !== undefined) gap.heldTier = r.tier;
      }
      return gap;
    });
  // The skill is held, at too low a tier: an assessment closes it, not a course.
  const assessments = allGaps.filter((gap) => gap.action === 'assessment');
  const gaps = allGaps.filter((gap) => gap.action === 'course');

  const closes = gapsClosedByEachModule(modules, gaps, options.crosswalk);
  const chosen = greedyCover(prepared, closes, gaps.length);
  pruneRedundant(prepared, chosen, closes, gaps.length);
  const order = studyOrder(prepared, chosen);

  const dependents = new Map<string, string[]>(order.map((m) => [modules[m]!.id, []]));
  for (const m of order) {
    for (const p of modules[m]!.prerequisites ?? []) dependents.get(p)?.push(modules[m]!.id);
  }
  const planned: PlannedModule[] = order.map((i) => {
    const m = modules[i]!;
    const p: PlannedModule = {
      id: m.id,
      title: m.title,
      hours: m.hours,
      closes: [],
      prerequisiteOf: dependents.get(m.id)!,
    };
    if (m.provider !== undefined) p.provider = m.provider;
    if (m.url !== undefined) p.url = m.url;
    return p;
  });
  // Each gap goes to the first module in study order that closes it (lists ascend by gap).
  order.forEach((m, at) => {
    for (const g of closes[m]!) {
      const gap = gaps[g]!;
      if (gap.closedBy !== undefined) continue;
      gap.closedBy = modules[m]!.id;
      planned[at]!.closes.push(gap.uri);
    }
  });
  return {
    gaps: allGaps,
    modules: planned,
    totalHours: order.reduce((sum, m) => sum + modules[m]!.hours, 0),
    uncovered: gaps.filter((gap) => gap.closedBy === undefined),
    assessments,
  };
}

/**
 * closes[m] = the gaps (ascending) module m closes on its own: it teaches the skill, an
 * equivalent or a narrower one, at the gap's level. Work is the smaller of "every satisfier of
 * every gap" and "every distinct skill taught × gaps", both bounded by the caps.
 */
function gapsClosedByEachModule(
  modules: readonly TrainingModule[],
  gaps: readonly TrainingGap[],
  crosswalk: Crosswalk | undefined,
): number[][] {
  const taught = new Set<string>();
  for (const m of modules) for (const t of m.teaches) taught.add(t.uri);
  const satisfiers = gaps.map((gap) => crosswalk?.satisfiersOf(gap.uri));
  const bySatisfier = satisfiers.reduce((sum, s) => sum + 1 + (s?.size ?? 0), 0);
  // gapsOf.get(uri) = the gaps (ascending) that a module teaching uri at a high enough level closes.
  const gapsOf = new Map<string, number[]>();
  const add = (uri: string, g: number) => {
    const list = gapsOf.get(uri);
    if (list === undefined) gapsOf.set(uri, [g]);
    else if (list[list.length - 1] !== g) list.push(g);
  };
  if (bySatisfier <= taught.size * gaps.length) {
    gaps.forEach((gap, g) => {
      if (taught.has(gap.uri)) add(gap.uri, g);
      for (const uri of satisfiers[g]?.keys() ?? []) if (taught.has(uri)) add(uri, g);
    });
  } else {
    for (const uri of taught) {
      gaps.forEach((gap, g) => {
        if (gap.uri === uri || satisfiers[g]?.has(uri) === true) add(uri, g);
      });
    }
  }
  return modules.map((m) => {
    const closed = new Set<number>();
    for (const t of m.teaches) {
      for (const g of gapsOf.get(t.uri) ?? []) if (t.level >= gaps[g]!.targetLevel) closed.add(g);
    }
    return [...closed].sort((a, b) => a - b);
  });
}

/**
 * Weighted set cover, greedily: each round takes the module (with its untaken prerequisites)
 * that closes the most open gaps per hour. A round costs one pass over the modules (gaps as bit
 * masks, each module's prerequisite closure precomputed and capped), and each round closes at
 * least one gap, so the whole is at most gaps × modules × closure cap.
 */
function greedyCover(prepared: PreparedCatalogue, closes: readonly number[][], gapCount: number): Uint8Array {
  const { modules } = prepared.catalogue;
  const { closureStart, closure } = prepared;
  const words = Math.ceil(gapCount / 32);
  const own = new Uint32Array(modules.length * words);
  closes.forEach((list, m) => {
    for (const g of list) own[m * words + (g >>> 5)]! |= 1 << (g & 31);
  });
  // reach[m] = the gaps module m with all its prerequisites could close.
  const reach = new Uint32Array(modules.length * words);
  const open = new Uint32Array(words);
  for (let m = 0; m < modules.length; m++) {
    for (let i = closureStart[m]!; i < closureStart[m + 1]!; i++) {
      const x = closure[i]!;
      for (let w = 0; w < words; w++) reach[m * words + w]! |= own[x * words + w]!;
    }
    for (let w = 0; w < words; w++) open[w]! |= own[m * words + w]!;
  }
  const chosen = new Uint8Array(modules.length);
  let best: Bundle | null = null;
  // A gap of a taken module is closed, so reach[m] ∩ open is exactly what m's untaken bundle adds.
  while (open.some((w) => w !== 0)) {
    best = null;
    for (let m = 0; m < modules.length; m++) {
      if (chosen[m] === 1) continue;
      let gain = 0;
      for (let w = 0; w < words; w++) gain += bitCount(reach[m * words + w]! & open[w]!);
      if (gain === 0) continue;
      let hours = 0;
      for (let i = closureStart[m]!; i < closureStart[m + 1]!; i++) {
        const x = closure[i]!;
        if (chosen[x] === 0) hours += modules[x]!.hours;
      }
      const candidate = { module: m, gain, hours, id: modules[m]!.id };
      if (best === null || preferable(candidate, best)) best = candidate;
    }
    // Every open gap is closable by some module, so a best bundle always exists here.
    const taken = best!.module;
    for (let i = closureStart[taken]!; i < closureStart[taken + 1]!; i++) {
      const x = closure[i]!;
      if (chosen[x] === 1) continue;
      chosen[x] = 1;
      for (let w = 0; w < words; w++) open[w]! &= ~own[x * words + w]!;
    }
  }
  return chosen;
}

interface Bundle {
  module: number;
  gain: number;
  hours: number;
  id: string;
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Gaps per hour, compared without division; then fewer hours; then the smaller id. */
function preferable(a: Bundle, b: Bundle): boolean {
  const lhs = a.gain * b.hours;
  const rhs = b.gain * a.hours;
  if (lhs !== rhs) return lhs > rhs;
  if (a.hours !== b.hours) return a.hours < b.hours;
  return a.id < b.id;
}

/**
 * Drop modules whose gaps other picks also close (largest first) and that no kept module
 * needs first, repeating until nothing changes. Only ever lowers the hours, so the greedy bound
 * still holds. Coverage counts and "needed by" counts are kept up to date as modules go, so a
 * pass costs one look at each chosen module; a pass that drops nothing ends it, and a dropped
 * module frees at most its prerequisites, so passes are bounded by the prerequisite depth.
 */
function pruneRedundant(
  prepared: PreparedCatalogue,
  chosen: Uint8Array,
  closes: readonly number[][],
  gapCount: number,
): void {
  const { modules } = prepared.catalogue;
  const { prerequisiteIndexes } = prepared;
  const count = new Int32Array(gapCount);
  const neededBy = new Int32Array(modules.length);
  for (let m = 0; m < modules.length; m++) {
    if (chosen[m] === 0) continue;
    for (const g of closes[m]!) count[g]! += 1;
    for (const p of prerequisiteIndexes[m]!) neededBy[p]! += 1;
  }
  for (let changed = true; changed; ) {
    changed = false;
    const candidates: number[] = [];
    for (let m = 0; m < modules.length; m++) if (chosen[m] === 1) candidates.push(m);
    candidates.sort((a, b) => {
      const x = modules[a]!;
      const y = modules[b]!;
      return y.hours - x.hours || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
    });
    for (const m of candidates) {
      if (neededBy[m]! > 0) continue;
      if (!closes[m]!.every((g) => count[g]! > 1)) continue;
      chosen[m] = 0;
      changed = true;
      for (const g of closes[m]!) count[g]! -= 1;
      for (const p of prerequisiteIndexes[m]!) neededBy[p]! -= 1;
    }
  }
}

/** Chosen modules with prerequisites first; otherwise in catalogue order. Iterative. */
function studyOrder(prepared: PreparedCatalogue, chosen: Uint8Array): number[] {
  const { prerequisiteIndexes } = prepared;
  const order: number[] = [];
  const placed = new Uint8Array(chosen.length);
  const stack: { module: number; next: number }[] = [];
  for (let start = 0; start < chosen.length; start++) {
    if (chosen[start] === 0 || placed[start] === 1) continue;
    placed[start] = 1;
    stack.push({ module: start, next: 0 });
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const prerequisites = prerequisiteIndexes[frame.module]!;
      if (frame.next < prerequisites.length) {
        const p = prerequisites[frame.next++]!;
        if (placed[p] === 0) {
          placed[p] = 1;
          stack.push({ module: p, next: 0 });
        }
        continue;
      }
      stack.pop();
      order.push(frame.module);
    }
  }
  return order;
}
