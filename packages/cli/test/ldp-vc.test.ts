/**
 * Credentials with Data Integrity proofs (`ldp_vc`) through the CLI: `skillpass verify <file>`
 * (pretty-printed or one line, ours or another OB 3.0 issuer's), `wallet add` / `list`,
 * `wallet export` and a restore, and `present` (the credential embedded in the passport).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '@skillpass/core';
import { signDataIntegrity } from '@skillpass/data-integrity';
import { createWallet, importBackup, openWallet } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { createVerifier } from '@skillpass/verifier';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { ESCO_CNC, foreignBadge } from '../../../test-support/foreign-badge.js';
import { newKey } from '../../data-integrity/test/helpers/digitalbazaar.js';

const root = mkdtempSync(join(tmpdir(), 'skillpass-cli-ldp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PASS = 'a long wallet passphrase';
const centre = makeIdentity();
const worker = makeIdentity();
const AUD = 'https://jobs.metaalbedrijf.example';
const CHALLENGE = 'ldp-cli-challenge';
const codesOf = (report: { problems: { code: string }[] }) => report.problems.map((p) => p.code);
let n = 0;
const file = (text: string) => {
  const path = join(root, `credential-${++n}.json`);
  writeFileSync(path, text);
  return path;
};

async function ours(subject: string, assessment = 0): Promise<string> {
  const issued = await issueSkillCredential(CNC_ASSESSMENTS[assessment]!, {
    issuer: { did: centre.did, name: 'Metal Assessment Centre' },
    subject,
    signingKey: centre.signingKey,
    format: 'ldp_vc',
  });
  return issued.token;
}

describe('skillpass verify <credential.json> (ldp_vc)', () => {
  const now = Date.now();
  const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
  const key = newKey();
  const foreign = async (overrides: JsonObject) =>
    signDataIntegrity(foreignBadge(key.did, worker.did, overrides), {
      signer: key.sign,
      verificationMethod: key.keyId,
    });
  const verify = async (text: string) => {
    const run = await runCli(['verify', file(text), '--json', '--no-status']);
    return {
      code: run.code,
      report: JSON.parse(run.stdout) as { problems: { code: string }[] } & JsonObject,
    };
  };

  it('a foreign OB 3.0 Data Integrity credential (pretty-printed file) verifies, exit 0, skill named', async () => {
    const signed = await foreign({ validFrom: iso(now - 86_400_000) });
    const { code, report } = await verify(JSON.stringify(signed, null, 2));
    expect(codesOf(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.format).toBe('ldp_vc');
    const credentials = report.credentials as JsonObject[];
    expect(credentials[0]!.skill).toMatchObject({ uri: ESCO_CNC, name: 'CNC programming', level: null });
  });

  it('tampered → ERR_SIGNATURE_INVALID, expired → ERR_EXPIRED, not yet valid → ERR_NOT_YET_VALID (exit 1)', async () => {
    const signed = await foreign({ validFrom: iso(now - 86_400_000) });
    const tampered = await verify(JSON.stringify({ ...signed, name: 'CNC programming (expert)' }));
    expect(tampered.code).toBe(1);
    expect(codesOf(tampered.report)).toEqual(['ERR_SIGNATURE_INVALID']);
    const expired = await verify(
      JSON.stringify(
        await foreign({ validFrom: iso(now - 2 * 86_400_000), validUntil: iso(now - 86_400_000) }),
      ),
    );
    expect(expired.code).toBe(1);
    expect(codesOf(expired.report)).toEqual(['ERR_EXPIRED']);
    const early = await verify(JSON.stringify(await foreign({ validFrom: iso(now + 86_400_000) })));
    expect(early.code).toBe(1);
    expect(codesOf(early.report)).toEqual(['ERR_NOT_YET_VALID']);
  });

  it('our own `issue --format ldp_vc` output verifies with its level; broken JSON is ERR_MALFORMED', async () => {
    const { code, report } = await verify(`${await ours(worker.did)}\n`);
    expect(code).toBe(0);
    expect((report.credentials as JsonObject[])[0]!.skill).toMatchObject({ level: 3 });
    const broken = await verify('{"@context": [');
    expect(broken.code).toBe(1);
    expect(codesOf(broken.report)).toEqual(['ERR_MALFORMED']);
  });
});

describe('skillpass wallet with ldp_vc credentials', () => {
  it('add (pretty-printed and one-line JSON), list, export/restore, present: the credential is kept and shown', async () => {
    const path = join(root, 'ldp.skillpass');
    const wallet = await createWallet({ path, passphrase: PASS, kdf: { N: 2 ** 14 }, allowWeakKdf: true });
    const did = wallet.did;
    wallet.close();
    const env = { SKILLPASS_WALLET: path, SKILLPASS_WALLET_PASSPHRASE: PASS };

    const pretty = JSON.stringify(JSON.parse(await ours(did, 0)), null, 2);
    const added = await runCli(['wallet', 'add', file(pretty)], { env });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain('(ldp_vc, level 3)');
    // the same credential again, spelt on one line: already held
    const again = await runCli(['wallet', 'add', file(JSON.stringify(JSON.parse(pretty)))], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ERR_ALREADY_EXISTS');
    // JSON lines: a second ldp_vc and a vc+jwt
    const second = await ours(did, 1);
    const { token: jwt } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: centre.did, name: 'Metal Assessment Centre' },
      subject: did,
      signingKey: centre.signingKey,
    });
    // a foreign badge whose JSON holds a "~" (no SD-JWT for all that)
    const key = newKey();
    const tilde = await signDataIntegrity(foreignBadge(key.did, did, { name: 'CNC ~ milling badge' }), {
      signer: key.sign,
      verificationMethod: key.keyId,
    });
    const more = await runCli(['wallet', 'add', '-'], {
      env,
      stdin: `${second}\n${JSON.stringify(tilde)}\n${jwt}\n`,
    });
    expect(more.code, more.stderr).toBe(0);
    // someone else's Data Integrity credential is refused
    const foreign = await runCli(['wallet', 'add', file(await ours(worker.did))], { env });
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('ERR_HOLDER_MISMATCH');

    const list = await runCli(['wallet', 'list', '--json', '--offline'], { env });
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.stdout) as { format: string; level: number | null; id: string }[];
    expect(entries.map((e) => e.format)).toEqual(['ldp_vc', 'ldp_vc', 'ldp_vc', 'vc+jwt']);
    expect(entries.map((e) => e.level)).toEqual([3, expect.any(Number), null, expect.any(Number)]);
    const table = await runCli(['wallet', 'list', '--offline'], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('4 credentials');
    expect(table.stdout).toContain('CNC programming');

    const backup = join(root, 'ldp.backup');
    const exported = await runCli(['wallet', 'export', '--out', backup], { env });
    expect(exported.code, exported.stderr).toBe(0);
    const restoredPath = join(root, 'restored.skillpass');
    const restored = await importBackup({
      path: backup,
      backupPassphrase: PASS,
      into: restoredPath,
      passphrase: PASS,
      kdf: { N: 2 ** 14 },
      allowWeakKdf: true,
    });
    expect(restored).toMatchObject({ did, created: true, imported: 4 });
    const reopened = await openWallet({ path: restoredPath, passphrase: PASS });
    try {
      const kept = reopened.list();
      expect(kept.map((e) => e.format)).toEqual(['ldp_vc', 'ldp_vc', 'ldp_vc', 'vc+jwt']);
      expect(JSON.parse(reopened.get(kept[0]!.id).token)).toEqual(JSON.parse(pretty));
    } finally {
      reopened.close();
    }

    const present = await runCli(['present', '--audience', AUD, '--challenge', CHALLENGE], { env });
    expect(present.code, present.stderr).toBe(0);
    const passport = present.stdout.trim();
    const embedded = decodeJwt(passport).verifiableCredential as JsonObject[];
    expect(embedded[0]).toEqual(JSON.parse(pretty));
    const report = await createVerifier().verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(codesOf(report)).toEqual([]);
    expect(report.credentials.map((c) => c.format)).toEqual(['ldp_vc', 'ldp_vc', 'ldp_vc', 'vc+jwt']);
    const cli = await runCli(['verify', '-', '--audience', AUD, '--challenge', CHALLENGE, '--no-status'], {
      stdin: present.stdout,
    });
    expect(cli.code, cli.stdout).toBe(0);
  });
});
