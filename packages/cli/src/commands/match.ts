import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  isSkillpassError,
  SKILL_KINDS,
  type SkillKind,
  skillKindOf,
  type VerificationReport,
} from '@skillpass/core';
import {
  type Crosswalk,
  compileCrosswalk,
  type MatchResult,
  matchPassport,
  parseQualificationMap,
  parseTrainingCatalogue,
  parseVacancy,
  planTraining,
  type QualificationMap,
  type RankedCandidate,
  type RequirementMatch,
  rankCandidates,
  summarisePassport,
  type TrainingCatalogue,
  type TrainingPlan,
  type Vacancy,
} from '@skillpass/match';
import { parseCommandArgs, positiveInteger } from '../args.js';
import { neutraliseLines, neutraliseText, shortDid } from '../format.js';
import { type CliIo, EXIT, readJsonInput, resolvePath, UsageError } from '../io.js';
import { createFlagVerifier, readToken, VERIFY_FLAGS, VERIFY_FLAGS_HELP } from '../verify-flags.js';
import type { CommandEntry } from './index.js';

const MATCH_FLAGS = {
  crosswalk: { type: 'string' },
  qualifications: { type: 'string' },
  'as-of': { type: 'string' },
  json: { type: 'boolean' },
} as const;

const MATCH_HELP = `  --crosswalk <file>       crosswalk between taxonomies (schemas/crosswalk.schema.json)
  --qualifications <file>  qualification map (schemas/qualification-map.schema.json): a verified
                           diploma meets the skills its qualification lists
  --as-of <date>           judge evidence age at this date (YYYY-MM-DD; default today)
  --json                   print the result as JSON`;

/** The match flags and the training-plan flags, as `match` and `wallet match` take them. */
export const MATCH_COMMAND_FLAGS = {
  ...MATCH_FLAGS,
  catalogue: { type: 'string' },
  'include-nice-to-have': { type: 'boolean' },
} as const;

/** Help text for {@link MATCH_COMMAND_FLAGS}. */
export const MATCH_COMMAND_HELP = `  --catalogue <file>       training catalogue (schemas/training-catalogue.schema.json)
  --include-nice-to-have   the training plan closes nice-to-have gaps too
${MATCH_HELP}`;

const MATCH_USAGE = `Usage: skillpass match <passport|-> <vacancy.json> [--catalogue <file>] [--json] [verify options]

Verify a passport (as \`skillpass verify\` does), then lay it beside a vacancy
(schemas/vacancy.schema.json): per requirement met, below-level, stale, insufficient-evidence,
unverified or missing, with the tier of the evidence (accredited, employer, self) and how it
reaches the requirement (a skill credential, or a diploma through --qualifications); the
coverage score; and, with --catalogue, the training modules that close the required gaps with
few hours (evidence at too low a tier is closed by an assessment, not a course). Only verified
credentials count: a passport that does not verify, or a lone credential (not a passport:
nothing binds it to the holder), counts as unverified. With --trust, evidence below a
requirement's minTier (default accredited for required, employer for nice-to-have skills) is
insufficient-evidence; without a trust registry tiers are not judged (the output says so). See
docs/matching.md.

${MATCH_COMMAND_HELP}
${VERIFY_FLAGS_HELP}

Exit: 0 matched (whatever the outcomes, verified or not), 2 usage or I/O error (also: an invalid
vacancy, catalogue or crosswalk; a trust registry or status list that does not load).`;

const RANK_USAGE = `Usage: skillpass rank <vacancy.json> <dir-of-passports> [--top k] [--json] [verify options]

Verify every passport in a directory (one token per file, checked in parallel), keep each one's
verified skills, and rank them against the vacancy: the top k with score and the outcome of
every requirement. Candidates are named by file; ties go to the smaller file name.
A file that cannot be read or is not a passport (a lone credential, something oversized) is
listed as failed with its code and not ranked. A holder with several passports is ranked once,
by the best; the others are listed as duplicates.

  --top k                  how many to show (default 10)
  --concurrency n          passports verified at once (default 8)
${MATCH_HELP}
${VERIFY_FLAGS_HELP}

Exit: 0 ranked (whatever the outcomes, even with failed files), 2 usage or I/O error (also: an
invalid vacancy or crosswalk; a trust registry or status list that does not load).`;

