import { type Problem, problem, SkillpassError, validateSchema } from '@skillpass/core';
import type {
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
 * schema cannot say: module ids are unique, prerequisites name modules of the catalogue, and
 * prerequisites do not form a cycle.
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID whose problems' `path` names the field.
 */
export function parseTrainingCatalogue(data: unknown): TrainingCatalogue {
  const problems = validateSchema('training-catalogue', data);
  if (problems.length === 0) problems.push(...catalogueRules(data as TrainingCatalogue));
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'training catalogue does not match its schema', {
      problems,
    });
  }
  return data as TrainingCatalogue;
}

function catalogueRules(catalogue: TrainingCatalogue): Problem[] {
  const problems: Problem[] = [];
  const ids = new Map<string, number>();
  catalogue.modules.forEach((m, i) => {
    if (ids.has(m.id)) {
      problems.push(problem('ERR_SCHEMA_INVALID', `module id ${m.id} is used twice`, `/modules/${i}/id`));
    } else {
      ids.set(m.id, i);
    }
  });
  catalogue.modules.forEach((m, i) => {
    (m.prerequisites ?? []).forEach((p, j) => {
      if (!ids.has(p)) {
        problems.push(
          problem('ERR_SCHEMA_INVALID', `unknown prerequisite ${p}`, `/modules/${i}/prerequisites/${j}`),
        );
      }
    });
  });
  if (problems.length > 0) return problems;
  // Depth-first search for a prerequisite cycle; colour 1 = on the stack, 2 = done.
  const colour = new Map<string, 1 | 2>();
  const byId = new Map(catalogue.modules.map((m) => [m.id, m]));
  const visit = (id: string): boolean => {
    const state = colour.get(id);
    if (state === 2) return false;
    if (state === 1) return true;
    colour.set(id, 1);
    const cyclic = (byId.get(id)!.prerequisites ?? []).some(visit);
    colour.set(id, 2);
    return cyclic;
  };
  catalogue.modules.forEach((m, i) => {
    if (!colour.has(m.id) && visit(m.id)) {
      problems.push(
        problem('ERR_SCHEMA_INVALID', `prerequisites of ${m.id} form a cycle`, `/modules/${i}/prerequisites`),
      );
    }
  });
  return problems;
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
  const modules = parseTrainingCatalogue(catalogue).modules;
  const byId = new Map(modules.map((m) => [m.id, m]));
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

  // closes.get(moduleId) = indexes of the gaps the module can close on its own.
  const closes = new Map<string, Set<number>>();
  for (const m of modules) {
    const set = new Set<number>();
    gaps.forEach((gap, g) => {
      const satisfying = options.crosswalk?.satisfiersOf(gap.uri);
      if (
        m.teaches.some((t) => t.level >= gap.targetLevel && (t.uri === gap.uri || satisfying?.has(t.uri)))
      ) {
        set.add(g);
      }
    });
    closes.set(m.id, set);
  }

  const chosen = greedyCover(modules, byId, closes, gaps.length);
  pruneRedundant(chosen, byId, closes, gaps.length);
  const order = studyOrder(modules, byId, chosen);

  const planned: PlannedModule[] = order.map((m) => {
    const p: PlannedModule = {
      id: m.id,
      title: m.title,
      hours: m.hours,
      closes: [],
      prerequisiteOf: order.filter((o) => o.prerequisites?.includes(m.id)).map((o) => o.id),
    };
    if (m.provider !== undefined) p.provider = m.provider;
    if (m.url !== undefined) p.url = m.url;
    return p;
  });
  gaps.forEach((gap, g) => {
    const at = order.findIndex((m) => closes.get(m.id)!.has(g));
    if (at >= 0) {
      gap.closedBy = order[at]!.id;
      planned[at]!.closes.push(gap.uri);
    }
  });
  return {
    gaps: allGaps,
    modules: planned,
    totalHours: order.reduce((sum, m) => sum + m.hours, 0),
    uncovered: gaps.filter((gap) => gap.closedBy === undefined),
    assessments,
  };
}

