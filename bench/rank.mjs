// rank-100k: rank 100,000 candidate summaries for the 12-requirement CNC-machinist vacancy with
// @skillpass/match (built: run `npx tsc -b packages/match` first), side by side with a naive
// scan in the same run. Called by bench/run.mjs; runnable alone: `node bench/rank.mjs [runs]`.
//
// What is timed, honestly:
// - "indexed": rankCandidates on an index built once, outside the timing (the way a platform
//   would run it: one index, many vacancies). This is the headline median.
// - "indexed incl. build": rankCandidates given the plain array, so the index is built inside.
// - "naive scan": for every candidate, for every requirement, scan that candidate's skills for
//   a satisfying concept; same credit rule, same score, and the same bounded top-k selection,
//   so the difference measured is the index and nothing else.
// Each sample is the mean time per call over at least 50 ms of back-to-back calls (one call for
// the slow variants); the reported figure is the median of the samples. Every sample checks
// that the naive scan and the index return the same top k with the same scores.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileCrosswalk, createCandidateIndex, rankCandidates } from '@skillpass/match';
import { DEFAULT_AS_OF, generatePool } from '../examples/generate-pool.mjs';

const SECTOR = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'metal-sector');
const readJson = (file) => JSON.parse(readFileSync(join(SECTOR, file), 'utf8'));

/** Minimum duration of one timed sample, in ms. */
const SAMPLE_MS = 50;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The oldest accepted date as YYYY-MM-DD: ISO dates compare correctly as strings, no parsing needed. */
function cutoffDate(now, months) {
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(now.getUTCDate(), lastDay))).toISOString().slice(0, 10);
}

/**
 * The baseline: no index. Scans every candidate's skills for every requirement (what
 * rankCandidates would do without its inverted index), then keeps the best `top`.
 * Deliberately not exported by @skillpass/match.
 */
function rankCandidatesNaive(vacancy, pool, { top, now, crosswalk }) {
  let requiredWeight = 0;
  let lightestRequired = Number.POSITIVE_INFINITY;
  let niceWeight = 0;
  for (const r of vacancy.requirements) {
    if (r.importance === 'required') {
      requiredWeight += r.weight ?? 1;
      lightestRequired = Math.min(lightestRequired, r.weight ?? 1);
    } else niceWeight += r.weight ?? 1;
  }
  // The nice-to-haves together weigh a quarter of the lightest required skill (docs/matching.md).
  const share =
    niceWeight === 0
      ? 1
      : requiredWeight === 0
        ? 0
        : 1 - lightestRequired / (4 * requiredWeight + lightestRequired);
  const reqs = vacancy.requirements.map((r) => ({
    satisfies: new Set([r.uri, ...crosswalk.satisfiersOf(r.uri).keys()]),
    minLevel: r.minLevel ?? 0,
    cutoff: r.maxAgeMonths === undefined ? null : cutoffDate(now, r.maxAgeMonths),
    coefficient:
      r.importance === 'required'
        ? (share * (r.weight ?? 1)) / requiredWeight
        : ((1 - share) * (r.weight ?? 1)) / niceWeight,
  }));
  const best = []; // sorted: score desc, id asc; at most `top` long
  for (const candidate of pool) {
    let score = 0;
    for (const r of reqs) {
      let credit = 0;
      for (const s of candidate.skills) {
        if (!r.satisfies.has(s.uri)) continue;
        const level = s.level ?? 0;
        const c =
          r.minLevel === 0 || level >= r.minLevel
            ? r.cutoff === null || (s.assessedOn !== undefined && s.assessedOn >= r.cutoff)
              ? 1
              : 0.5
            : (0.5 * level) / r.minLevel;
        if (c > credit) credit = c;
      }
      score += r.coefficient * credit;
    }
    score = Math.min(1, score);
    const worst = best[best.length - 1];
    if (best.length === top && (score < worst.score || (score === worst.score && candidate.id > worst.id)))
      continue;
    let at = best.length;
    while (
      at > 0 &&
      (best[at - 1].score < score || (best[at - 1].score === score && best[at - 1].id > candidate.id))
    )
      at--;
    best.splice(at, 0, { id: candidate.id, score });
    if (best.length > top) best.pop();
  }
  return best;
}

