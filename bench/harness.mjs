import { performance } from 'node:perf_hooks';

/**
 * @typedef {object} Contender
 * @property {string} name  Row label.
 * @property {() => unknown} fn  One operation; may return a promise.
 */

/**
 * @typedef {object} CompareOptions
 * @property {number} rounds  Interleaved rounds; each contender runs once per round.
 * @property {number} minMs  Minimum duration of one run, in ms.
 * @property {number} warmupMs  Warm-up per contender before the first round, in ms.
 */

/** Benchmark settings: full (the documented numbers) or `--quick` (a smoke test). */
export function settingsFor(quick) {
  return quick ? { rounds: 2, minMs: 200, warmupMs: 100 } : { rounds: 7, minMs: 1000, warmupMs: 1000 };
}

/** Run `fn` back to back for at least `minMs`; ops per second. */
async function runFor(fn, minMs) {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    const result = fn();
    if (result !== undefined && typeof result.then === 'function') await result;
    ops++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return (ops * 1000) / elapsed;
}

/**
 * Measure contenders in the same process, interleaved: every round runs each contender for at
 * least `minMs`, rotating the order so none always runs first (or right after a GC-heavy one).
 * The result per contender is the median of its rounds.
 *
 * @param {Contender[]} contenders
 * @param {CompareOptions} options
 */
export async function compare(contenders, options) {
  for (const c of contenders) await runFor(c.fn, options.warmupMs);
  const samples = contenders.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + round) % contenders.length;
      globalThis.gc?.();
      samples[i].push(await runFor(contenders[i].fn, options.minMs));
    }
  }
  return contenders.map((c, i) => {
    const sorted = [...samples[i]].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { name: c.name, opsPerSec: median, msPerOp: 1000 / median, samples: samples[i] };
  });
}

/** Print a result table: ops/s and ms/op (medians), and every round's ops/s. */
export function printTable(title, results) {
  const width = Math.max(...results.map((r) => r.name.length), 9);
  console.log(`\n${title}`);
  console.log(`${'contender'.padEnd(width)}  ${'ops/s'.padStart(10)}  ${'ms/op'.padStart(9)}  runs (ops/s)`);
  for (const r of results) {
    const runs = r.samples.map((s) => s.toFixed(0)).join(' ');
    console.log(
      `${r.name.padEnd(width)}  ${r.opsPerSec.toFixed(1).padStart(10)}  ${r.msPerOp.toFixed(3).padStart(9)}  ${runs}`,
    );
  }
}

/** Throw when a precondition of a benchmark does not hold: never time a failing path. */
export function check(condition, message) {
  if (!condition) throw new Error(`benchmark setup: ${message}`);
}
