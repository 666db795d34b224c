import { randomBytes } from 'node:crypto';
import { LIMITS, SkillpassError, type VerificationReport } from '@skillpass/core';
import {
  type Crosswalk,
  planTraining,
  type QualificationMap,
  type RankResult,
  rankCandidates,
  summarisePassport,
  type TrainingCatalogue,
  type TrainingPlan,
  type Vacancy,
} from '@skillpass/match';
import type { Verifier } from '@skillpass/verifier';
import { createPresentationRequest, type PresentationRequest } from '../create-request.js';
import { type PresentationResult, readPresentationResult } from '../service.js';
import type { VerifierStore } from '../verifier-store.js';
import type { KnownSkill } from './vacancy-form.js';

/** Most passports one ranking takes. */
export const MAX_POOL_FILES = 500;
/** Ranking jobs kept in memory (the oldest finished ones are dropped first). */
export const MAX_RANK_JOBS = 20;
/** Passports verified at once in a ranking. */
const POOL_CONCURRENCY = 4;

/** Options of {@link createEmployerConsole}. */
export interface EmployerConsoleOptions {
  store: VerifierStore;
  /** The verifier the service uses (status and trust configured): every passport gets every check. */
  verifier: Verifier;
  crosswalk?: Crosswalk;
  /** The training catalogue: with it, results and rankings carry a training plan. */
  catalogue?: TrainingCatalogue;
  /** Lets a verified diploma meet the skills its qualification certifies (ranking). */
  qualifications?: QualificationMap;
  /** The skills the compose form offers. */
  skills?: readonly KnownSkill[];
  /** The public URL requests point at (default: the one recorded in the store). */
  publicUrl?: string;
  /** Allow an http public URL on loopback (demos, tests). */
  allowHttpLocalhost?: boolean;
  /** How long a request can be answered, in seconds. Default 600. */
  requestTtlSeconds?: number;
  now?: () => Date;
}

/** A presentation result with the vacancy's training plan. */
export interface ResultView {
  result: PresentationResult;
  /** The training plan for the gaps (needs a catalogue and a match). */
  plan: TrainingPlan | null;
}

/** One uploaded passport of a pool. */
export interface PoolFile {
  /** The file name (shown, and the candidate's id in the ranking). */
  name: string;
  /** The passport (a vp+jwt). */
  token: string;
}

/** What a ranking says of each file of the pool (as `skillpass rank --json`). */
export interface PoolEntry {
  file: string;
  holder: string | null;
  verified: boolean;
  codes: string[];
  /** Why the file is not ranked: it failed (no holder could be read) or its holder is ranked by another file. */
  excluded?: 'failed' | 'duplicate';
  duplicateOf?: string;
}

/** A ranking of a pool, in progress or done. */
export interface RankJob {
  id: string;
  vacancy: Vacancy;
  status: 'running' | 'done' | 'failed';
  total: number;
  /** Passports verified so far. */
  done: number;
  startedAt: string;
  /** With status `done`. */
  ranking?: Omit<RankResult, 'duplicates'>;
  entries?: PoolEntry[];
  /** With status `failed`: the code. */
  error?: string;
}

/** Options of a ranking. */
export interface StartRankingOptions {
  vacancy: Vacancy;
  files: readonly PoolFile[];
  /** Who the passports must be addressed to; absent: not checked. */
  audience?: string;
  /** The challenge they must carry; absent: not checked. */
  challenge?: string;
  /** How many candidates to list. Default 10. */
  top?: number;
}

/** The employer's console: what its staff pages do, over the verifier service and `@skillpass/match`. */
export interface EmployerConsole {
  readonly skills: readonly KnownSkill[];
  /** A new OpenID4VP request for the vacancy. */
  createRequest(vacancy: Vacancy): Promise<PresentationRequest>;
  /** The outcome of a request, with the training plan for its gaps; undefined for an unknown id. */
  result(id: string): ResultView | undefined;
  /** Start verifying and ranking a pool; returns at once (poll {@link EmployerConsole.rankJob}). */
  startRanking(options: StartRankingOptions): RankJob;
  /** A ranking by id. */
  rankJob(id: string): RankJob | undefined;
}

/**
 * The employer's console over the existing packages: requests by `createPresentationRequest`,
 * outcomes by `readPresentationResult` (verification and match done by the service when the
 * wallet answers) and `planTraining`, pool rankings by `verifyPassport`, `summarisePassport` and
 * `rankCandidates`. The staff pages of `skillpass verifier serve` call only this.
 *
 * @example
 * ```ts
 * const employer = createEmployerConsole({ store, verifier, catalogue });
 * const { uri, id } = await employer.createRequest(vacancy);
 * ```
 */