const OUTCOME_LABEL: Record<RequirementMatch['outcome'], string> = {
  met: 'met',
  'below-level': 'below level',
  stale: 'stale',
  'insufficient-evidence': 'insufficient evidence',
  unverified: 'unverified',
  missing: 'missing',
};

/** Read a JSON document and validate it; an invalid one is a usage error listing every problem. */
export async function readDocument<T>(
  path: string,
  what: string,
  io: CliIo,
  parse: (data: unknown) => T,
): Promise<T> {
  const data = await readJsonInput(path, io);
  try {
    return parse(data);
  } catch (err) {
    if (!isSkillpassError(err)) throw err;
    throw new UsageError(`${path} is not a valid ${what}: ${err.message}`, {
      code: err.code,
      problems: err.problems,
      cause: err,
    });
  }
}

/** `--as-of YYYY-MM-DD` as midnight UTC; a day that does not exist (2026-02-31) is refused, not rolled over. */
function parseAsOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== value
  ) {
    throw new UsageError(`--as-of must be a date (YYYY-MM-DD), not ${value}`);
  }
  return date;
}

/** Read and compile a crosswalk file, when one is named. */
export async function loadCrosswalk(path: string | undefined, io: CliIo): Promise<Crosswalk | undefined> {
  return path === undefined ? undefined : readDocument(path, 'crosswalk', io, compileCrosswalk);
}

async function loadQualifications(
  path: string | undefined,
  io: CliIo,
): Promise<QualificationMap | undefined> {
  return path === undefined ? undefined : readDocument(path, 'qualification map', io, parseQualificationMap);
}

/** The evidence column: its tier, and whether a diploma meets it (through the qualification map). */
function evidence(r: RequirementMatch): string {
  if (r.held === undefined) return '–';
  const tier = r.tier ?? 'not judged';
  const shown = r.via === 'qualification' ? `diploma, ${tier}` : tier;
  return r.outcome === 'insufficient-evidence' ? `${shown} < ${r.requiredTier}` : shown;
}

/** A table cell of `width` characters, the last one always a space. */
function cell(raw: string, width: number): string {
  // Neutralised before it is cut, so the escapes count towards the width.
  const text = neutraliseText(raw);
  return text.length >= width ? `${text.slice(0, width - 2)}… ` : text.padEnd(width);
}

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

function need(r: RequirementMatch): string {
  const parts = [r.importance === 'required' ? 'req' : 'nice'];
  if (r.requiredLevel !== null) parts.push(`≥${r.requiredLevel}`);
  if (r.maxAgeMonths !== null) parts.push(`≤${r.maxAgeMonths}mo`);
  return parts.join(' ');
}

function holds(r: RequirementMatch): string {
  if (r.outcome === 'unverified') return `(failed: ${(r.codes ?? []).join(', ')})`;
  if (r.held === undefined) return '–';
  const level = r.held.level === null ? 'no level' : `level ${r.held.level}`;
  const via = r.viaCrosswalk === undefined ? '' : r.viaCrosswalk.relation === 'exactMatch' ? ' ≡' : ' ⊂';
  return `${level}${r.held.assessedOn ? `, ${r.held.assessedOn}` : ''}${via}`;
}

const KIND_HEADING: Record<SkillKind, string> = {
  vocational: 'Vocational skills',
  soft: 'Soft skills',
  qualification: 'Through a qualification',
};

/**
 * The kind a requirement row is listed under: `qualification` when a diploma meets it, `soft`
 * when the vacancy or the evidence names a transversal framework, `vocational` otherwise.
 */
function requirementKind(
  r: RequirementMatch,
  report: VerificationReport,
  vacancy: Vacancy | undefined,
): SkillKind {
  if (r.held?.via === 'qualification') return 'qualification';
  const asked = vacancy?.requirements.find((q) => q.uri === r.uri);
  if (asked !== undefined && skillKindOf(asked) === 'soft') return 'soft';
  const index = r.held?.credentialIndex;
  const evidence = index === undefined ? undefined : report.credentials.find((c) => c.index === index)?.skill;
  return evidence !== undefined && evidence !== null && skillKindOf(evidence) === 'soft'
    ? 'soft'
    : 'vocational';
}

