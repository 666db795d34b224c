import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SkillAssessment } from '@skillpass/core';
import { createPassport, presentSdJwtCredential } from '@skillpass/holder';
import { issueSdJwtSkillCredential, issueSkillCredential } from '@skillpass/issuer';
import { describe, expect, it } from 'vitest';
import { crosswalkChain } from '../../../bench/hostile-shapes.mjs';
import { runCli } from '../../../test-support/cli.js';
import { makeIdentity, type TestIdentity } from '../../../test-support/fixtures.js';
import { main } from '../src/main.js';

const SECTOR = fileURLToPath(new URL('../../../examples/metal-sector/', import.meta.url));
const vacancyFile = join(SECTOR, 'vacancy-cnc-machinist.json');
const catalogueFile = join(SECTOR, 'training-catalogue.json');
const crosswalkFile = join(SECTOR, 'crosswalk.json');
const ESCO = 'http://data.europa.eu/esco/skill/';
const centre = makeIdentity();
const dir = mkdtempSync(join(tmpdir(), 'skillpass-match-'));

function assessment(
  uri: string,
  name: string,
  level: number,
  assessedOn: string,
  extra: Partial<SkillAssessment> = {},
) {
  return {
    skill: { uri, name },
    level,
    evidence: [{ method: 'practical-exam' as const, assessedOn }],
    ...extra,
  };
}

async function passportOf(worker: TestIdentity, assessments: SkillAssessment[], audience = 'A') {
  const tokens = await Promise.all(
    assessments.map(
      async (a) =>
        (
          await issueSkillCredential(a, {
            issuer: { did: centre.did, name: 'Metal Assessment Centre' },
            subject: worker.did,
            signingKey: centre.signingKey,
            // One with an end date is issued on its assessment day, so it can have expired since.
            ...(a.validUntil === undefined
              ? {}
              : { now: new Date(`${a.evidence[0]!.assessedOn}T12:00:00Z`) }),
          })
        ).token,
    ),
  );
  return createPassport({ holder: worker, credentials: tokens, audience, challenge: 'C' });
}

async function credentialFor(worker: TestIdentity, a: SkillAssessment): Promise<string> {
  return (
    await issueSkillCredential(a, {
      issuer: { did: centre.did, name: 'Metal Assessment Centre' },
      subject: worker.did,
      signingKey: centre.signingKey,
    })
  ).token;
}

type Requirement = { uri: string; outcome: string; codes?: string[] };
const outcomeOf = (out: { match: { requirements: Requirement[] } }, uri: string) =>
  out.match.requirements.find((r) => r.uri === uri);

const prog = `${ESCO}bf942c60-8539-4951-83ee-63f770da1cb8`;
const blueprints = `${ESCO}68b6ef08-d823-489d-a95c-752ae6f6e6a7`;
const milling = `${ESCO}6ecfe937-7302-4d93-9bbc-4634411a51ee`;
const fiveAxis = `${ESCO}06f370a0-3101-4272-98d9-a430d7585757`;
const quality = `${ESCO}1fa4641f-fd05-4827-89e2-6ce5b9a4463e`;

const sanne = makeIdentity();
const sanneAssessments: SkillAssessment[] = [
  assessment(blueprints, 'read standard blueprints', 4, '2026-10-12'),
  assessment(
    'https://linkeddata.competentnl.nl/uwv/id/skill/4501001',
    'CNC-machines programmeren',
    2,
    '2025-03-10',
  ),
  assessment(fiveAxis, 'operate a 5-axis CNC milling machine', 3, '2026-01-10'),
  // Expired: must not count.
  assessment(quality, 'monitor machining quality', 3, '2024-05-20', { validUntil: '2025-01-01T00:00:00Z' }),
];

