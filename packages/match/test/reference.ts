// Reference implementations for the property tests: the straightforward algorithms that
// compileCrosswalk and planTraining replaced (quadratic and recursive, fine on small inputs).
// The fast ones must give the same answers wherever these finish.
import type { CrosswalkDocument, CrosswalkRoute, TrainingModule } from '../src/index.js';

/** Every concept's satisfiers with routes, by the plain breadth-first search over all pairs. */
export function referenceSatisfiers(doc: CrosswalkDocument, target: string): Map<string, CrosswalkRoute> {
  const equivalents = new Map<string, Set<string>>();
  const narrowers = new Map<string, Set<string>>();
  const link = (graph: Map<string, Set<string>>, from: string, to: string) => {
    if (from === to) return;
    const set = graph.get(from);
    if (set === undefined) graph.set(from, new Set([to]));
    else set.add(to);
  };
  for (const group of doc.exactMatch ?? []) {
    for (const a of group.concepts) for (const b of group.concepts) link(equivalents, a.uri, b.uri);
  }
  for (const relation of doc.narrower ?? []) link(narrowers, relation.broader.uri, relation.narrower.uri);
  const steps = new Map<string, { next: string; viaNarrower: boolean }>();
  const visited = new Set([target]);
  let frontier = [target];
  const exact: string[] = [target];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const uri of frontier) {
      for (const other of equivalents.get(uri) ?? []) {
        if (visited.has(other)) continue;
        visited.add(other);
        steps.set(other, { next: uri, viaNarrower: false });
        next.push(other);
        exact.push(other);
      }
    }
    frontier = next;
  }
  frontier = exact;
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const uri of frontier) {
      for (const [graph, viaNarrower] of [
        [equivalents, false],
        [narrowers, true],
      ] as const) {
        for (const other of graph.get(uri) ?? []) {
          if (visited.has(other)) continue;
          visited.add(other);
          steps.set(other, { next: uri, viaNarrower });
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  const routes = new Map<string, CrosswalkRoute>();
  for (const start of steps.keys()) {
    const path = [start];
    let narrowerHop = false;
    let at = start;
    while (at !== target) {
      const step = steps.get(at)!;
      narrowerHop ||= step.viaNarrower;
      at = step.next;
      path.push(at);
    }
    routes.set(start, { relation: narrowerHop ? 'narrower' : 'exactMatch', path });
  }
  return routes;
}

/**
 * The module ids the plain greedy cover (recomputing every bundle every round) followed by the
 * plain redundancy pruning chooses. `closes` maps a module id to the gap numbers it closes.
 */
export function referenceCover(
  modules: TrainingModule[],
  closes: Map<string, Set<number>>,
  gapCount: number,
): Set<string> {
  const byId = new Map(modules.map((m) => [m.id, m]));
  const closure = (m: TrainingModule): TrainingModule[] => {
    const seen = new Map<string, TrainingModule>();
    const add = (x: TrainingModule) => {
      if (seen.has(x.id)) return;
      seen.set(x.id, x);
      for (const p of x.prerequisites ?? []) add(byId.get(p)!);
    };
    add(m);
    return [...seen.values()];
  };
  const chosen = new Set<string>();
  const open = new Set<number>();
  for (let g = 0; g < gapCount; g++) if (modules.some((m) => closes.get(m.id)!.has(g))) open.add(g);
  while (open.size > 0) {
    let best: { bundle: TrainingModule[]; gain: number; hours: number; id: string } | null = null;
    for (const m of modules) {
      if (chosen.has(m.id)) continue;
      const bundle = closure(m).filter((x) => !chosen.has(x.id));
      const newlyClosed = new Set<number>();
      for (const x of bundle) for (const g of closes.get(x.id)!) if (open.has(g)) newlyClosed.add(g);
      if (newlyClosed.size === 0) continue;
      const hours = bundle.reduce((sum, x) => sum + x.hours, 0);
      const c = { bundle, gain: newlyClosed.size, hours, id: m.id };
      const better =
        best === null ||
        (c.gain * best.hours !== best.gain * c.hours
          ? c.gain * best.hours > best.gain * c.hours
          : c.hours !== best.hours
            ? c.hours < best.hours
            : c.id < best.id);
      if (better) best = c;
    }
    for (const x of best!.bundle) {
      chosen.add(x.id);
      for (const g of closes.get(x.id)!) open.delete(g);
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    const candidates = [...chosen]
      .map((id) => byId.get(id)!)
      .sort((a, b) => b.hours - a.hours || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const m of candidates) {
      if ([...chosen].some((id) => byId.get(id)!.prerequisites?.includes(m.id))) continue;
      const count = new Array<number>(gapCount).fill(0);
      for (const id of chosen) for (const g of closes.get(id)!) count[g]! += 1;
      if ([...closes.get(m.id)!].every((g) => count[g]! > 1)) {
        chosen.delete(m.id);
        changed = true;
      }
    }
  }
  return chosen;
}
