import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedPackage, packAll } from '../scripts/pack.mjs';
import { baseEnv, runChild } from '../test-support/child.js';

// The published shape of skillpass: every package packed with pnpm (workspace ranges replaced
// by versions), installed with npm from the tarballs into an empty project outside the
// repository, then used the way an integrator would: through the public API and the bin.

// No import of the workspace packages here (not even through test-support/fixtures.ts).
const ASSESSMENT = {
  skill: {
    uri: 'http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8',
    name: 'program a CNC controller',
  },
  level: 3,
  evidence: [
    { method: 'practical-exam', assessedOn: '2026-10-12', assessor: { name: 'J. de Vries' }, score: 84 },
  ],
};

const work = mkdtempSync(join(tmpdir(), 'skillpass-pack-'));
const project = join(work, 'project');
let packed: PackedPackage[] = [];

beforeAll(() => {
  packed = packAll(join(work, 'tarballs'));
  mkdirSync(project);
  const deps = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  writeFileSync(
    join(project, 'package.json'),
    // `overrides` make every sibling range resolve to its tarball: nothing named @skillpass/*
    // is ever fetched from the registry.
    JSON.stringify({
      name: 'integrator',
      private: true,
      type: 'module',
      dependencies: deps,
      overrides: deps,
    }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}, 1_800_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = () => ({
  ...baseEnv(),
  SKILLPASS_ISSUER_PASSPHRASE: 'a long issuer passphrase',
  SKILLPASS_WALLET: join(work, 'wallet.skillpass'),
  SKILLPASS_WALLET_PASSPHRASE: 'a long wallet passphrase',
});

describe('the packed packages, installed from their tarballs', () => {
  it('installs every package as a copy in the project, not a link into the repository', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(
      expect.arrayContaining(['@skillpass/core', '@skillpass/verifier', 'skillpass']),
    );
    for (const { name, version } of packed) {
      const dir = join(project, 'node_modules', ...name.split('/'));
      expect(realpathSync(dir).startsWith(realpathSync(project) + sep), name).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version).toBe(version);
    }
  });

  it('issue → wallet → passport → verify → match through the public API', async () => {
    const app = join(project, 'app.mjs');
    writeFileSync(
      app,
      `import { generateKeyPairSync } from 'node:crypto';
import { didKeyFromPublicKey, keyObjectSigner } from '@skillpass/core';
import { issueSkillCredential } from '@skillpass/issuer';
import { createWallet } from '@skillpass/holder';
import { createVerifier } from '@skillpass/verifier';
import { matchPassport } from '@skillpass/match';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const did = didKeyFromPublicKey(publicKey);
const signingKey = { keyId: did + '#' + did.slice('did:key:'.length), alg: 'EdDSA', sign: keyObjectSigner(privateKey) };
const wallet = await createWallet({ path: process.argv[2], passphrase: 'a long wallet passphrase' });
const assessment = JSON.parse(process.argv[3]);
const { token } = await issueSkillCredential(assessment, { issuer: { did, name: 'Centre' }, subject: wallet.did, signingKey });
await wallet.addCredential(token);
const passport = await wallet.createPassport({ audience: 'https://jobs.example', challenge: 'n-1' });
wallet.close();
const report = await createVerifier().verifyPassport(passport, { audience: 'https://jobs.example', challenge: 'n-1' });
const vacancy = {
  title: 'CNC machinist',
  requirements: [{ uri: assessment.skill.uri, name: assessment.skill.name, importance: 'required', minLevel: 2 }],
};
const match = matchPassport(report, vacancy);
console.log(JSON.stringify({ verified: report.verified, skills: report.credentials.map((c) => c.skill?.uri), match }));
`,
    );
    const run = await runChild(
      process.execPath,
      [app, join(work, 'api-wallet.skillpass'), JSON.stringify(ASSESSMENT)],
      { cwd: project, timeoutMs: 300_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.verified).toBe(true);
    expect(out.skills).toEqual([ASSESSMENT.skill.uri]);
    expect(out.match.requirements[0].outcome).toBe('met');
  }, 300_000);

  it('issue → wallet add → present → verify through the installed skillpass bin', async () => {
    const bin = join(project, 'node_modules', '.bin', 'skillpass');
    const cli = (args: string[], stdin?: string) =>
      runChild(bin, args, {
        cwd: work,
        env: env(),
        timeoutMs: 300_000,
        ...(stdin === undefined ? {} : { stdin }),
      });

    const version = await cli(['--version']);
    expect(version.stdout.trim()).toBe(packed.find((p) => p.name === 'skillpass')!.version);

    const centre = join(work, 'centre');
    const init = await cli(['issuer', 'init', '--did-key', '--dir', centre, '--name', 'Centre']);
    expect(init.code, init.stderr).toBe(0);
    const wallet = await cli(['wallet', 'init']);
    expect(wallet.code, wallet.stderr).toBe(0);
    const holder = wallet.stdout.trim();
    const skill = join(work, 'skill.json');
    writeFileSync(skill, JSON.stringify(ASSESSMENT));
    const issued = await cli(['issue', '--issuer', centre, '--subject', holder, '--skill', skill]);
    expect(issued.code, issued.stderr).toBe(0);
    const added = await cli(['wallet', 'add', '-'], issued.stdout);
    expect(added.code, added.stderr).toBe(0);
    const passport = await cli(['present', '--audience', 'https://jobs.example', '--challenge=n-2']);
    expect(passport.code, passport.stderr).toBe(0);
    const verified = await cli(
      ['verify', '-', '--audience', 'https://jobs.example', '--challenge', 'n-2', '--json'],
      passport.stdout,
    );
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ kind: 'passport', verified: true, holder });
  }, 600_000);
});
