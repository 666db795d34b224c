// Issue 14, section 2: small inputs that made matching do unbounded work, replayed. Each ends
// in its stable code (refused before the work starts) or, at the largest size the caps accept,
// in the right answer; the time and heap bounds are generous guards against a return of the
// quadratic or recursive behaviour (20,000 relations took 16 s and 2.1 GB; 10,000 modules
// overflowed the stack), not benchmarks: `pnpm bench hostile-inputs` measures.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  catalogueChain,
  catalogueChains,
  catalogueCycle,
  concept,
  crosswalkChain,
  crosswalkDeep,
  crosswalkExactChain,
  crosswalkFan,
  poolHolding,
  vacancyOf,
} from '../../../bench/hostile-shapes.mjs';
import {
  compileCrosswalk,
  MATCH_LIMITS,
  type MatchResult,
  parseTrainingCatalogue,
  parseVacancy,
  planTraining,
  rankCandidates,
} from '../src/index.js';
import { NOW } from './helpers.js';

const GUARD_MS = 20_000;
const GUARD_HEAP = 768 * 2 ** 20;

/** Run `fn` and return the code of the SkillpassError it throws. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'no error';
}

/** Run `fn` within the time guard and without the heap growing past the guard. */
function bounded<T>(fn: () => T): T {
  const heap = process.memoryUsage().heapUsed;
  const start = performance.now();
  const result = fn();
  expect(performance.now() - start).toBeLessThan(GUARD_MS);
  expect(process.memoryUsage().heapUsed - heap).toBeLessThan(GUARD_HEAP);
  return result;
}

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

/** The match result planTraining sees when none of the vacancy's requirements is met. */
function allMissing(uris: string[]): MatchResult {
  return {
    requirements: uris.map((uri) => ({
      uri,
      name: uri,
      importance: 'required' as const,
      weight: 1,
      requiredLevel: 3,
      maxAgeMonths: null,
      outcome: 'missing' as const,
      credit: 0,
      points: 0,
    })),
  } as unknown as MatchResult;
}

