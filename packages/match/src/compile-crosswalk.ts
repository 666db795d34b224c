import { SkillpassError, validateSchema } from '@skillpass/core';
import type { Crosswalk, CrosswalkDocument, CrosswalkRoute } from './types.js';

interface Step {
  /** The next concept towards the required one. */
  next: string;
  viaNarrower: boolean;
}

/**
 * Validate a crosswalk document (schemas/crosswalk.schema.json) and compile it for matching.
 *
 * `exactMatch` groups are symmetric and transitive; `narrower` relations are transitive, so a
 * holder of a narrower-than-narrower skill satisfies the broadest requirement. Cycles (A
 * narrower than B narrower than A) are harmless: each concept is visited once.
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID with one problem per violation, `path` naming the field.
 */
export function compileCrosswalk(document: unknown): Crosswalk {
  const problems = validateSchema('crosswalk', document);
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'crosswalk does not match its schema', { problems });
  }
  const doc = document as CrosswalkDocument;
  // Equivalence edges both ways; narrower edges stored reversed (broader -> narrowers) because
  // the search walks from the required concept towards whatever satisfies it.
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
  for (const relation of doc.narrower ?? []) {
    link(narrowers, relation.broader.uri, relation.narrower.uri);
  }

  const cache = new Map<string, ReadonlyMap<string, CrosswalkRoute>>();
  const none: ReadonlyMap<string, CrosswalkRoute> = new Map();

  function search(target: string): ReadonlyMap<string, CrosswalkRoute> {
    const steps = new Map<string, Step>();
    const visited = new Set([target]);
    // Phase 1: the equivalence class, so an exact route always wins over a shorter narrower one.
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
    // Phase 2: breadth-first over both relations from the whole class.
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

  return {
    satisfiersOf(uri: string): ReadonlyMap<string, CrosswalkRoute> {
      // Unknown concepts share one empty answer, so arbitrary requirement URIs do not grow the cache.
      if (!equivalents.has(uri) && !narrowers.has(uri)) return none;
      let routes = cache.get(uri);
      if (routes === undefined) {
        routes = search(uri);
        cache.set(uri, routes);
      }
      return routes;
    },
  };
}
