import { readFileSync } from 'node:fs';
import { createDidResolver, isSkillpassError, SkillpassError } from '@skillpass/core';
import { answerPresentationRequest, resolvePresentationRequest } from '@skillpass/holder';
import { parseTrainingCatalogue } from '@skillpass/match';
import { createVerifier } from '@skillpass/verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmployerConsole, parseVacancyUpload, type RankJob, vacancyFromForm } from '../src/index.js';
import { startVerifier, VACANCY, workerWithCredentials } from './helpers.js';

const catalogue = parseTrainingCatalogue(
  JSON.parse(
    readFileSync(new URL('../../../examples/metal-sector/training-catalogue.json', import.meta.url), 'utf8'),
  ),
);
const skills = VACANCY.requirements.map((r) => ({ uri: r.uri, name: r.name, framework: 'ESCO' }));

function codeOf(fn: () => unknown): { code: string; paths: string[] } {
  try {
    fn();
  } catch (err) {
    if (err instanceof SkillpassError)
      return { code: err.code, paths: (err.problems ?? []).map((p) => p.path ?? '') };
    throw err;
  }
  throw new Error('expected a SkillpassError');
}

async function finished(get: () => RankJob | undefined): Promise<RankJob> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = get();
    if (job !== undefined && job.status !== 'running') return job;
    if (Date.now() > deadline) throw new Error('the ranking did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a vacancy from the compose form or a file', () => {
  it('takes name and framework from the skill list, skips empty rows', () => {
    const v = vacancyFromForm(
      {
        title: 'CNC machinist',
        employer: 'Precisietechniek Oost',
        requirements: [
          { uri: skills[0]!.uri, importance: 'required', minLevel: '3', maxAgeMonths: '36' },
          { uri: '' },
          { uri: 'http://example.com/skill/deburr', name: 'deburr parts', importance: 'nice-to-have' },
        ],
      },
      skills,
    );
    expect(v.requirements).toEqual([
      {
        uri: skills[0]!.uri,
        name: skills[0]!.name,
        framework: 'ESCO',
        importance: 'required',
        minLevel: 3,
        maxAgeMonths: 36,
      },
      { uri: 'http://example.com/skill/deburr', name: 'deburr parts', importance: 'nice-to-have' },
    ]);
  });

  it('names each bad field', () => {
    const { code, paths } = codeOf(() =>
      vacancyFromForm({
        title: ' ',
        requirements: [
          { uri: 'http://example.com/x', name: '', importance: 'maybe', minLevel: '9', maxAgeMonths: '0' },
        ],
      }),
    );
    expect(code).toBe('ERR_SCHEMA_INVALID');
    expect(paths.sort()).toEqual([
      '/requirements/0/importance',
      '/requirements/0/maxAgeMonths',
      '/requirements/0/minLevel',
      '/requirements/0/name',
      '/title',
    ]);
    expect(codeOf(() => vacancyFromForm({ title: 'x', requirements: [] })).paths).toEqual(['/requirements']);
  });

  it('reads an uploaded vacancy; refuses what is not JSON, not a vacancy, or too large', () => {
    expect(parseVacancyUpload(JSON.stringify(VACANCY)).title).toBe(VACANCY.title);
    expect(codeOf(() => parseVacancyUpload('{')).code).toBe('ERR_MALFORMED');
    expect(codeOf(() => parseVacancyUpload('{"title":"x"}')).code).toBe('ERR_SCHEMA_INVALID');
    expect(codeOf(() => parseVacancyUpload(' '.repeat(300 * 1024))).code).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('never throws an uncoded error on arbitrary form input (property)', () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom('', '1', '5', 'required', 'nice-to-have', skills[0]!.uri),
    );
    const row = fc.record({ uri: text, name: text, importance: text, minLevel: text, maxAgeMonths: text });
    fc.assert(
      fc.property(fc.record({ title: text, requirements: fc.array(row, { maxLength: 25 }) }), (form) => {
        try {
          expect(vacancyFromForm(form, skills).requirements.length).toBeGreaterThan(0);
        } catch (err) {
          expect(
            isSkillpassError(err, 'ERR_SCHEMA_INVALID') || isSkillpassError(err, 'ERR_INPUT_TOO_LARGE'),
          ).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("the employer's console on a running verifier service", () => {
  it('creates a request; once the wallet answers, the result has the report, the gaps and a training plan', async () => {
    const employer = await startVerifier();
    const resolver = createDidResolver({ allowHttpLocalhost: true });
    const console = createEmployerConsole({
      store: employer.store,
      verifier: createVerifier({ resolver }),
      catalogue,
      skills,
      allowHttpLocalhost: true,
    });
    const { id, uri } = await console.createRequest(VACANCY);
    expect(console.result(id)?.result.status).toBe('pending');
    expect(console.result(id)?.plan).toBeNull();

    const { wallet } = await workerWithCredentials();
    const request = await resolvePresentationRequest(uri, wallet, { allowHttpLocalhost: true });
    expect((await answerPresentationRequest(wallet, request, { allowHttpLocalhost: true })).accepted).toBe(
      true,
    );

    const view = console.result(id)!;
    expect(view.result.status).toBe('verified');
    expect(view.result.verification?.credentials.every((c) => c.checks.length > 0)).toBe(true);
    const gaps = view.result.match!.requirements.filter(
      (r) => r.importance === 'required' && r.outcome !== 'met',
    );
    expect(gaps.length).toBeGreaterThan(0);
    expect(view.plan?.gaps.map((g) => g.uri)).toEqual(gaps.map((g) => g.uri));
    expect(console.result('no-such-request')).toBeUndefined();
  });

  it('ranks a pool of passports with progress, failed files and one entry per holder', async () => {
    const employer = await startVerifier();
    const resolver = createDidResolver({ allowHttpLocalhost: true });
    const console = createEmployerConsole({ store: employer.store, verifier: createVerifier({ resolver }) });
    const a = await workerWithCredentials();
    const b = await workerWithCredentials();
    const audience = 'https://jobs.example';
    const passport = (w: typeof a, only?: string[]) =>
      w.wallet.createPassport({ audience, challenge: 'pool-1', ...(only ? { only } : {}) });
    const bOne = b.wallet.list()[0]!.id;
    const files = [
      { name: 'a.jwt', token: await passport(a) },
      { name: 'b-full.jwt', token: await passport(b) },
      { name: 'b-one.jwt', token: await passport(b, [bOne]) },
      { name: 'junk.jwt', token: 'not a passport' },
    ];
    const job = console.startRanking({ vacancy: VACANCY, files, audience, challenge: 'pool-1' });
    expect(job.total).toBe(4);
    const done = await finished(() => console.rankJob(job.id));
    expect(done.status).toBe('done');
    expect(done.done).toBe(4);
    expect(done.ranking?.candidates.map((c) => c.id).sort()).toEqual(['a.jwt', 'b-full.jwt']);
    const byFile = new Map(done.entries!.map((e) => [e.file, e]));
    expect(byFile.get('junk.jwt')).toMatchObject({ excluded: 'failed', verified: false });
    expect(byFile.get('b-one.jwt')).toMatchObject({ excluded: 'duplicate', duplicateOf: 'b-full.jwt' });

    // The same pool for another audience: every passport fails its audience check, nobody is verified.
    const otherJob = console.startRanking({ vacancy: VACANCY, files, audience: 'https://other.example' });
    const other = await finished(() => console.rankJob(otherJob.id));
    expect(other.entries!.some((e) => e.verified)).toBe(false);
    expect(other.entries!.find((e) => e.file === 'a.jwt')?.codes).toContain('ERR_AUDIENCE_MISMATCH');

    expect(codeOf(() => console.startRanking({ vacancy: VACANCY, files: [] })).code).toBe(
      'ERR_INVALID_OPTIONS',
    );
    expect(codeOf(() => console.startRanking({ vacancy: VACANCY, files: [files[0]!, files[0]!] })).code).toBe(
      'ERR_INVALID_OPTIONS',
    );
  });
});