export function createEmployerConsole(options: EmployerConsoleOptions): EmployerConsole {
  const now = options.now ?? (() => new Date());
  const jobs = new Map<string, RankJob>();

  function plan(result: PresentationResult): TrainingPlan | null {
    if (options.catalogue === undefined || result.match === null) return null;
    return planTraining(result.match, options.catalogue, {
      ...(options.crosswalk !== undefined ? { crosswalk: options.crosswalk } : {}),
    });
  }

  function keepJob(job: RankJob): void {
    if (jobs.size >= MAX_RANK_JOBS) {
      const oldest = [...jobs.values()].find((j) => j.status !== 'running');
      if (oldest === undefined) {
        throw new SkillpassError(
          'ERR_INVALID_OPTIONS',
          'too many rankings are running; wait for one to finish',
        );
      }
      jobs.delete(oldest.id);
    }
    jobs.set(job.id, job);
  }

  async function run(job: RankJob, files: readonly PoolFile[], opts: StartRankingOptions): Promise<void> {
    const at = now();
    const verifyOptions = {
      now: at,
      ...(opts.audience !== undefined ? { audience: opts.audience } : { allowAnyAudience: true }),
      ...(opts.challenge !== undefined ? { challenge: opts.challenge } : { allowAnyChallenge: true }),
    };
    const reports = new Array<VerificationReport>(files.length);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        reports[i] = await options.verifier.verifyPassport(files[i]!.token, verifyOptions);
        job.done += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(POOL_CONCURRENCY, files.length) }, worker));
    const entries: PoolEntry[] = files.map((f, i) => {
      const r = reports[i]!;
      return {
        file: f.name,
        holder: r.holder,
        verified: r.verified,
        codes: [...new Set(r.problems.map((p) => p.code))],
        ...(r.holder === null ? { excluded: 'failed' as const } : {}),
      };
    });
    const pool = files.flatMap((f, i) =>
      reports[i]!.holder === null
        ? []
        : [
            summarisePassport(
              reports[i]!,
              f.name,
              options.qualifications === undefined ? {} : { qualifications: options.qualifications },
            ),
          ],
    );
    const { duplicates, ...ranking } = rankCandidates(opts.vacancy, pool, {
      top: opts.top ?? 10,
      now: at,
      ...(options.crosswalk !== undefined ? { crosswalk: options.crosswalk } : {}),
    });
    const byFile = new Map(entries.map((e) => [e.file, e]));
    for (const d of duplicates) {
      const entry = byFile.get(d.id);
      if (entry !== undefined) {
        entry.excluded = 'duplicate';
        entry.duplicateOf = d.duplicateOf;
      }
    }
    job.ranking = ranking;
    job.entries = entries;
    job.status = 'done';
  }

  return {
    skills: options.skills ?? [],
    createRequest(vacancy) {
      return createPresentationRequest(options.store, {
        vacancy,
        now: now(),
        expiresInSeconds: options.requestTtlSeconds ?? 600,
        ...(options.publicUrl !== undefined ? { publicUrl: options.publicUrl } : {}),
        ...(options.allowHttpLocalhost === true ? { allowHttpLocalhost: true } : {}),
      });
    },
    result(id) {
      const result = readPresentationResult(options.store, id, now());
      return result === undefined ? undefined : { result, plan: plan(result) };
    },
    startRanking(opts) {
      const files = opts.files;
      if (files.length === 0) throw new SkillpassError('ERR_INVALID_OPTIONS', 'upload at least one passport');
      if (files.length > MAX_POOL_FILES) {
        throw new SkillpassError('ERR_INPUT_TOO_LARGE', `at most ${MAX_POOL_FILES} passports at once`);
      }
      const names = new Set<string>();
      for (const f of files) {
        if (Buffer.byteLength(f.token, 'utf8') > LIMITS.maxPassportBytes) {
          throw new SkillpassError('ERR_INPUT_TOO_LARGE', `${f.name} is larger than a passport may be`);
        }
        if (names.has(f.name)) throw new SkillpassError('ERR_INVALID_OPTIONS', `${f.name} is uploaded twice`);
        names.add(f.name);
      }
      const job: RankJob = {
        id: randomBytes(16).toString('base64url'),
        vacancy: opts.vacancy,
        status: 'running',
        total: files.length,
        done: 0,
        startedAt: now().toISOString(),
      };
      keepJob(job);
      run(job, files, opts).catch((err: unknown) => {
        job.status = 'failed';
        job.error = err instanceof SkillpassError ? err.code : 'ERR_MALFORMED';
      });
      return job;
    },
    rankJob(id) {
      return jobs.get(id);
    },
  };
}
