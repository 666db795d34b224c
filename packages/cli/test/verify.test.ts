import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPassport, presentSdJwtCredential } from '@skillpass/holder';
import { issueSdJwtSkillCredential, issueSkillCredential } from '@skillpass/issuer';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { ESCO_CNC, foreignBadge, signWithJose } from '../../../test-support/foreign-badge.js';

const centre = makeIdentity();
const worker = makeIdentity();
const dir = mkdtempSync(join(tmpdir(), 'skillpass-cli-'));

async function credential(subject = worker.did) {
  return (
    await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: centre.did, name: 'Metal Centre' },
      subject,
      signingKey: centre.signingKey,
    })
  ).token;
}

describe('skillpass verify', () => {
  it('verifies a credential from stdin and exits 0', async () => {
    const run = await runCli(['verify', '-'], { stdin: `${await credential()}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('program a CNC controller');
  });

  it('prints the JSON contract for a passport', async () => {
    const passport = await createPassport({
      holder: worker,
      credentials: [await credential()],
      audience: 'A',
      challenge: 'C',
    });
    const file = join(dir, 'passport.jwt');
    writeFileSync(file, passport);
    const run = await runCli(['verify', file, '--audience', 'A', '--challenge', 'C', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ verified: true, problems: [] });
    expect(report.credentials[0]).toMatchObject({
      id: expect.any(String),
      verified: true,
      issuer: centre.did,
      skill: { uri: CNC_ASSESSMENTS[0]!.skill.uri, name: 'program a CNC controller', level: 3 },
    });
    for (const check of report.credentials[0].checks)
      expect(check).toEqual(expect.objectContaining({ name: expect.any(String), ok: expect.any(Boolean) }));
  });

  it('exits 1 with codes when not verified', async () => {
    const passport = await createPassport({
      holder: worker,
      credentials: [await credential()],
      audience: 'A',
      challenge: 'C',
    });
    const run = await runCli(['verify', '-', '--audience', 'B', '--challenge', 'C', '--json'], {
      stdin: passport,
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).problems.map((p: { code: string }) => p.code)).toEqual([
      'ERR_AUDIENCE_MISMATCH',
    ]);
  });

  it('a lone SD-JWT: --audience/--challenge are checked against its key-binding JWT', async () => {
    const issued = await issueSdJwtSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: centre.did, name: 'Metal Centre' },
      subject: worker.did,
      signingKey: centre.signingKey,
    });
    const shown = await presentSdJwtCredential(issued.token, {
      disclose: ['assessedOn'],
      audience: 'A',
      challenge: 'C',
      signingKey: worker.signingKey,
    });
    const verify = async (token: string, flags: string[]) => {
      const run = await runCli(['verify', '-', ...flags, '--json'], { stdin: `${token}\n` });
      const report = JSON.parse(run.stdout);
      return { code: run.code, codes: report.problems.map((p: { code: string }) => p.code), report };
    };
    const ok = await verify(shown, ['--audience', 'A', '--challenge', 'C']);
    expect(ok.code).toBe(0);
    expect(ok.report.credentials[0]).toMatchObject({
      format: 'dc+sd-jwt',
      disclosed: ['evidence.0', 'evidence.0.assessedOn'],
    });
    expect(JSON.stringify(ok.report)).not.toContain('J. de Vries');
    expect(await verify(shown, ['--audience', 'B', '--challenge', 'C'])).toMatchObject({
      code: 1,
      codes: ['ERR_AUDIENCE_MISMATCH'],
    });
    expect(await verify(shown, ['--audience', 'A', '--challenge', 'other'])).toMatchObject({
      code: 1,
      codes: ['ERR_CHALLENGE_MISMATCH'],
    });
    // The credential as issued has no key binding: fine for inspection, refused when one is asked for.
    expect((await verify(issued.token, [])).code).toBe(0);
    expect(await verify(issued.token, ['--audience', 'A', '--challenge', 'C'])).toMatchObject({
      code: 1,
      codes: ['ERR_KEY_BINDING_INVALID'],
    });
    const table = await runCli(['verify', '-', '--audience', 'A', '--challenge', 'C'], { stdin: shown });
    expect(table.stdout).toContain('disclosed: evidence.0, evidence.0.assessedOn');
  });

  it('exits 1 for garbage input with ERR_MALFORMED', async () => {
    const run = await runCli(['verify', '-', '--json'], { stdin: 'not a token' });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).problems[0].code).toBe('ERR_MALFORMED');
  });

  it('an oversized input is reported ERR_INPUT_TOO_LARGE (exit 1), from a file or standard input', async () => {
    const passport = await createPassport({
      holder: worker,
      credentials: [await credential()],
      audience: 'A',
      challenge: 'C',
    });
    // A passport padded past every limit: the header still says vp+jwt.
    const [header, payload, signature] = passport.split('.');
    const huge = `${header}.${payload}${'A'.repeat(5 * 1024 * 1024)}.${signature}`;
    const file = join(dir, 'huge.jwt');
    writeFileSync(file, huge);
    for (const run of [
      await runCli(['verify', file, '--audience', 'A', '--challenge', 'C', '--json']),
      await runCli(['verify', '-', '--audience', 'A', '--challenge', 'C', '--json'], { stdin: huge }),
    ]) {
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ kind: 'passport', verified: false });
      expect(report.problems.map((p: { code: string }) => p.code)).toEqual(['ERR_INPUT_TOO_LARGE']);
    }
  });

  it('--max-age: a passport older than it is ERR_PRESENTATION_EXPIRED', async () => {
    const passport = await createPassport({
      holder: worker,
      credentials: [await credential()],
      audience: 'A',
      challenge: 'C',
      now: new Date(Date.now() - 2 * 3600_000),
      expiresInSeconds: 6 * 3600,
    });
    const flags = ['verify', '-', '--audience', 'A', '--challenge', 'C', '--json'];
    const old = await runCli(flags, { stdin: passport });
    expect(old.code).toBe(1);
    expect(JSON.parse(old.stdout).problems.map((p: { code: string }) => p.code)).toEqual([
      'ERR_PRESENTATION_EXPIRED',
    ]);
    expect((await runCli([...flags, '--max-age', String(3 * 3600)], { stdin: passport })).code).toBe(0);
    expect((await runCli([...flags, '--max-age', '0'], { stdin: passport })).code).toBe(2);
  });

  it.each([
    [['verify', '-', '--bogus'], 'ERR_INVALID_OPTIONS'],
    [['verify', join(dir, 'missing.jwt')], 'ERR_NOT_FOUND'],
    [['nonsense'], 'ERR_INVALID_OPTIONS'],
  ])('a usage error prints its code: %s', async (argv, code) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(`skillpass: ${code}: `)).toBe(true);
  });

  it.each([
    [['verify'], 'no input'],
    [['verify', join(dir, 'missing.jwt')], 'unreadable file'],
    [['verify', '-', '--bogus'], 'unknown flag'],
    [['nonsense'], 'unknown command'],
  ])('exits 2 on %s (%s)', async (argv) => {
    expect((await runCli(argv)).code).toBe(2);
  });
});

describe('skillpass verify: a foreign Open Badges 3.0 credential (vc+jwt, did:key, signed with jose)', () => {
  const platform = makeIdentity();
  const now = Date.now();
  const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
  const run = async (badge: Record<string, unknown>, tamper = false) => {
    let token = await signWithJose(foreignBadge(platform.did, worker.did, badge as never), platform);
    if (tamper) token = `${token.slice(0, -6)}${token.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    const file = join(dir, `badge-${Math.random().toString(36).slice(2)}.jwt`);
    writeFileSync(file, token);
    const result = await runCli(['verify', file, '--json', '--no-status']);
    return { code: result.code, report: JSON.parse(result.stdout) };
  };

  it('verifies (exit 0) with its skill named from the ESCO alignment', async () => {
    const { code, report } = await run({ validFrom: iso(now - 86_400_000) });
    expect(code).toBe(0);
    expect(report.credentials[0].skill).toMatchObject({
      uri: ESCO_CNC,
      name: 'CNC programming',
      level: null,
    });
    expect(report.credentials[0].profile.conforms).toBe(false);
  });

  it('tampered → ERR_SIGNATURE_INVALID, expired → ERR_EXPIRED, not yet valid → ERR_NOT_YET_VALID (exit 1)', async () => {
    const tampered = await run({ validFrom: iso(now - 86_400_000) }, true);
    expect(tampered.code).toBe(1);
    expect(tampered.report.problems.map((p: { code: string }) => p.code)).toContain('ERR_SIGNATURE_INVALID');
    const expired = await run({ validFrom: iso(now - 2 * 86_400_000), validUntil: iso(now - 86_400_000) });
    expect(expired.code).toBe(1);
    expect(expired.report.problems.map((p: { code: string }) => p.code)).toEqual(['ERR_EXPIRED']);
    const early = await run({ validFrom: iso(now + 86_400_000) });
    expect(early.code).toBe(1);
    expect(early.report.problems.map((p: { code: string }) => p.code)).toEqual(['ERR_NOT_YET_VALID']);
  });
});
