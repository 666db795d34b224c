// hostile-inputs: the input shapes of issue 14 section 2, each at the largest size the caps
// accept (and the refused ones at the size that used to hang or crash), timed end to end:
// compile or parse, then rank / plan on it. Every shape is checked (accepted ones give the
// expected answer, refused ones the expected code), so a fast wrong answer cannot pass.
// Called by bench/run.mjs; runnable alone: `node bench/hostile-inputs.mjs [--quick]`.
// Each line gives the median wall time and the median process CPU time (user + system, all
// threads: on a shared machine wall time includes waiting for a core, CPU time does not).
// Last line: `hostile-inputs: worst-ms=<x>` (the slowest shape's median wall time; target under 1,000).
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  compileCrosswalk,
  MATCH_LIMITS,
  parseTrainingCatalogue,
  planTraining,
  rankCandidates,
} from '@skillpass/match';
import {
  catalogueChain,
  catalogueChains,
  catalogueCycle,
  concept,
  crosswalkChain,
  crosswalkDeep,
  crosswalkExactChain,
  crosswalkFan,
  crosswalkGroups,
  poolHolding,
  vacancyOf,
} from './hostile-shapes.mjs';

const NOW = new Date('2026-11-01T12:00:00Z');
const L = MATCH_LIMITS;

function refusedWith(code, input, fn) {
  return () => {
    try {
      fn(input);
    } catch (err) {
      if (err?.code === code) return `refused ${code}`;
      throw err;
    }
    throw new Error(`expected ${code}`);
  };
}

/** What planTraining sees for a vacancy none of whose requirements is met. */
function allMissing(vacancy) {
  return {
    requirements: vacancy.requirements.map((r) => ({
      uri: r.uri,
      name: r.name,
      importance: r.importance,
      weight: 1,
      requiredLevel: r.minLevel ?? null,
      maxAgeMonths: null,
      outcome: 'missing',
      credit: 0,
      points: 0,
    })),
  };
}

function rankShape(document, requiredUris, heldUris, expectedRouteLength) {
  return () => {
    const crosswalk = compileCrosswalk(document);
    const vacancy = vacancyOf(requiredUris);
    const { candidates } = rankCandidates(vacancy, poolHolding(1000, heldUris), {
      now: NOW,
      crosswalk,
      top: 10,
    });
    const first = candidates[0];
    if (first?.allRequiredMet !== true)
      throw new Error('expected every requirement met through the crosswalk');
    const route = first.requirements[0].viaCrosswalk;
    if (route?.path.length !== expectedRouteLength)
      throw new Error(`expected a route of ${expectedRouteLength} concepts`);
    return `${vacancy.requirements.length} requirements met by 1,000 candidates, routes of ${expectedRouteLength}`;
  };
}

function planShape(catalogue, gapUris, crosswalkDocument) {
  return () => {
    const crosswalk = crosswalkDocument === undefined ? undefined : compileCrosswalk(crosswalkDocument);
    const plan = planTraining(
      allMissing(vacancyOf(gapUris)),
      catalogue,
      crosswalk === undefined ? {} : { crosswalk },
    );
    if (plan.uncovered.length !== 0) throw new Error('expected every gap closed');
    return `${plan.gaps.length} gaps closed by ${plan.modules.length} modules`;
  };
}