function time(fn) {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/**
 * One sample: call `fn` back to back for at least `minMs` (at least once); the time per call.
 * Averaging over a few calls keeps a millisecond-scale case from being decided by one
 * scheduler hiccup on a shared machine; a slow case still gets one call per sample.
 */
function sample(fn, minMs) {
  let calls = 0;
  let value;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    value = fn();
    calls++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < minMs);
  return { ms: elapsed / calls, value };
}

function sameTop(indexed, naive) {
  const a = indexed.candidates;
  if (a.length !== naive.length) return false;
  return a.every((c, i) => c.id === naive[i].id && Math.abs(c.score - naive[i].score) < 1e-12);
}

/**
 * Run the rank-100k case: `runs` timed runs of each variant (after warm-up), medians. Default
 * 11 runs, 3 with `quick` (as bench/run.mjs passes it); other harness settings are ignored.
 * Prints a small table and, last, `rank-100k: median-ms=<x> speedup-vs-naive=<y>`.
 *
 * @returns {Promise<{ rows: { case: string, medianMs: number, minMs: number, maxMs: number, runs: number }[], medianMs: number, speedupVsNaive: number }>}
 */
export async function benchRank100k({ runs, quick = false, n = 100_000, top = 10, log = console.log } = {}) {
  runs ??= quick ? 3 : 11;
  const vacancy = readJson('vacancy-cnc-machinist.json');
  const crosswalk = compileCrosswalk(readJson('crosswalk.json'));
  const now = new Date(`${DEFAULT_AS_OF}T00:00:00Z`);
  const options = { top, now, crosswalk };

  const gen = time(() => generatePool({ n }));
  const pool = gen.value;
  const skills = pool.reduce((sum, c) => sum + c.skills.length, 0);
  const build = [];
  let index;
  for (let i = 0; i < Math.max(3, Math.ceil(runs / 3)); i++) {
    const t = time(() => createCandidateIndex(pool));
    build.push(t.ms);
    index = t.value;
  }

  // Warm-up: let the JIT settle on every path before timing.
  for (let i = 0; i < 3; i++) {
    rankCandidates(vacancy, index, options);
    rankCandidatesNaive(vacancy, pool, options);
  }

  const samples = { indexed: [], withBuild: [], naive: [] };
  const variants = [
    ['indexed', () => rankCandidates(vacancy, index, options)],
    ['naive', () => rankCandidatesNaive(vacancy, pool, options)],
    ['withBuild', () => rankCandidates(vacancy, pool, options)],
  ];
  for (let i = 0; i < runs; i++) {
    // Interleaved, order rotated each run, so drift and GC debt hit all three alike.
    const results = {};
    for (let k = 0; k < variants.length; k++) {
      const [name, fn] = variants[(k + i) % variants.length];
      globalThis.gc?.();
      const t = sample(fn, SAMPLE_MS);
      samples[name].push(t.ms);
      results[name] = t.value;
    }
    if (!sameTop(results.indexed, results.naive) || !sameTop(results.withBuild, results.naive)) {
      throw new Error('rank-100k: indexed and naive rankings differ');
    }
  }

  const row = (name, values) => ({
    case: name,
    medianMs: median(values),
    minMs: Math.min(...values),
    maxMs: Math.max(...values),
    runs: values.length,
  });
  const rows = [
    row('rankCandidates, index prebuilt', samples.indexed),
    row('rankCandidates, index built inside', samples.withBuild),
    row('createCandidateIndex alone', build),
    row('naive scan (same scoring, same top-k)', samples.naive),
  ];
  const medianMs = rows[0].medianMs;
  const speedupVsNaive = rows[3].medianMs / medianMs;
  const f = (x) => x.toFixed(1).padStart(8);
  log(
    `rank-100k: ${n} candidates (${(skills / n).toFixed(1)} skills each, generated in ${gen.ms.toFixed(0)} ms), ` +
      `${vacancy.requirements.length} requirements, top ${top}, ${runs} runs`,
  );
  log(`  ${'case'.padEnd(40)} ${'median'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}  (ms)`);
  for (const r of rows) log(`  ${r.case.padEnd(40)} ${f(r.medianMs)} ${f(r.minMs)} ${f(r.maxMs)}`);
  log(`  speedup incl. index build: ${(rows[3].medianMs / rows[1].medianMs).toFixed(1)}x`);
  const summary = `rank-100k: median-ms=${medianMs.toFixed(2)} speedup-vs-naive=${speedupVsNaive.toFixed(1)}`;
  log(summary);
  return { rows, medianMs, speedupVsNaive, summary };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const runs = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  await benchRank100k(runs === undefined ? {} : { runs });
}
