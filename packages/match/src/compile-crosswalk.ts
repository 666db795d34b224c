import { problem, SkillpassError, validateSchema } from '@skillpass/core';
import {
  type CrosswalkGraph,
  longestRoute,
  type RouteSearch,
  searchRoutes,
  toGraph,
} from './internal/crosswalk-graph.js';
import { MATCH_LIMITS } from './limits.js';
import type { Crosswalk, CrosswalkDocument, CrosswalkRoute } from './types.js';

/** Searches kept per compiled crosswalk; beyond this the cache starts over (memory stays bounded). */
const CACHED_SEARCHES = 256;

/**
 * Validate a crosswalk document (schemas/crosswalk.schema.json) and compile it for matching.
 *
 * `exactMatch` groups are symmetric and transitive; `narrower` relations are transitive, so a
 * holder of a narrower-than-narrower skill satisfies the broadest requirement. Cycles (A
 * narrower than B narrower than A) are harmless: each concept is visited once.
 *
 * Work is linear in the document: at most {@link MATCH_LIMITS}`.crosswalkRelations` relations,
 * and no route longer than {@link MATCH_LIMITS}`.crosswalkDepth` steps (both checked before the
 * graph is searched). A question about one concept costs one breadth-first search; routes are
 * spelled out only when read.
 *
 * @throws SkillpassError ERR_INPUT_TOO_LARGE (before any other work) when the document has
 *   too many relations or allows too long a route; ERR_SCHEMA_INVALID with one problem per
 *   violation, `path` naming the field.
 */
export function compileCrosswalk(document: unknown): Crosswalk {
  checkRelationCount(document);
  const problems = validateSchema('crosswalk', document);
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'crosswalk does not match its schema', { problems });
  }
  const graph = toGraph(document as CrosswalkDocument);
  const depth = longestRoute(graph);
  if (depth > MATCH_LIMITS.crosswalkDepth) {
    const message = `crosswalk allows routes of up to ${depth} steps (at most ${MATCH_LIMITS.crosswalkDepth})`;
    throw new SkillpassError('ERR_INPUT_TOO_LARGE', message, {
      problems: [problem('ERR_INPUT_TOO_LARGE', message, '/narrower')],
    });
  }

  const cache = new Map<string, ReadonlyMap<string, CrosswalkRoute>>();
  const none: ReadonlyMap<string, CrosswalkRoute> = new Map();
  return {
    satisfiersOf(uri: string): ReadonlyMap<string, CrosswalkRoute> {
      // Unknown concepts share one empty answer, so arbitrary requirement URIs do not grow the cache.
      const id = graph.ids.get(uri);
      if (id === undefined) return none;
      let routes = cache.get(uri);
      if (routes === undefined) {
        if (cache.size >= CACHED_SEARCHES) cache.clear();
        routes = new RouteMap(graph, id);
        cache.set(uri, routes);
      }
      return routes;
    },
  };
}

/** Count relations on the raw document, so an oversized one is refused before schema validation. */
function checkRelationCount(document: unknown): void {
  if (typeof document !== 'object' || document === null) return;
  const { narrower, exactMatch } = document as { narrower?: unknown; exactMatch?: unknown };
  let count = Array.isArray(narrower) ? narrower.length : 0;
  if (Array.isArray(exactMatch)) {
    for (const group of exactMatch) {
      const concepts = (group as { concepts?: unknown } | null)?.concepts;
      count += Array.isArray(concepts) ? concepts.length : 0;
    }
  }
  if (count > MATCH_LIMITS.crosswalkRelations) {
    const message = `crosswalk has ${count} relations (at most ${MATCH_LIMITS.crosswalkRelations})`;
    throw new SkillpassError('ERR_INPUT_TOO_LARGE', message, {
      problems: [
        problem('ERR_INPUT_TOO_LARGE', message, Array.isArray(narrower) ? '/narrower' : '/exactMatch'),
      ],
    });
  }
}

/**
 * The satisfiers of one concept as a read-only map over one breadth-first search: membership
 * is an array lookup, and each route is built (at most `crosswalkDepth` steps) when read.
 */
class RouteMap implements ReadonlyMap<string, CrosswalkRoute> {
  readonly #uris: readonly string[];
  readonly #ids: ReadonlyMap<string, number>;
  readonly #search: RouteSearch;

  constructor(graph: CrosswalkGraph, target: number) {
    this.#uris = graph.uris;
    this.#ids = graph.ids;
    this.#search = searchRoutes(graph, target);
  }

  get size(): number {
    return this.#search.reached.length - 1;
  }

  has(uri: string): boolean {
    return this.#positionOf(uri) > 0;
  }

  get(uri: string): CrosswalkRoute | undefined {
    const at = this.#positionOf(uri);
    return at > 0 ? this.#routeAt(at) : undefined;
  }

  forEach(fn: (value: CrosswalkRoute, key: string, map: ReadonlyMap<string, CrosswalkRoute>) => void): void {
    const { reached } = this.#search;
    for (let at = 1; at < reached.length; at++) fn(this.#routeAt(at), this.#uris[reached[at]!]!, this);
  }

  *keys(): MapIterator<string> {
    const { reached } = this.#search;
    for (let at = 1; at < reached.length; at++) yield this.#uris[reached[at]!]!;
  }

  *values(): MapIterator<CrosswalkRoute> {
    const { reached } = this.#search;
    for (let at = 1; at < reached.length; at++) yield this.#routeAt(at);
  }

  *entries(): MapIterator<[string, CrosswalkRoute]> {
    const { reached } = this.#search;
    for (let at = 1; at < reached.length; at++) yield [this.#uris[reached[at]!]!, this.#routeAt(at)];
  }

  [Symbol.iterator](): MapIterator<[string, CrosswalkRoute]> {
    return this.entries();
  }

  /** Position in the search (0 = the target itself), or -1. */
  #positionOf(uri: string): number {
    const id = this.#ids.get(uri);
    return id === undefined ? -1 : this.#search.positionOf(id);
  }

  #routeAt(start: number): CrosswalkRoute {
    const { reached, parentAt, viaNarrower } = this.#search;
    const path: string[] = [];
    for (let at = start; at !== -1; at = parentAt[at]!) path.push(this.#uris[reached[at]!]!);
    return { relation: viaNarrower[start] === 1 ? 'narrower' : 'exactMatch', path };
  }
}