/** A module with every prerequisite it needs, transitively (the catalogue is acyclic). */
function closure(m: TrainingModule, byId: Map<string, TrainingModule>): TrainingModule[] {
  const seen = new Map<string, TrainingModule>();
  const add = (x: TrainingModule) => {
    if (seen.has(x.id)) return;
    seen.set(x.id, x);
    for (const p of x.prerequisites ?? []) add(byId.get(p)!);
  };
  add(m);
  return [...seen.values()];
}

function greedyCover(
  modules: TrainingModule[],
  byId: Map<string, TrainingModule>,
  closes: Map<string, Set<number>>,
  gapCount: number,
): Set<string> {
  const chosen = new Set<string>();
  const open = new Set<number>();
  for (let g = 0; g < gapCount; g++) {
    if (modules.some((m) => closes.get(m.id)!.has(g))) open.add(g);
  }
  while (open.size > 0) {
    let best: { bundle: TrainingModule[]; gain: number; hours: number; id: string } | null = null;
    for (const m of modules) {
      if (chosen.has(m.id)) continue;
      const bundle = closure(m, byId).filter((x) => !chosen.has(x.id));
      const newlyClosed = new Set<number>();
      for (const x of bundle) for (const g of closes.get(x.id)!) if (open.has(g)) newlyClosed.add(g);
      if (newlyClosed.size === 0) continue;
      const hours = bundle.reduce((sum, x) => sum + x.hours, 0);
      const candidate = { bundle, gain: newlyClosed.size, hours, id: m.id };
      if (best === null || preferable(candidate, best)) best = candidate;
    }
    // Every open gap is closable by some module, so a best bundle always exists here.
    for (const x of best!.bundle) {
      chosen.add(x.id);
      for (const g of closes.get(x.id)!) open.delete(g);
    }
  }
  return chosen;
}

/** Gaps per hour, compared without division; then fewer hours; then the smaller id. */
function preferable(
  a: { gain: number; hours: number; id: string },
  b: { gain: number; hours: number; id: string },
): boolean {
  const lhs = a.gain * b.hours;
  const rhs = b.gain * a.hours;
  if (lhs !== rhs) return lhs > rhs;
  if (a.hours !== b.hours) return a.hours < b.hours;
  return a.id < b.id;
}

/**
 * Drop modules whose gaps later picks also close (largest first) and that no kept module
 * needs first. Only ever lowers the hours, so the greedy bound still holds.
 */
function pruneRedundant(
  chosen: Set<string>,
  byId: Map<string, TrainingModule>,
  closes: Map<string, Set<number>>,
  gapCount: number,
): void {
  const coverage = (): number[] => {
    const count = new Array<number>(gapCount).fill(0);
    for (const id of chosen) for (const g of closes.get(id)!) count[g]! += 1;
    return count;
  };
  // Repeat until stable: dropping a module can free the prerequisite it needed.
  for (let changed = true; changed; ) {
    changed = false;
    const candidates = [...chosen]
      .map((id) => byId.get(id)!)
      .sort((a, b) => b.hours - a.hours || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const m of candidates) {
      const needed = [...chosen].some((id) => byId.get(id)!.prerequisites?.includes(m.id));
      if (needed) continue;
      const count = coverage();
      if ([...closes.get(m.id)!].every((g) => count[g]! > 1)) {
        chosen.delete(m.id);
        changed = true;
      }
    }
  }
}

/** Chosen modules with prerequisites first; otherwise in catalogue order. */
function studyOrder(
  modules: TrainingModule[],
  byId: Map<string, TrainingModule>,
  chosen: Set<string>,
): TrainingModule[] {
  const order: TrainingModule[] = [];
  const placed = new Set<string>();
  const place = (m: TrainingModule) => {
    if (placed.has(m.id)) return;
    placed.add(m.id);
    for (const p of m.prerequisites ?? []) place(byId.get(p)!);
    order.push(m);
  };
  for (const m of modules) if (chosen.has(m.id)) place(m);
  return order;
}