/**
 * The readable gap table of `skillpass match` (and, for the worker, `skillpass wallet match`;
 * for the employer's OpenID4VP results, `skillpass verifier result`).
 */
export function formatMatch(
  report: VerificationReport,
  match: MatchResult,
  plan: TrainingPlan | undefined,
  options: { owner?: 'worker'; vacancy?: Vacancy } = {},
): string {
  const lines: string[] = [];
  const failed = report.credentials.filter((c) => !c.verified).length;
  const verdict = report.verified
    ? '✓ verified'
    : `✗ NOT fully verified (${failed} of ${report.credentials.length} credentials failed${report.checks.some((c) => !c.ok) ? ', presentation failed' : ''}): failed credentials do not count`;
  lines.push(`${match.vacancy.title}`);
  lines.push(
    options.owner === 'worker'
      ? `Your wallet (${report.holder ?? '(unknown holder)'}): ${report.verified ? '✓ every credential verified' : `${failed} of ${report.credentials.length} credentials failed verification: they do not count`}`
      : report.kind === 'passport'
        ? `Passport of ${report.holder ?? '(unknown holder)'}: ${verdict}`
        : `✗ Not a passport but a lone credential (${report.format ?? 'unrecognised format'}): nothing binds it to the holder, so it does not count`,
  );
  const required = match.requirements.filter((r) => r.importance === 'required');
  const nice = match.requirements.filter((r) => r.importance === 'nice-to-have');
  const met = (rs: RequirementMatch[]) => rs.filter((r) => r.outcome === 'met').length;
  lines.push(
    `Score ${match.score.toFixed(2)}   required ${pct(match.requiredCoverage)} (${met(required)} of ${required.length} met)` +
      `   nice-to-have ${pct(match.niceToHaveCoverage)} (${met(nice)} of ${nice.length} met)`,
  );
  lines.push('');
  lines.push(
    `  ${cell('requirement', 40)}${cell('needs', 16)}${cell('holds', 26)}${cell('evidence', 26)}outcome`,
  );
  const kinds = match.requirements.map((r) => requirementKind(r, report, options.vacancy));
  const grouped = new Set(kinds).size > 1;
  for (const kind of SKILL_KINDS) {
    const rows = match.requirements.filter((_, i) => kinds[i] === kind);
    if (rows.length === 0) continue;
    if (grouped) lines.push(`  ${KIND_HEADING[kind]}`);
    for (const r of rows) {
      lines.push(
        `  ${cell(r.name, 40)}${cell(need(r), 16)}${cell(holds(r), 26)}${cell(evidence(r), 26)}${OUTCOME_LABEL[r.outcome]}`,
      );
    }
  }
  if (match.requirements.some((r) => r.viaCrosswalk !== undefined)) {
    lines.push('  ≡ matched an equivalent concept, ⊂ a narrower skill (through the crosswalk)');
  }
  for (const r of match.requirements.filter((q) => q.via === 'qualification' && q.held?.qualification)) {
    lines.push(
      `  ${r.name}: certified by the diploma ${r.held!.qualification!.name} (${r.held!.qualification!.id})`,
    );
  }
  if (!match.tiersJudged) lines.push(`  note  ${match.note ?? 'tiers of evidence not judged'}`);
  if (match.extraSkills.length > 0) {
    const extras = match.extraSkills.map((s) => `${s.name}${s.level === null ? '' : ` (${s.level})`}`);
    lines.push('');
    lines.push(`Also verified, not asked for: ${extras.join(', ')}`);
  }
  if (plan !== undefined) {
    lines.push('');
    if (plan.gaps.length === 0) {
      lines.push('Training plan: no gaps to close.');
    } else if (plan.gaps.every((g) => g.action === 'assessment')) {
      lines.push('Training plan: no course needed.');
      for (const g of plan.assessments) {
        lines.push(
          `  Assessment instead of a course: ${g.name} (held as ${g.heldTier ?? 'not judged'}, needs ${g.requiredTier})`,
        );
      }
    } else {
      lines.push(`Training plan: ${plan.modules.length} modules, ${plan.totalHours} hours`);
      const names = new Map(plan.gaps.map((g) => [g.uri, g.name]));
      plan.modules.forEach((m, i) => {
        const what = [
          ...(m.closes.length > 0 ? [`closes ${m.closes.map((u) => names.get(u) ?? u).join(', ')}`] : []),
          ...(m.prerequisiteOf.length > 0 ? [`needed for ${m.prerequisiteOf.join(', ')}`] : []),
        ];
        const provider = m.provider === undefined ? '' : `, ${m.provider}`;
        lines.push(`  ${i + 1}. ${m.title} (${m.id}${provider}, ${m.hours} h): ${what.join('; ')}`);
      });
      for (const g of plan.uncovered) lines.push(`  No module in the catalogue closes: ${g.name}`);
      for (const g of plan.assessments) {
        lines.push(
          `  Assessment instead of a course: ${g.name} (held as ${g.heldTier ?? 'not judged'}, needs ${g.requiredTier})`,
        );
      }
      const stale = plan.gaps.filter((g) => g.outcome === 'stale').map((g) => g.name);
      if (stale.length > 0) {
        lines.push(
          `  Stale evidence, where a fresh assessment may do instead of training: ${stale.join(', ')}`,
        );
      }
    }
  }
  return neutraliseLines(lines);
}