describe('skillpass match', () => {
  it('prints the gap table and the training plan', async () => {
    const file = join(dir, 'sanne.jwt');
    writeFileSync(file, await passportOf(sanne, sanneAssessments));
    const run = await runCli([
      'match',
      file,
      vacancyFile,
      '--catalogue',
      catalogueFile,
      '--crosswalk',
      crosswalkFile,
      '--audience',
      'A',
      '--challenge',
      'C',
      '--as-of',
      '2026-11-01',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /program a CNC controller\s+req ≥3 ≤36mo\s+level 2, 2025-03-10 ≡\s+not judged\s+below level/,
    );
    expect(run.stdout).toMatch(
      /operate a CNC milling machine\s+req ≥3 ≤36mo\s+level 3, 2026-01-10 ⊂\s+not judged\s+met/,
    );
    expect(run.stdout).toContain('tiers of evidence not judged');
    expect(run.stdout).toMatch(
      /monitor machining quality\s+req ≥2\s+\(failed: ERR_EXPIRED\)\s+–\s+unverified/,
    );
    expect(run.stdout).toContain('Training plan:');
    expect(run.stdout).toContain('CNC programming 2');
  });

  it('prints verification, match and plan as JSON', async () => {
    const file = join(dir, 'sanne-json.jwt');
    writeFileSync(file, await passportOf(sanne, sanneAssessments));
    const run = await runCli([
      'match',
      file,
      vacancyFile,
      '--catalogue',
      catalogueFile,
      '--crosswalk',
      crosswalkFile,
      '--audience',
      'A',
      '--challenge',
      'C',
      '--as-of',
      '2026-11-01',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.verification.verified).toBe(false);
    expect(out.match.counts).toEqual({
      met: 2,
      'below-level': 1,
      stale: 0,
      'insufficient-evidence': 0,
      unverified: 1,
      missing: 8,
    });
    expect(out.match.tiersJudged).toBe(false);
    // Required weights sum to W = 16 and carry 64/65 of the score (nice-to-haves w_min/(4W + w_min)):
    // blueprints 2 + milling 3 + programming 3 × 1/3.
    expect(out.match.score).toBeCloseTo((6 / 16) * (64 / 65), 12);
    expect(out.plan.uncovered).toEqual([]);
    expect(out.plan.gaps.every((g: { closedBy?: string }) => typeof g.closedBy === 'string')).toBe(true);
  });

  it('counts nothing from a passport addressed to someone else', async () => {
    const file = join(dir, 'elsewhere.jwt');
    writeFileSync(file, await passportOf(sanne, sanneAssessments, 'someone-else'));
    const run = await runCli(['match', file, vacancyFile, '--audience', 'A', '--challenge', 'C', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.match.score).toBe(0);
    expect(out.match.counts.met).toBe(0);
  });

  it('rejects an invalid vacancy with exit 2, naming the field', async () => {
    const bad = join(dir, 'bad-vacancy.json');
    writeFileSync(
      bad,
      JSON.stringify({ title: 'x', requirements: [{ uri: prog, name: 'p', importance: 'maybe' }] }),
    );
    const run = await runCli(['match', join(dir, 'sanne.jwt'), bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ERR_SCHEMA_INVALID at /requirements/0/importance');
  });

  it('rejects an invalid catalogue and missing arguments with exit 2', async () => {
    const bad = join(dir, 'bad-catalogue.json');
    writeFileSync(bad, JSON.stringify({ modules: [{ id: 'a', title: 'A', hours: -1, teaches: [] }] }));
    const run = await runCli(['match', join(dir, 'sanne.jwt'), vacancyFile, '--catalogue', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('at /modules/0/hours');
    expect((await runCli(['match', vacancyFile])).code).toBe(2);
    expect((await runCli(['match', join(dir, 'nope.jwt'), vacancyFile])).code).toBe(2);
  });
});

describe('skillpass match: lone credentials, verifier set-up, arguments', () => {
  const base = ['--audience', 'A', '--challenge', 'C', '--as-of', '2026-11-01', '--json'];

  it('a lone SD-JWT whose key binding is for another employer is checked against --audience: not met', async () => {
    const issued = await issueSdJwtSkillCredential(
      assessment(prog, 'program a CNC controller', 4, '2026-06-01'),
      {
        issuer: { did: centre.did, name: 'Metal Assessment Centre' },
        subject: sanne.did,
        signingKey: centre.signingKey,
      },
    );
    const file = join(dir, 'sd-jwt-for-b.txt');
    writeFileSync(
      file,
      await presentSdJwtCredential(issued.token, {
        audience: 'B',
        challenge: 'C',
        signingKey: sanne.signingKey,
      }),
    );
    const run = await runCli(['match', file, vacancyFile, ...base]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.verification.kind).toBe('credential');
    expect(out.verification.problems.map((p: { code: string }) => p.code)).toEqual(['ERR_AUDIENCE_MISMATCH']);
    expect(outcomeOf(out, prog)?.outcome).toBe('unverified');
    expect(out.match.counts.met).toBe(0);
  });

  it('a lone vc+jwt issued to someone else counts for nothing (ERR_HOLDER_MISMATCH)', async () => {
    const file = join(dir, 'lone-vc.jwt');
    writeFileSync(
      file,
      await credentialFor(makeIdentity(), assessment(prog, 'program a CNC controller', 4, '2026-06-01')),
    );
    const run = await runCli(['match', file, vacancyFile, ...base]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.match.counts.met).toBe(0);
    expect(outcomeOf(out, prog)).toMatchObject({ outcome: 'unverified', codes: ['ERR_HOLDER_MISMATCH'] });
    const table = await runCli(['match', file, vacancyFile, ...base.slice(0, -1)]);
    expect(table.stdout).not.toMatch(/\bmet$/m);
  });

  it('a --trust registry or --status-lists file that does not load is exit 2 with its code, nothing printed', async () => {
    const passport = join(dir, 'trust-sanne.jwt');
    writeFileSync(passport, await passportOf(sanne, sanneAssessments));
    const badRegistry = join(dir, 'bad-registry.json');
    writeFileSync(badRegistry, JSON.stringify({ assessmentCentres: 'none' }));
    const lists = join(dir, 'bad-lists');
    mkdirSync(lists);
    writeFileSync(join(lists, '1'), 'not a status list');
    for (const [flags, code] of [
      [['--trust', badRegistry], 'ERR_SCHEMA_INVALID'],
      [['--trust', join(dir, 'no-registry.json')], 'ERR_NOT_FOUND'],
      [['--status-lists', lists], 'ERR_MALFORMED'],
    ] as const) {
      for (const argv of [
        ['match', passport, vacancyFile, ...flags],
        ['rank', vacancyFile, lists, ...flags],
        ['verify', passport, ...flags],
      ]) {
        const run = await runCli(argv);
        expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toContain(`skillpass: ${code}:`);
      }
    }
  });

  it('refuses a 50,000-relation crosswalk chain with ERR_INPUT_TOO_LARGE in match and rank (issue 14)', async () => {
    // Once: 16 s and 2.1 GB at 20,000 relations; out of heap, SIGABRT and empty stdout at 50,000.
    const chain = join(dir, 'chain-crosswalk.json');
    writeFileSync(chain, JSON.stringify(crosswalkChain(50_000)));
    const pool = join(dir, 'chain-pool');
    mkdirSync(pool, { recursive: true });
    for (const argv of [
      ['match', join(dir, 'sanne.jwt'), vacancyFile, '--crosswalk', chain, '--json'],
      ['rank', vacancyFile, pool, '--crosswalk', chain, '--json'],
    ]) {
      const run = await runCli(argv);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('skillpass: ERR_INPUT_TOO_LARGE:');
    }
  });

  it('--as-of must be a day that exists (2026-02-31 is refused, not rolled over)', async () => {
    for (const day of ['2026-02-31', '2026-04-31', '2025-02-29', '2026-13-01']) {
      const run = await runCli(['match', join(dir, 'sanne.jwt'), vacancyFile, '--as-of', day]);
      expect(run.code, day).toBe(2);
      expect(run.stderr).toContain('ERR_INVALID_OPTIONS');
    }
    const leap = await runCli([
      'match',
      join(dir, 'sanne.jwt'),
      vacancyFile,
      '--as-of',
      '2028-02-29',
      '--json',
    ]);
    expect(leap.code, leap.stderr).toBe(0);
    expect(JSON.parse(leap.stdout).match.evaluatedAt).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('skillpass rank', () => {
  it('verifies a directory of passports and ranks them', async () => {
    const pool = mkdtempSync(join(tmpdir(), 'skillpass-pool-'));
    const expert = makeIdentity();
    const junior = makeIdentity();
    writeFileSync(
      join(pool, 'b-expert.jwt'),
      await passportOf(expert, [
        assessment(prog, 'program a CNC controller', 4, '2026-06-01'),
        assessment(milling, 'operate a CNC milling machine', 4, '2026-06-01'),
        assessment(blueprints, 'read standard blueprints', 4, '2026-06-01'),
      ]),
    );
    writeFileSync(
      join(pool, 'c-junior.jwt'),
      await passportOf(junior, [assessment(prog, 'program a CNC controller', 2, '2026-06-01')]),
    );
    writeFileSync(join(pool, 'a-sanne.jwt'), await passportOf(sanne, sanneAssessments));
    writeFileSync(
      join(pool, 'd-elsewhere.jwt'),
      await passportOf(expert, [assessment(prog, 'p', 5, '2026-06-01')], 'other'),
    );

    const args = [
      'rank',
      vacancyFile,
      pool,
      '--crosswalk',
      crosswalkFile,
      '--audience',
      'A',
      '--as-of',
      '2026-11-01',
    ];
    const run = await runCli([...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    // d-elsewhere is the expert's too: ranked once, by the better passport.
    expect(out.candidates.map((c: { id: string }) => c.id)).toEqual([
      'b-expert.jwt',
      'a-sanne.jwt',
      'c-junior.jwt',
    ]);
    // Programming 3 + milling 3 + blueprints 2 of W = 16, times the required share 64/65.
    expect(out.candidates[0].score).toBeCloseTo((8 / 16) * (64 / 65), 12);
    expect(out.passports.find((p: { file: string }) => p.file === 'd-elsewhere.jwt')).toMatchObject({
      verified: false,
      codes: ['ERR_AUDIENCE_MISMATCH'],
      excluded: 'duplicate',
      duplicateOf: 'b-expert.jwt',
    });

    const text = await runCli([...args, '--top', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('4 passports, 2 fully verified');
    expect(text.stdout).toMatch(/1\s+0\.49\s+50%\s+b-expert\.jwt/);
    expect(text.stdout).not.toContain('c-junior.jwt');
  });

  it('draws a progress bar on a terminal', async () => {
    const pool = mkdtempSync(join(tmpdir(), 'skillpass-pool-'));
    for (const name of ['a', 'b', 'c']) {
      writeFileSync(
        join(pool, `${name}.jwt`),
        await passportOf(makeIdentity(), [assessment(prog, 'p', 3, '2026-06-01')]),
      );
    }
    let stderr = '';
    let stdout = '';
    const code = await main(['rank', vacancyFile, pool, '--audience', 'A', '--concurrency', '2'], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      readStdin: async () => '',
      env: {},
      cwd: process.cwd(),
      isTTY: true,
    });
    expect(code).toBe(0);
    expect(stderr).toContain(`\rverifying [${'#'.repeat(30)}] 3/3`);
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stdout).toContain('3 passports, 3 fully verified');
  });

  it('a file that cannot be read or is not a passport is a failed entry; the rest are ranked', async () => {
    const pool = mkdtempSync(join(tmpdir(), 'skillpass-pool-'));
    const expert = makeIdentity();
    writeFileSync(
      join(pool, 'a-expert.jwt'),
      await passportOf(expert, [assessment(prog, 'program a CNC controller', 4, '2026-06-01')]),
    );
    // A lone credential, even a valid one, proves no holder: it is not a passport.
    writeFileSync(
      join(pool, 'b-lone.jwt'),
      await credentialFor(makeIdentity(), assessment(prog, 'program a CNC controller', 5, '2026-06-01')),
    );
    symlinkSync(join(pool, 'gone.jwt'), join(pool, 'c-dangling.jwt'));
    writeFileSync(join(pool, 'd-huge.jwt'), Buffer.alloc(5 * 1024 * 1024, 'a'));
    writeFileSync(join(pool, 'e-garbage.jwt'), 'not a token\n');
    mkdirSync(join(pool, 'f-subdir'));

    const run = await runCli([
      'rank',
      vacancyFile,
      pool,
      '--audience',
      'A',
      '--as-of',
      '2026-11-01',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.candidates.map((c: { id: string }) => c.id)).toEqual(['a-expert.jwt']);
    expect(out.poolSize).toBe(1);
    const entry = (file: string) => out.passports.find((p: { file: string }) => p.file === file);
    expect(entry('a-expert.jwt')).toMatchObject({ verified: true, codes: [] });
    expect(entry('a-expert.jwt').excluded).toBeUndefined();
    expect(entry('b-lone.jwt')).toMatchObject({
      verified: false,
      excluded: 'failed',
      codes: ['ERR_MALFORMED'],
    });
    expect(entry('c-dangling.jwt')).toMatchObject({ excluded: 'failed', codes: ['ERR_NOT_FOUND'] });
    expect(entry('d-huge.jwt')).toMatchObject({ excluded: 'failed', codes: ['ERR_INPUT_TOO_LARGE'] });
    expect(entry('e-garbage.jwt')).toMatchObject({ excluded: 'failed', codes: ['ERR_MALFORMED'] });
    expect(entry('f-subdir')).toBeUndefined();

    const text = await runCli(['rank', vacancyFile, pool, '--audience', 'A', '--as-of', '2026-11-01']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('5 passports, 1 fully verified, 4 failed (not ranked)');
    expect(text.stdout).toMatch(/failed\s+c-dangling\.jwt: ERR_NOT_FOUND/);
  });

  it('ranks a holder once: the best of their passports; the others are duplicates', async () => {
    const pool = mkdtempSync(join(tmpdir(), 'skillpass-pool-'));
    const twice = makeIdentity();
    const other = makeIdentity();
    writeFileSync(
      join(pool, 'a-weaker.jwt'),
      await passportOf(twice, [assessment(prog, 'program a CNC controller', 2, '2026-06-01')]),
    );
    writeFileSync(
      join(pool, 'b-stronger.jwt'),
      await passportOf(twice, [
        assessment(prog, 'program a CNC controller', 4, '2026-06-01'),
        assessment(milling, 'operate a CNC milling machine', 4, '2026-06-01'),
      ]),
    );
    writeFileSync(
      join(pool, 'c-same.jwt'),
      await passportOf(twice, [
        assessment(prog, 'program a CNC controller', 4, '2026-06-01'),
        assessment(milling, 'operate a CNC milling machine', 4, '2026-06-01'),
      ]),
    );
    writeFileSync(
      join(pool, 'd-other.jwt'),
      await passportOf(other, [assessment(prog, 'program a CNC controller', 3, '2026-06-01')]),
    );
    const args = ['rank', vacancyFile, pool, '--audience', 'A', '--as-of', '2026-11-01', '--top', '2'];
    const run = await runCli([...args, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.candidates.map((c: { id: string; rank: number }) => [c.rank, c.id])).toEqual([
      [1, 'b-stronger.jwt'],
      [2, 'd-other.jwt'],
    ]);
    expect(out.poolSize).toBe(2);
    const entry = (file: string) => out.passports.find((p: { file: string }) => p.file === file);
    expect(entry('a-weaker.jwt')).toMatchObject({
      verified: true,
      excluded: 'duplicate',
      duplicateOf: 'b-stronger.jwt',
    });
    expect(entry('c-same.jwt')).toMatchObject({ excluded: 'duplicate', duplicateOf: 'b-stronger.jwt' });

    const text = await runCli(args);
    expect(text.stdout).toContain('4 passports, 4 fully verified, 2 duplicates');
    expect(text.stdout).toMatch(/duplicate\s+a-weaker\.jwt: same holder as b-stronger\.jwt/);
  });

  it('rejects a bad directory or --top with exit 2', async () => {
    expect((await runCli(['rank', vacancyFile, join(dir, 'no-such-dir')])).code).toBe(2);
    expect((await runCli(['rank', vacancyFile, dir, '--top', '0'])).code).toBe(2);
  });
});
