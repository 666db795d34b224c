import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialStateOf, type SkillAssessment } from '@skillpass/core';
import { createWallet } from '@skillpass/holder';
import { type Issuer, initIssuer, issueSkillCredential } from '@skillpass/issuer';
import { createVerifier } from '@skillpass/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';

// Issue 15 (wallet list by kind and tier, wallet claim, issuer init --role employer, the match
// view by kind) and issue 12's `wallet match` and the verification-state column of `wallet list`.

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples', 'metal-sector');
const root = mkdtempSync(join(tmpdir(), 'skillpass-cli-wallet-passport-'));
const PASS = 'a long passphrase for this test';
const FAST = { kdf: { N: 2 ** 14 }, allowWeakKdf: true } as const;
const walletPath = join(root, 'wallet.skillpass');
const env = {
  SKILLPASS_WALLET: walletPath,
  SKILLPASS_WALLET_PASSPHRASE: PASS,
  SKILLPASS_ISSUER_PASSPHRASE: PASS,
  USER: 'registrar',
};
const CENTRE_LISTS = join(root, 'centre-status');
const EMPLOYER_LISTS = join(root, 'employer-status');
const today = new Date().toISOString().slice(0, 10);

const MILLING = {
  uri: 'http://data.europa.eu/esco/skill/6ecfe937-7302-4d93-9bbc-4634411a51ee',
  name: 'operate a CNC milling machine',
};
const TEAMWORK = {
  uri: 'http://data.europa.eu/esco/skill/8a7f2c1e-5b4d-4e8a-9c3f-2d1e0b9a8c7d',
  name: 'work in teams',
  framework: 'ESCO-transversal',
};
const ORGANISE = {
  uri: 'http://data.europa.eu/esco/skill/3c9e1f4a-7d2b-4a6e-8f1c-5b3d2e1a0f9e',
  name: 'organise own work',
  framework: 'ESCO-transversal',
};
const DIPLOMA = { uri: 'crebo:illustrative-25293', name: 'Allround CNC machinist (MBO 3)', framework: 'MBO' };

let server: Server;
let requests = 0;
let centre: Issuer;
let employer: Issuer;
let registryFile: string;
let vacancyFile: string;
const ids: Record<string, string> = {};

