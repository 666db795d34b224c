import { type Problem, problem, SkillpassError, validateSchema } from '@skillpass/core';
import { MATCH_LIMITS } from '../limits.js';
import type { TrainingCatalogue } from '../types.js';

/** A validated catalogue with its prerequisite graph by module position. */
export interface PreparedCatalogue {
  catalogue: TrainingCatalogue;
  /** Per module: positions of its prerequisites, in the order listed. */
  prerequisiteIndexes: number[][];
  /**
   * Per module m: the module and every module it needs first, transitively, in depth-first
   * preorder, at `closure[closureStart[m] .. closureStart[m + 1])`. At most
   * `MATCH_LIMITS.prerequisiteClosure + 1` entries each.
   */
  closureStart: Int32Array;
  closure: Int32Array;
}

/**
 * Check a training catalogue (size cap first, then schema, then the rules a schema cannot say)
 * and index its prerequisites. Every walk is iterative and linear in the catalogue times the
 * closure cap, whatever shape the prerequisites take.
 *
 * @throws SkillpassError ERR_INPUT_TOO_LARGE or ERR_SCHEMA_INVALID (see parseTrainingCatalogue).
 */
export function prepareCatalogue(data: unknown): PreparedCatalogue {
  const modules = (data as { modules?: unknown } | null)?.modules;
  if (Array.isArray(modules) && modules.length > MATCH_LIMITS.catalogueModules) {
    tooLarge(
      `training catalogue has ${modules.length} modules (at most ${MATCH_LIMITS.catalogueModules})`,
      '/modules',
    );
  }
  const problems = validateSchema('training-catalogue', data);
  if (problems.length > 0) invalid(problems);
  const catalogue = data as TrainingCatalogue;

  const positions = new Map<string, number>();
  catalogue.modules.forEach((m, i) => {
    if (positions.has(m.id)) {
      problems.push(problem('ERR_SCHEMA_INVALID', `module id ${m.id} is used twice`, `/modules/${i}/id`));
    } else {
      positions.set(m.id, i);
    }
  });
  const prerequisiteIndexes = catalogue.modules.map((m, i) =>
    (m.prerequisites ?? []).map((p, j) => {
      const at = positions.get(p);
      if (at === undefined) {
        problems.push(
          problem('ERR_SCHEMA_INVALID', `unknown prerequisite ${p}`, `/modules/${i}/prerequisites/${j}`),
        );
      }
      return at ?? -1;
    }),
  );
  if (problems.length > 0) invalid(problems);
  const onCycle = moduleOnCycle(prerequisiteIndexes);
  if (onCycle !== -1) {
    invalid([
      problem(
        'ERR_SCHEMA_INVALID',
        `prerequisites of ${catalogue.modules[onCycle]!.id} form a cycle`,
        `/modules/${onCycle}/prerequisites`,
      ),
    ]);
  }
  return { catalogue, prerequisiteIndexes, ...closures(catalogue, prerequisiteIndexes) };
}

function invalid(problems: Problem[]): never {
  throw new SkillpassError('ERR_SCHEMA_INVALID', 'training catalogue does not match its schema', {
    problems,
  });
}

function tooLarge(message: string, path: string): never {
  throw new SkillpassError('ERR_INPUT_TOO_LARGE', message, {
    problems: [problem('ERR_INPUT_TOO_LARGE', message, path)],
  });
}

/**
 * Kahn's algorithm: take modules whose prerequisites are all taken. If some remain, each of them
 * has a remaining prerequisite, so walking remaining prerequisites from the first one (in
 * catalogue order) must come back to a module: that one lies on a cycle. -1 when acyclic.
 */
function moduleOnCycle(prerequisites: readonly number[][]): number {
  const n = prerequisites.length;
  const waiting = new Int32Array(n);
  const dependents: number[][] = prerequisites.map(() => []);
  prerequisites.forEach((list, m) => {
    waiting[m] = list.length;
    for (const p of list) dependents[p]!.push(m);
  });
  const queue: number[] = [];
  for (let m = 0; m < n; m++) if (waiting[m] === 0) queue.push(m);
  for (let i = 0; i < queue.length; i++) {
    for (const d of dependents[queue[i]!]!) if (--waiting[d]! === 0) queue.push(d);
  }
  if (queue.length === n) return -1;
  const seen = new Uint8Array(n);
  let at = waiting.findIndex((w) => w > 0);
  while (seen[at] === 0) {
    seen[at] = 1;
    at = prerequisites[at]!.find((p) => waiting[p]! > 0)!;
  }
  return at;
}

/** Each module's closure in depth-first preorder, refusing any above the cap. */
function closures(
  catalogue: TrainingCatalogue,
  prerequisites: readonly number[][],
): { closureStart: Int32Array; closure: Int32Array } {
  const n = prerequisites.length;
  const cap = MATCH_LIMITS.prerequisiteClosure + 1;
  const closureStart = new Int32Array(n + 1);
  let closure = new Int32Array(Math.min(n * cap, 1 << 16));
  let size = 0;
  const stamp = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  for (let m = 0; m < n; m++) {
    closureStart[m] = size;
    stack.push(m);
    let count = 0;
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (stamp[x] === m) continue;
      stamp[x] = m;
      if (++count > cap) {
        tooLarge(
          `module ${catalogue.modules[m]!.id} needs more than ${MATCH_LIMITS.prerequisiteClosure} modules first`,
          `/modules/${m}/prerequisites`,
        );
      }
      if (size === closure.length) {
        const grown = new Int32Array(closure.length * 2);
        grown.set(closure);
        closure = grown;
      }
      closure[size++] = x;
      const list = prerequisites[x]!;
      for (let j = list.length - 1; j >= 0; j--) if (stamp[list[j]!] !== m) stack.push(list[j]!);
    }
  }
  closureStart[n] = size;
  return { closureStart, closure: closure.subarray(0, size) };
}