/** The shapes, by name, inputs built (outside the timing): each returns a line on its checked result. */
export function hostileShapes() {
  const depth = L.crosswalkDepth;
  const chains = Math.floor(L.crosswalkRelations / depth);
  const fanTops = L.requirements;
  const groupSize = 50;
  const groups = Math.floor(L.crosswalkRelations / groupSize);
  const chainLength = L.prerequisiteClosure + 1;
  const longChains = Math.floor(L.catalogueModules / chainLength);
  const shortLength = L.catalogueModules / L.requirements;
  const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
  return [
    [
      'crosswalk chain of 50,000 (refused)',
      refusedWith('ERR_INPUT_TOO_LARGE', crosswalkChain(50_000), compileCrosswalk),
    ],
    [
      `crosswalk chain of ${L.crosswalkRelations} (refused)`,
      refusedWith('ERR_INPUT_TOO_LARGE', crosswalkChain(L.crosswalkRelations), compileCrosswalk),
    ],
    [
      `exactMatch chain of ${L.crosswalkRelations / 2} pairs (refused)`,
      refusedWith('ERR_INPUT_TOO_LARGE', crosswalkExactChain(L.crosswalkRelations / 2), compileCrosswalk),
    ],
    [
      `crosswalk fan ${fanTops} x ${L.crosswalkRelations - fanTops}, rank`,
      rankShape(
        crosswalkFan(fanTops, L.crosswalkRelations - fanTops),
        range(fanTops, (t) => concept(`top${t}`)),
        range(20, (l) => concept(`leaf${l}`)),
        3,
      ),
    ],
    [
      `crosswalk ${chains} chains of depth ${depth}, rank`,
      rankShape(
        crosswalkDeep(chains, depth),
        range(L.requirements, (k) => concept(`d${k}_0`)),
        range(L.requirements, (k) => concept(`d${k}_${depth}`)),
        depth + 1,
      ),
    ],
    [
      `crosswalk ${groups} exactMatch groups of ${groupSize}, rank`,
      rankShape(
        crosswalkGroups(groups, groupSize),
        range(L.requirements, (k) => concept(`g${k}_0`)),
        range(L.requirements, (k) => concept(`g${k}_${groupSize - 1}`)),
        2,
      ),
    ],
    [
      'catalogue chain of 10,000 (refused)',
      refusedWith('ERR_INPUT_TOO_LARGE', catalogueChain(10_000), parseTrainingCatalogue),
    ],
    [
      `catalogue chain of ${L.catalogueModules} (refused)`,
      refusedWith('ERR_INPUT_TOO_LARGE', catalogueChain(L.catalogueModules), parseTrainingCatalogue),
    ],
    [
      `catalogue cycle of ${L.catalogueModules} (refused)`,
      refusedWith('ERR_SCHEMA_INVALID', catalogueCycle(L.catalogueModules), parseTrainingCatalogue),
    ],
    [
      `catalogue ${L.requirements} chains of ${shortLength}, ${L.requirements} gaps, plan`,
      planShape(
        catalogueChains(L.requirements, shortLength, L.requirements),
        range(L.requirements, (g) => concept(`gap${g}`)),
      ),
    ],
    [
      `catalogue ${longChains} chains of ${chainLength}, plan`,
      planShape(
        catalogueChains(longChains, chainLength, longChains),
        range(longChains, (g) => concept(`gap${g}`)),
      ),
    ],
    [
      `catalogue ${L.catalogueModules} modules x crosswalk fan, ${fanTops} gaps, plan`,
      planShape(
        {
          modules: range(L.catalogueModules, (i) => ({
            id: `m${i}`,
            title: `m${i}`,
            hours: 1 + (i % 9),
            teaches: [{ uri: concept(`leaf${i}`), level: 3 }],
          })),
        },
        range(fanTops, (t) => concept(`top${t}`)),
        crosswalkFan(fanTops, L.crosswalkRelations - fanTops),
      ),
    ],
  ];
}

/** Run every shape `runs` times; print each median and return the summary line. */
export async function runHostileInputs({ quick = false } = {}) {
  const runs = quick ? 1 : 5;
  console.log(
    `\nhostile-inputs: every shape at the largest accepted size (median of ${runs}; target < 1,000 ms each)`,
  );
  let worst = 0;
  for (const [name, fn] of hostileShapes()) {
    const times = [];
    const cpu = [];
    let outcome = '';
    for (let i = 0; i < runs; i++) {
      globalThis.gc?.();
      const start = performance.now();
      const startCpu = process.cpuUsage();
      outcome = fn();
      const used = process.cpuUsage(startCpu);
      times.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
    const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
    worst = Math.max(worst, median(times));
    console.log(
      `  ${name.padEnd(58)} ${median(times).toFixed(1).padStart(8)} ms  (cpu ${median(cpu).toFixed(0).padStart(5)} ms)  ${outcome}`,
    );
  }
  const summary = `hostile-inputs: worst-ms=${worst.toFixed(1)}`;
  console.log(summary);
  return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runHostileInputs({ quick: process.argv.includes('--quick') });
}