/** The documents a match reads and checks before anything is verified. */
export interface MatchInputs {
  vacancy: Vacancy;
  catalogue: TrainingCatalogue | undefined;
  crosswalk: Crosswalk | undefined;
  qualifications: QualificationMap | undefined;
  now: Date | undefined;
  includeNiceToHave: boolean;
}

/** Read and check the vacancy and every optional document (each invalid one is a usage error). */
export async function readMatchInputs(
  vacancyFile: string,
  values: {
    catalogue?: string | undefined;
    crosswalk?: string | undefined;
    qualifications?: string | undefined;
    'as-of'?: string | undefined;
    'include-nice-to-have'?: boolean | undefined;
  },
  io: CliIo,
): Promise<MatchInputs> {
  return {
    vacancy: await readDocument(vacancyFile, 'vacancy', io, parseVacancy),
    catalogue:
      values.catalogue === undefined
        ? undefined
        : await readDocument(values.catalogue, 'training catalogue', io, parseTrainingCatalogue),
    crosswalk: await loadCrosswalk(values.crosswalk, io),
    qualifications: await loadQualifications(values.qualifications, io),
    now: parseAsOf(values['as-of']),
    includeNiceToHave: values['include-nice-to-have'] === true,
  };
}

/** Lay a verification report beside the vacancy and print the result (JSON or the gap table). */
export function printMatch(
  report: VerificationReport,
  inputs: MatchInputs,
  json: boolean,
  io: CliIo,
  options: { owner?: 'worker' } = {},
): void {
  const { vacancy, catalogue, crosswalk, qualifications, now } = inputs;
  const match = matchPassport(report, vacancy, {
    ...(now === undefined ? {} : { now }),
    ...(crosswalk === undefined ? {} : { crosswalk }),
    ...(qualifications === undefined ? {} : { qualifications }),
  });
  const plan =
    catalogue === undefined
      ? undefined
      : planTraining(match, catalogue, {
          includeNiceToHave: inputs.includeNiceToHave,
          ...(crosswalk === undefined ? {} : { crosswalk }),
        });
  io.stdout(
    json
      ? `${JSON.stringify({ verification: report, match, ...(plan === undefined ? {} : { plan }) }, null, 2)}\n`
      : formatMatch(report, match, plan, { ...options, vacancy }),
  );
}

async function runMatch(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...VERIFY_FLAGS, ...MATCH_COMMAND_FLAGS }, 2);
  const [passportFile, vacancyFile] = positionals;
  if (passportFile === undefined || vacancyFile === undefined) {
    io.stderr(`${MATCH_USAGE}\n`);
    return EXIT.USAGE;
  }
  // Read and check every document before verifying anything.
  const inputs = await readMatchInputs(vacancyFile, values, io);
  const verifier = await createFlagVerifier(values, io);
  const token = await readToken(passportFile, io);

  // A lone credential is verified as `verify` would (its SD-JWT key binding against
  // --audience/--challenge); matchPassport then counts none of it: no passport binds it to a holder.
  const report = await verifier.verify(token);
  printMatch(report, inputs, values.json === true, io);
  return EXIT.OK;
}