describe('crosswalk: chains are refused before they are walked', () => {
  it('refuses the 50,000-relation chain (once out of heap) with ERR_INPUT_TOO_LARGE', () => {
    const doc = crosswalkChain(50_000);
    expect(bounded(() => codeOf(() => compileCrosswalk(doc)))).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('refuses the 20,000-relation chain (once 16 s and 2.1 GB) for its depth', () => {
    const doc = crosswalkChain(MATCH_LIMITS.crosswalkRelations);
    expect(bounded(() => codeOf(() => compileCrosswalk(doc)))).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('refuses a chain of exactMatch pairs just as a chain of narrower relations', () => {
    const doc = crosswalkExactChain(MATCH_LIMITS.crosswalkRelations / 2);
    expect(bounded(() => codeOf(() => compileCrosswalk(doc)))).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('counts relations before validating, and names where', () => {
    const doc = crosswalkFan(1, MATCH_LIMITS.crosswalkRelations);
    try {
      compileCrosswalk(doc);
      expect.unreachable();
    } catch (err) {
      const e = err as { code: string; problems: { code: string; path?: string }[] };
      expect(e.code).toBe('ERR_INPUT_TOO_LARGE');
      expect(e.problems).toEqual([
        expect.objectContaining({ code: 'ERR_INPUT_TOO_LARGE', path: '/narrower' }),
      ]);
    }
  });

  it('accepts the deepest chain allowed and explains its full route', () => {
    const depth = MATCH_LIMITS.crosswalkDepth;
    const route = compileCrosswalk(crosswalkChain(depth))
      .satisfiersOf(concept('c0'))
      .get(concept(`c${depth}`));
    expect(route?.relation).toBe('narrower');
    expect(route?.path).toEqual(range(depth + 1, (i) => concept(`c${depth - i}`)));
    expect(codeOf(() => compileCrosswalk(crosswalkChain(depth + 1)))).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('ranks at the largest accepted sizes: a full fan and full-depth chains', () => {
    const fanTops = MATCH_LIMITS.requirements;
    const fan = crosswalkFan(fanTops, MATCH_LIMITS.crosswalkRelations - fanTops);
    const fanResult = bounded(() =>
      rankCandidates(
        vacancyOf(range(fanTops, (t) => concept(`top${t}`))),
        poolHolding(200, [concept('leaf19000')]),
        { now: NOW, crosswalk: compileCrosswalk(fan), top: 3 },
      ),
    );
    expect(fanResult.candidates[0]!.allRequiredMet).toBe(true);
    expect(fanResult.candidates[0]!.requirements[7]!.viaCrosswalk?.path).toEqual([
      concept('leaf19000'),
      concept('middle'),
      concept('top7'),
    ]);

    const depth = MATCH_LIMITS.crosswalkDepth;
    const chains = Math.floor(MATCH_LIMITS.crosswalkRelations / depth);
    const deep = bounded(() =>
      rankCandidates(
        vacancyOf(range(MATCH_LIMITS.requirements, (k) => concept(`d${k}_0`))),
        poolHolding(
          200,
          range(MATCH_LIMITS.requirements, (k) => concept(`d${k}_${depth}`)),
        ),
        { now: NOW, crosswalk: compileCrosswalk(crosswalkDeep(chains, depth)), top: 3 },
      ),
    );
    expect(deep.candidates[0]!.allRequiredMet).toBe(true);
    expect(deep.candidates[0]!.requirements[0]!.viaCrosswalk?.path).toHaveLength(depth + 1);
  });
});

describe('vacancy: requirements are capped before validation', () => {
  it('refuses one requirement too many with ERR_INPUT_TOO_LARGE', () => {
    const uris = range(MATCH_LIMITS.requirements + 1, (i) => concept(`r${i}`));
    expect(codeOf(() => parseVacancy(vacancyOf(uris)))).toBe('ERR_INPUT_TOO_LARGE');
    expect(parseVacancy(vacancyOf(uris.slice(1))).requirements).toHaveLength(MATCH_LIMITS.requirements);
  });
});

describe('training catalogue: no recursion, no quadratic rounds', () => {
  it('refuses the 10,000-module chain (once a stack overflow) before any work', () => {
    const catalogue = catalogueChain(10_000);
    expect(bounded(() => codeOf(() => parseTrainingCatalogue(catalogue)))).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('refuses a chain longer than the prerequisite cap, at the module that needs too much', () => {
    const catalogue = catalogueChain(MATCH_LIMITS.catalogueModules);
    try {
      bounded(() => parseTrainingCatalogue(catalogue));
      expect.unreachable();
    } catch (err) {
      const e = err as { code: string; problems: { path?: string }[] };
      expect(e.code).toBe('ERR_INPUT_TOO_LARGE');
      expect(e.problems[0]!.path).toBe(`/modules/${MATCH_LIMITS.prerequisiteClosure + 1}/prerequisites`);
    }
    expect(parseTrainingCatalogue(catalogueChain(MATCH_LIMITS.prerequisiteClosure + 1)).modules).toHaveLength(
      MATCH_LIMITS.prerequisiteClosure + 1,
    );
  });

  it('finds a cycle through every module without recursion', () => {
    const catalogue = catalogueCycle(MATCH_LIMITS.catalogueModules);
    expect(bounded(() => codeOf(() => parseTrainingCatalogue(catalogue)))).toBe('ERR_SCHEMA_INVALID');
  });

  it('plans at the largest accepted size: every module in a chain, a gap per chain', () => {
    const gaps = MATCH_LIMITS.requirements;
    const catalogue = catalogueChains(gaps, MATCH_LIMITS.catalogueModules / gaps, gaps);
    const plan = bounded(() => planTraining(allMissing(range(gaps, (g) => concept(`gap${g}`))), catalogue));
    expect(plan.uncovered).toEqual([]);
    expect(plan.modules).toHaveLength(MATCH_LIMITS.catalogueModules);
    // Prerequisites first: each chain's steps in order.
    expect(plan.modules.slice(0, 3).map((m) => m.id)).toEqual(['c0-0', 'c0-1', 'c0-2']);

    const length = MATCH_LIMITS.prerequisiteClosure + 1;
    const chains = Math.floor(MATCH_LIMITS.catalogueModules / length);
    const long = bounded(() =>
      planTraining(
        allMissing(range(chains, (g) => concept(`gap${g}`))),
        catalogueChains(chains, length, chains),
      ),
    );
    expect(long.uncovered).toEqual([]);
    expect(long.modules).toHaveLength(chains * length);
  });
});

describe('the schemas carry the same caps as the code', () => {
  const schema = (name: string) =>
    JSON.parse(readFileSync(new URL(`../../../schemas/${name}.schema.json`, import.meta.url), 'utf8'));

  it('crosswalk, vacancy and training catalogue', () => {
    const crosswalk = schema('crosswalk');
    expect(crosswalk.properties.narrower.maxItems).toBe(MATCH_LIMITS.crosswalkRelations);
    // A group has at least two concepts, so this many groups already reach the relation cap.
    expect(crosswalk.properties.exactMatch.maxItems).toBe(MATCH_LIMITS.crosswalkRelations / 2);
    expect(schema('vacancy').properties.requirements.maxItems).toBe(MATCH_LIMITS.requirements);
    expect(schema('training-catalogue').properties.modules.maxItems).toBe(MATCH_LIMITS.catalogueModules);
  });
});