/** Serves the published lists: /status/<n> the centre's, /employer-status/<n> the employer's. */
function serveLists(): Promise<number> {
  server = createServer((req, res) => {
    requests++;
    const match = /^\/(status|employer-status)\/(\d+)$/.exec(req.url ?? '');
    try {
      if (match === null) throw new Error('no such list');
      const body = readFileSync(join(match[1] === 'status' ? CENTRE_LISTS : EMPLOYER_LISTS, match[2]!));
      res.writeHead(200, { 'content-type': 'application/vc+jwt' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  const port = await serveLists();
  centre = await initIssuer({
    path: join(root, 'centre.db'),
    passphrase: PASS,
    didKey: true,
    name: 'Metal Assessment Centre',
    statusBaseUrl: `http://127.0.0.1:${port}/status`,
    ...FAST,
  });
  employer = await initIssuer({
    path: join(root, 'employer.db'),
    passphrase: PASS,
    didKey: true,
    name: 'Precisietechniek Oost',
    role: 'employer',
    statusBaseUrl: `http://127.0.0.1:${port}/employer-status`,
    ...FAST,
  });
  const wallet = await createWallet({ path: walletPath, passphrase: PASS, ...FAST });
  const subject = wallet.did;
  const exam = (assessedOn: string) => [{ method: 'practical-exam' as const, assessedOn }];
  const issued = {
    programming: await centre.issue(CNC_ASSESSMENTS[0]!, { subject }),
    milling: await centre.issue({ skill: MILLING, level: 3, evidence: exam(today) }, { subject }),
    blueprints: await centre.issue(CNC_ASSESSMENTS[1]!, { subject, suspendable: true }),
    diploma: await centre.issue(
      { skill: { ...DIPLOMA, achievementType: 'Diploma' }, level: 3, evidence: exam(today) },
      { subject },
    ),
    teamwork: await employer.issue(
      { skill: TEAMWORK, level: 3, evidence: [{ method: 'workplace-observation', assessedOn: today }] },
      { subject },
    ),
  };
  for (const [name, credential] of Object.entries(issued)) {
    await wallet.addCredential(credential.token);
    ids[name] = credential.id;
  }
  wallet.close();
  await centre.revoke(issued.milling.id, { reason: 'assessment fraud' });
  await centre.suspend(issued.blueprints.id, { reason: 'under review' });
  await centre.publishStatusLists(CENTRE_LISTS);
  await employer.publishStatusLists(EMPLOYER_LISTS);

  const registry = JSON.parse(readFileSync(join(EXAMPLES, 'trust-registry.json'), 'utf8'));
  registry.assessmentCentres = [
    {
      id: centre.did,
      name: 'Metal Assessment Centre',
      accreditations: [
        {
          name: 'CNC and the MBO qualification',
          skills: [CNC_ASSESSMENTS[0]!.skill.uri, CNC_ASSESSMENTS[1]!.skill.uri, MILLING.uri, DIPLOMA.uri],
          maxLevel: 5,
          validFrom: '2020-01-01',
          validUntil: '2099-12-31',
        },
      ],
    },
  ];
  registry.employers = [
    {
      id: employer.did,
      name: 'Precisietechniek Oost',
      chamberOfCommerceNumber: '00000000',
      validFrom: '2020-01-01',
      validUntil: '2099-12-31',
    },
  ];
  registryFile = join(root, 'registry.json');
  writeFileSync(registryFile, JSON.stringify(registry));
  vacancyFile = join(root, 'vacancy.json');
  writeFileSync(
    vacancyFile,
    JSON.stringify({
      title: 'CNC machinist',
      requirements: [
        { ...CNC_ASSESSMENTS[0]!.skill, importance: 'required', minLevel: 2 },
        { ...MILLING, importance: 'required' },
        { ...CNC_ASSESSMENTS[1]!.skill, importance: 'required' },
        { ...ORGANISE, importance: 'required' },
        { ...TEAMWORK, importance: 'nice-to-have', minTier: 'employer' },
      ],
    }),
  );
  // The worker's own statement, through the command.
  const skillFile = join(root, 'organise.json');
  writeFileSync(skillFile, JSON.stringify({ skill: ORGANISE, level: 3 }));
  const claimed = await runCli(['wallet', 'claim', '--skill', skillFile], { env });
  expect(claimed.code, claimed.stderr).toBe(0);
  ids.claim = claimed.stdout.trim();
}, 600_000);

afterAll(async () => {
  centre?.close();
  employer?.close();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

interface Listed {
  id: string;
  position: number;
  kind: string;
  tier: string;
  tierInWords: string;
  state: string;
  format: string;
  addedAt: string;
  problems: { code: string }[];
}

async function listed(args: string[]): Promise<Record<string, Listed>> {
  const run = await runCli(['wallet', 'list', '--json', ...args], { env });
  expect(run.code, run.stderr).toBe(0);
  return Object.fromEntries((JSON.parse(run.stdout) as Listed[]).map((e) => [e.id, e]));
}

describe('skillpass wallet list: by kind, with the tier in words and whether each still stands', () => {
  it('judges tiers with --trust and looks status up online (revoked, suspended, valid)', async () => {
    const before = requests;
    const byId = await listed(['--trust', registryFile, '--allow-http-localhost']);
    expect(requests).toBeGreaterThan(before);
    expect(byId[ids.programming!]).toMatchObject({
      kind: 'vocational',
      tier: 'accredited',
      tierInWords: 'assessed by an accredited centre',
      state: 'valid',
      format: 'vc+jwt',
      position: 1,
    });
    expect(byId[ids.milling!]).toMatchObject({ state: 'revoked', problems: [{ code: 'ERR_REVOKED' }] });
    expect(byId[ids.blueprints!]).toMatchObject({ state: 'suspended' });
    expect(byId[ids.diploma!]).toMatchObject({ kind: 'qualification', tier: 'accredited', state: 'valid' });
    expect(byId[ids.teamwork!]).toMatchObject({
      kind: 'soft',
      tier: 'employer',
      tierInWords: 'attested by your employer',
      state: 'valid',
    });
    expect(byId[ids.claim!]).toMatchObject({
      kind: 'soft',
      tier: 'self',
      tierInWords: 'your own statement',
      state: 'valid',
      position: 6,
    });
  });

  it('prints the groups and the words', async () => {
    const run = await runCli(['wallet', 'list', '--trust', registryFile, '--allow-http-localhost'], { env });
    expect(run.code, run.stderr).toBe(0);
    for (const text of [
      'Vocational skills (3)',
      'Soft skills (2)',
      'Qualifications (1)',
      'assessed by an accredited centre',
      'attested by your employer',
      'your own statement',
      'REVOKED',
      'SUSPENDED',
    ]) {
      expect(run.stdout).toContain(text);
    }
    expect(run.stdout.indexOf('Vocational skills')).toBeLessThan(run.stdout.indexOf('Soft skills'));
  });

  it('without a registry only the own statement is recognised; offline nothing is claimed valid', async () => {
    const before = requests;
    const offline = await listed(['--offline']);
    expect(requests).toBe(before);
    for (const entry of Object.values(offline)) expect(entry.state).toBe('not-checked');
    expect(offline[ids.programming!]).toMatchObject({
      tier: 'unknown',
      tierInWords: 'not judged by a trust registry',
    });
    expect(offline[ids.claim!]).toMatchObject({ tier: 'self' });
    // Offline against the published files: revoked and suspended are known, still no request.
    const local = await listed(['--offline', '--status-lists', CENTRE_LISTS]);
    expect(requests).toBe(before);
    expect(local[ids.milling!]?.state).toBe('revoked');
    expect(local[ids.blueprints!]?.state).toBe('suspended');
    expect(local[ids.programming!]?.state).toBe('valid');
  });

  it('the state of real reports: expired and not yet valid', async () => {
    const issuer = makeIdentity();
    const verifier = createVerifier();
    const at = async (validFrom: string, validUntil: string) => {
      const { token } = await issueSkillCredential(
        { ...CNC_ASSESSMENTS[0]!, validFrom, validUntil } as SkillAssessment,
        {
          issuer: { did: issuer.did, name: 'Centre' },
          subject: makeIdentity().did,
          signingKey: issuer.signingKey,
        },
      );
      return credentialStateOf((await verifier.verifyCredential(token)).credentials[0]!);
    };
    expect(await at('2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z')).toBe('expired');
    expect(await at('2098-01-01T00:00:00Z', '2099-01-01T00:00:00Z')).toBe('not-yet-valid');
    expect(await at('2020-01-01T00:00:00Z', '2099-01-01T00:00:00Z')).toBe('valid');
  });
});

describe('skillpass wallet match: the worker’s own wallet beside a vacancy', () => {
  it('gives the outcomes and plan skillpass match gives for a passport of the same wallet', async () => {
    const flags = [
      '--trust',
      registryFile,
      '--allow-http-localhost',
      '--catalogue',
      join(EXAMPLES, 'training-catalogue.json'),
    ];
    const own = await runCli(['wallet', 'match', vacancyFile, '--json', ...flags], { env });
    expect(own.code, own.stderr).toBe(0);
    const passport = await runCli(['present', '--audience', 'https://jobs.example', '--challenge', 'c-1'], {
      env,
    });
    expect(passport.code, passport.stderr).toBe(0);
    const passportFile = join(root, 'passport.jwt');
    writeFileSync(passportFile, passport.stdout);
    const employerView = await runCli(
      [
        'match',
        passportFile,
        vacancyFile,
        '--json',
        '--audience',
        'https://jobs.example',
        '--challenge',
        'c-1',
        ...flags,
      ],
      { env },
    );
    expect(employerView.code, employerView.stderr).toBe(0);
    type Out = {
      match: { requirements: { uri: string; outcome: string; tier?: string }[]; score: number };
      plan: unknown;
    };
    const a = JSON.parse(own.stdout) as Out;
    const b = JSON.parse(employerView.stdout) as Out;
    const outcomes = (o: Out) => o.match.requirements.map((r) => [r.uri, r.outcome, r.tier ?? null]);
    expect(outcomes(a)).toEqual(outcomes(b));
    expect(a.match.score).toBe(b.match.score);
    expect(a.plan).toEqual(b.plan);
    // The own statement never counts above its tier; revoked and suspended evidence does not count.
    expect(Object.fromEntries(outcomes(a).map(([uri, outcome, tier]) => [uri, [outcome, tier]]))).toEqual({
      [CNC_ASSESSMENTS[0]!.skill.uri]: ['met', 'accredited'],
      [MILLING.uri]: ['unverified', null],
      [CNC_ASSESSMENTS[1]!.skill.uri]: ['unverified', null],
      [ORGANISE.uri]: ['insufficient-evidence', 'self'],
      [TEAMWORK.uri]: ['met', 'employer'],
    });
  });

  it('prints the gap table by kind, for the worker and for the employer', async () => {
    const own = await runCli(
      ['wallet', 'match', vacancyFile, '--trust', registryFile, '--allow-http-localhost'],
      {
        env,
      },
    );
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toContain('Your wallet');
    expect(own.stdout).toMatch(/Vocational skills[\s\S]*Soft skills[\s\S]*organise own work/);
    expect(own.stdout).toMatch(/organise own work.*insufficient evidence/);
    const employerView = await runCli(
      [
        'match',
        join(root, 'passport.jwt'),
        vacancyFile,
        '--audience',
        'https://jobs.example',
        '--challenge',
        'c-1',
        '--trust',
        registryFile,
        '--allow-http-localhost',
      ],
      { env },
    );
    expect(employerView.code, employerView.stderr).toBe(0);
    expect(employerView.stdout).toMatch(/Vocational skills[\s\S]*program a CNC controller[\s\S]*Soft skills/);
    const offline = await runCli(['wallet', 'match', vacancyFile, '--offline'], { env });
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toContain('offline: status not checked');
  });

  it('refuses an invalid vacancy before opening the wallet (exit 2)', async () => {
    const bad = join(root, 'bad-vacancy.json');
    writeFileSync(bad, JSON.stringify({ title: 'x', requirements: 'none' }));
    const run = await runCli(['wallet', 'match', bad], {
      env: { ...env, SKILLPASS_WALLET_PASSPHRASE: 'wrong' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ERR_SCHEMA_INVALID');
  });
});

describe('skillpass wallet claim and issuer init --role employer', () => {
  it('a claim is signed by the holder (tier self); an invalid skill file is refused', async () => {
    const bad = join(root, 'bad-skill.json');
    writeFileSync(bad, JSON.stringify({ skill: { name: 'no uri' }, level: 9 }));
    const refused = await runCli(['wallet', 'claim', '--skill', bad], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ERR_SCHEMA_INVALID');
    const byId = await listed(['--offline']);
    expect(Object.keys(byId)).toHaveLength(6);
  });

  it('an employer identity issues workplace observations only, from the same kind of store', async () => {
    const dir = join(root, 'employer-cli');
    mkdirSync(dir);
    const init = await runCli(['issuer', 'init', '--did-key', '--role', 'employer', '--dir', dir], { env });
    expect(init.code, init.stderr).toBe(0);
    const worker = makeIdentity().did;
    const examFile = join(dir, 'exam.json');
    writeFileSync(examFile, JSON.stringify(CNC_ASSESSMENTS[0]));
    const exam = await runCli(['issue', '--issuer', dir, '--subject', worker, '--skill', examFile], { env });
    expect(exam.code).toBe(1);
    expect(exam.stderr).toContain('ERR_SCHEMA_INVALID');
    const observedFile = join(dir, 'observed.json');
    writeFileSync(
      observedFile,
      JSON.stringify({
        skill: TEAMWORK,
        level: 3,
        evidence: [{ method: 'workplace-observation', assessedOn: today }],
      }),
    );
    const observed = await runCli(['issue', '--issuer', dir, '--subject', worker, '--skill', observedFile], {
      env,
    });
    expect(observed.code, observed.stderr).toBe(0);
    const wrongRole = await runCli(
      ['issuer', 'init', '--did-key', '--role', 'boss', '--dir', join(root, 'x')],
      { env },
    );
    expect(wrongRole.code).toBe(2);
  });
});