/** Run `fn` over `items` with at most `limit` at once, results in input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  onDone: (done: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A progress bar on stderr, redrawn in place; only on a terminal. */
function progress(io: CliIo, total: number): { update(done: number): void; end(): void } {
  if (!io.isTTY || total === 0) return { update: () => {}, end: () => {} };
  const width = 30;
  let shown = -1;
  return {
    update(done) {
      const filled = Math.round((done / total) * width);
      if (filled === shown && done !== total) return;
      shown = filled;
      io.stderr(`\rverifying [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    end() {
      io.stderr('\n');
    },
  };
}

/** The files of a pool directory: every entry but dot files and directories (a dangling link is kept, and fails). */
function listPassports(dir: string, io: CliIo): string[] {
  const path = resolvePath(dir, io);
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (err) {
    throw new UsageError(
      `cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { code: 'ERR_NOT_FOUND' },
    );
  }
  return names
    .filter((n) => !n.startsWith('.'))
    .sort()
    .filter((n) => statSync(join(path, n), { throwIfNoEntry: false })?.isDirectory() !== true);
}

/** What `rank --json` says of each file of the pool. */
interface PoolEntry {
  file: string;
  holder: string | null;
  verified: boolean;
  codes: string[];
  /**
   * Why the file is not ranked: `failed` (unreadable, or not a passport at all: a lone
   * credential, something oversized or malformed) or `duplicate` (its holder is ranked by a
   * better passport, {@link PoolEntry.duplicateOf}).
   */
  excluded?: 'failed' | 'duplicate';
  /** For a duplicate: the file of the holder's passport that is ranked. */
  duplicateOf?: string;
}

/** Read and verify one file; a file that cannot be read is a failed entry, not a failed ranking. */
async function verifyFile(
  dir: string,
  file: string,
  io: CliIo,
  verifyPassport: (token: string) => Promise<VerificationReport>,
): Promise<{ entry: PoolEntry; report?: VerificationReport }> {
  let token: string;
  try {
    token = await readToken(join(dir, file), io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return { entry: { file, holder: null, verified: false, codes: [err.code], excluded: 'failed' } };
  }
  // Every file is verified as a passport: a lone credential proves no holder and fails (ERR_MALFORMED).
  const report = await verifyPassport(token);
  const entry: PoolEntry = {
    file,
    holder: report.holder,
    verified: report.verified,
    codes: [...new Set(report.problems.map((p) => p.code))],
  };
  // No holder: the passport did not even parse, so there is no candidate to rank.
  if (report.holder === null) return { entry: { ...entry, excluded: 'failed' } };
  return { entry, report };
}

/** One line per candidate: the required gaps, then how many nice-to-haves are met. */
function explain(c: RankedCandidate): string {
  const gaps = c.requirements
    .filter((r) => r.importance === 'required' && r.outcome !== 'met')
    .map((r) =>
      r.outcome === 'below-level'
        ? `${r.name} (${r.held?.level ?? 'no level'} < ${r.requiredLevel})`
        : r.outcome === 'insufficient-evidence'
          ? `${r.name} (${r.tier ?? 'not judged'} < ${r.requiredTier})`
          : `${r.name} (${OUTCOME_LABEL[r.outcome]})`,
    );
  const nice = c.requirements.filter((r) => r.importance === 'nice-to-have');
  const niceMet = nice.filter((r) => r.outcome === 'met').length;
  const tail = nice.length === 0 ? '' : `; nice-to-have ${niceMet}/${nice.length} met`;
  return `${gaps.length === 0 ? 'all required met' : `required gaps: ${gaps.join(', ')}`}${tail}`;
}

async function runRank(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { ...VERIFY_FLAGS, ...MATCH_FLAGS, top: { type: 'string' }, concurrency: { type: 'string' } },
    2,
  );
  const [vacancyFile, dir] = positionals;
  if (vacancyFile === undefined || dir === undefined) {
    io.stderr(`${RANK_USAGE}\n`);
    return EXIT.USAGE;
  }
  const vacancy = await readDocument(vacancyFile, 'vacancy', io, parseVacancy);
  const crosswalk = await loadCrosswalk(values.crosswalk, io);
  const qualifications = await loadQualifications(values.qualifications, io);
  const now = parseAsOf(values['as-of']);
  const top = positiveInteger(values.top, 'top', 10);
  const concurrency = positiveInteger(values.concurrency, 'concurrency', 8);
  const verifier = await createFlagVerifier(values, io);
  const files = listPassports(dir, io);

  // Each file is read inside its worker, so at most `concurrency` tokens are in memory at once.
  const bar = progress(io, files.length);
  const verified = await mapLimited(
    files,
    concurrency,
    (file) => verifyFile(dir, file, io, verifier.verifyPassport),
    (done) => bar.update(done),
  );
  bar.end();

  const entries = verified.map((v) => v.entry);
  const pool = verified.flatMap((v) =>
    v.report === undefined
      ? []
      : [summarisePassport(v.report, v.entry.file, qualifications === undefined ? {} : { qualifications })],
  );
  // rankCandidates ranks each authenticated holder once (summarisePassport names the holder).
  const { duplicates, ...result } = rankCandidates(vacancy, pool, {
    top,
    ...(now === undefined ? {} : { now }),
    ...(crosswalk === undefined ? {} : { crosswalk }),
  });
  const byFile = new Map(entries.map((e) => [e.file, e]));
  for (const d of duplicates) {
    const entry = byFile.get(d.id)!;
    entry.excluded = 'duplicate';
    entry.duplicateOf = d.duplicateOf;
  }
  if (values.json) {
    io.stdout(`${JSON.stringify({ ...result, passports: entries }, null, 2)}\n`);
    return EXIT.OK;
  }
  io.stdout(formatRanking(vacancy.title, result.candidates, entries));
  return EXIT.OK;
}

/** The readable ranking of `skillpass rank`: counts, the table, then what was left out and why. */
function formatRanking(
  title: string,
  candidates: readonly RankedCandidate[],
  entries: readonly PoolEntry[],
): string {
  const count = (p: (e: PoolEntry) => boolean) => entries.filter(p).length;
  const failed = entries.filter((e) => e.excluded === 'failed');
  const duplicates = entries.filter((e) => e.excluded === 'duplicate');
  const partial = count((e) => e.excluded !== 'failed' && !e.verified);
  const byFile = new Map(entries.map((e) => [e.file, e]));
  const lines = [
    `${title}: ${entries.length} passports, ${count((e) => e.verified)} fully verified` +
      (partial > 0 ? `, ${partial} with failed credentials (those do not count)` : '') +
      (failed.length > 0 ? `, ${failed.length} failed (not ranked)` : '') +
      (duplicates.length > 0
        ? `, ${duplicates.length} duplicate${duplicates.length === 1 ? '' : 's'} (a holder ranked already)`
        : ''),
    '',
    `  ${cell('#', 5)}${cell('score', 7)}${cell('required', 10)}${cell('passport', 24)}${cell('holder', 30)}explanation`,
  ];
  for (const c of candidates) {
    lines.push(
      `  ${cell(String(c.rank), 5)}${cell(c.score.toFixed(2), 7)}${cell(pct(c.requiredCoverage), 10)}${cell(c.id, 24)}${cell(shortDid(byFile.get(c.id)?.holder ?? null, 28), 30)}${explain(c)}`,
    );
  }
  if (failed.length > 0 || duplicates.length > 0) lines.push('');
  for (const e of failed) lines.push(`  failed     ${e.file}: ${e.codes.join(', ')}`);
  for (const e of duplicates) {
    lines.push(
      `  duplicate  ${e.file}: same holder as ${e.duplicateOf} (only a holder's best passport is ranked)`,
    );
  }
  return neutraliseLines(lines);
}

/** `skillpass match`. */
export const matchCommand: CommandEntry = {
  name: 'match',
  summary: 'verify a passport and lay it beside a vacancy: gaps, score, training plan',
  usage: MATCH_USAGE,
  run: runMatch,
};

/** `skillpass rank`. */
export const rankCommand: CommandEntry = {
  name: 'rank',
  summary: 'verify a directory of passports and rank them for a vacancy',
  usage: RANK_USAGE,
  run: runRank,
};
