import { linkSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet } from '@skillpass/holder';
import { issueSdJwtSkillCredential, issueSkillCredential } from '@skillpass/issuer';
import { openSqlite } from '@skillpass/store';
import { createVerifier } from '@skillpass/verifier';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'skillpass-cli-wallet-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PASS = 'a long wallet passphrase';
const centre = makeIdentity();
const ISSUER = { did: centre.did, name: 'Metal Assessment Centre' };
const AUD = 'https://jobs.metaalbedrijf.example';
const CHALLENGE = 'cli-challenge-9';

/** A wallet made through the library with a fast KDF (the CLI opens it with the stored parameters). */
async function fastWallet(name: string): Promise<{ path: string; did: string; env: Record<string, string> }> {
  const path = join(root, `${name}.skillpass`);
  const wallet = await createWallet({ path, passphrase: PASS, kdf: { N: 2 ** 14 }, allowWeakKdf: true });
  const did = wallet.did;
  wallet.close();
  return { path, did, env: { SKILLPASS_WALLET: path, SKILLPASS_WALLET_PASSPHRASE: PASS } };
}

async function files(did: string): Promise<{ vc: string; sd: string; sdId: string }> {
  const vc = await issueSkillCredential(CNC_ASSESSMENTS[1]!, {
    issuer: ISSUER,
    subject: did,
    signingKey: centre.signingKey,
  });
  const sd = await issueSdJwtSkillCredential(CNC_ASSESSMENTS[0]!, {
    issuer: ISSUER,
    subject: did,
    signingKey: centre.signingKey,
    dateOfBirth: '1990-04-17',
  });
  const vcFile = join(root, `${vc.id.slice(-12)}.jwt`);
  const sdFile = join(root, `${sd.id.slice(-12)}.sd-jwt`);
  writeFileSync(vcFile, `${vc.token}\n`);
  writeFileSync(sdFile, `${sd.token}\n`);
  return { vc: vcFile, sd: sdFile, sdId: sd.id };
}

describe('skillpass wallet', () => {
  it('init creates a wallet (default scrypt cost) at $SKILLPASS_WALLET, prints the DID, refuses to overwrite', async () => {
    const path = join(root, 'init.skillpass');
    const env = { SKILLPASS_WALLET: path, SKILLPASS_WALLET_PASSPHRASE: PASS };
    const run = await runCli(['wallet', 'init'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+$/);
    const again = await runCli(['wallet', 'init'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ERR_ALREADY_EXISTS');
    const noPassphrase = await runCli(['wallet', 'init', '--wallet', join(root, 'x.skillpass')], { env: {} });
    expect(noPassphrase.code).toBe(2);
  });

  it('defaults to ./wallet.skillpass and reads the passphrase from --passphrase-file', async () => {
    const cwd = mkdtempSync(join(root, 'cwd-'));
    writeFileSync(join(cwd, 'pass.txt'), `${PASS}\n`);
    const wallet = await createWallet({
      path: join(cwd, 'wallet.skillpass'),
      passphrase: PASS,
      kdf: { N: 2 ** 14 },
      allowWeakKdf: true,
    });
    wallet.close();
    const run = await runCli(['wallet', 'list', '--passphrase-file', 'pass.txt'], { cwd, env: {} });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Wallet of ${wallet.did}: 0 credentials`);
  });

  it('add verifies and stores; refuses another subject (exit 1) and leaves the wallet unchanged', async () => {
    const { did, env } = await fastWallet('add');
    const { vc, sd } = await files(did);
    const first = await runCli(['wallet', 'add', vc], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toMatch(/^urn:uuid:/);
    const second = await runCli(['wallet', 'add', '-'], { env, stdin: readFileSync(sd, 'utf8') });
    expect(second.code, second.stderr).toBe(0);

    const foreign = await files(makeIdentity().did);
    const refused = await runCli(['wallet', 'add', foreign.vc], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ERR_HOLDER_MISMATCH');
    const duplicate = await runCli(['wallet', 'add', vc], { env });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('ERR_ALREADY_EXISTS');

    const list = await runCli(['wallet', 'list', '--json'], { env });
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.stdout) as { format: string; level: number }[];
    expect(entries.map((e) => [e.format, e.level])).toEqual([
      ['vc+jwt', 4],
      ['dc+sd-jwt', 3],
    ]);
    const table = await runCli(['wallet', 'list'], { env });
    expect(table.stdout).toContain('read standard blueprints');
    expect(table.stdout).toContain('program a CNC controller');
  });

  it('add with several tokens: only a SkillpassError is a refusal; a failure of the wallet itself stops (exit 2)', async () => {
    const { path, did, env } = await fastWallet('add-failing');
    const { vc, sd } = await files(did);
    const both = join(root, 'both.txt');
    writeFileSync(both, `${readFileSync(vc, 'utf8')}${readFileSync(sd, 'utf8')}`);
    // The database refuses every write: not a refused credential, an I/O failure.
    const db = openSqlite(path);
    db.exec(
      "CREATE TRIGGER refuse_writes BEFORE INSERT ON wallet_credentials BEGIN SELECT RAISE(ABORT, 'disk failure'); END",
    );
    db.close();
    const run = await runCli(['wallet', 'add', both], { env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('a wrong passphrase is exit 1 (ERR_WALLET_LOCKED); a missing wallet exit 2', async () => {
    const { env } = await fastWallet('locked');
    const run = await runCli(['wallet', 'list'], { env: { ...env, SKILLPASS_WALLET_PASSPHRASE: 'wrong' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ERR_WALLET_LOCKED');
    const missing = await runCli(['wallet', 'list', '--wallet', join(root, 'none.skillpass')], { env });
    expect(missing.code).toBe(2);
  });
});

describe('skillpass present', () => {
  it('prints a passport that reveals only the disclosed claims, and verifies', async () => {
    const { did, env } = await fastWallet('present');
    const { vc, sd, sdId } = await files(did);
    await runCli(['wallet', 'add', vc], { env });
    await runCli(['wallet', 'add', sd], { env });

    const run = await runCli(
      ['present', '--audience', AUD, '--challenge', CHALLENGE, '--disclose', '2=score,assessedOn'],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('skill, level and score, assessedOn');
    const report = await createVerifier().verifyPassport(run.stdout.trim(), {
      audience: AUD,
      challenge: CHALLENGE,
    });
    expect(report.problems).toEqual([]);
    expect(report.credentials[1]!.disclosed).toEqual([
      'evidence.0',
      'evidence.0.assessedOn',
      'evidence.0.score',
    ]);
    expect(JSON.stringify(report)).not.toContain('1990-04-17');

    const verified = await runCli(['verify', '-', '--audience', AUD, '--challenge', CHALLENGE, '--json'], {
      stdin: run.stdout,
    });
    expect(verified.code, verified.stdout).toBe(0);

    const minimal = await runCli(['present', '--audience', AUD, '--challenge', CHALLENGE, '--only', sdId], {
      env,
    });
    expect(minimal.code, minimal.stderr).toBe(0);
    expect(minimal.stderr).toContain('skill and level only');
    const minimalReport = await createVerifier().verifyPassport(minimal.stdout.trim(), {
      audience: AUD,
      challenge: CHALLENGE,
    });
    expect(minimalReport.credentials.map((c) => c.disclosed)).toEqual([[]]);
  });

  it('usage errors: no audience, a vc+jwt disclosure, an unknown claim, a bad position', async () => {
    const { did, env } = await fastWallet('present-usage');
    const { vc, sd } = await files(did);
    await runCli(['wallet', 'add', vc], { env });
    await runCli(['wallet', 'add', sd], { env });
    const cases = [
      ['present', '--challenge', CHALLENGE],
      ['present', '--audience', AUD, '--challenge', CHALLENGE, '--disclose', '1=score'],
      ['present', '--audience', AUD, '--challenge', CHALLENGE, '--disclose', '2=salary'],
      ['present', '--audience', AUD, '--challenge', CHALLENGE, '--only', '7'],
      ['present', '--audience', AUD, '--challenge', CHALLENGE, '--disclose', 'score'],
    ];
    for (const argv of cases) {
      const run = await runCli(argv, { env });
      expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
    }
  });
});

describe('skillpass wallet export never overwrites a store (issue 14 §4)', () => {
  it('refuses --out the wallet itself, through a hard or symbolic link, or any SQLite file; all stay unchanged', async () => {
    const { path, did, env } = await fastWallet('self-export');
    const { vc } = await files(did);
    await runCli(['wallet', 'add', vc], { env });
    const hard = join(root, 'self-export-hard.skillpass');
    linkSync(path, hard);
    const soft = join(root, 'self-export-soft.skillpass');
    symlinkSync(path, soft);
    const other = join(root, 'other.sqlite');
    const db = openSqlite(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const before = [readFileSync(path), readFileSync(other)];
    for (const out of [path, hard, soft, other]) {
      const run = await runCli(['wallet', 'export', '--out', out], { env });
      expect(run.code, out).toBe(1);
      expect(run.stderr).toContain('skillpass: ERR_ALREADY_EXISTS:');
    }
    expect(readFileSync(path).equals(before[0]!)).toBe(true);
    expect(readFileSync(other).equals(before[1]!)).toBe(true);
    const list = await runCli(['wallet', 'list', '--json'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });
});

describe('skillpass wallet export / import / passwd', () => {
  it('exports a backup and imports it as a new wallet elsewhere; a damaged backup is refused', async () => {
    const { did, env } = await fastWallet('backup');
    const { vc, sd } = await files(did);
    await runCli(['wallet', 'add', vc], { env });
    await runCli(['wallet', 'add', sd], { env });
    // Not `backup.skillpass`: that is the wallet's own file, which an export now refuses.
    const backup = join(root, 'backup-file.skillpass');
    const exported = await runCli(['wallet', 'export', '--out', backup], {
      env: { ...env, SKILLPASS_BACKUP_PASSPHRASE: 'backup pass' },
    });
    expect(exported.code, exported.stderr).toBe(0);

    const other = mkdtempSync(join(root, 'other-machine-'));
    const restoredEnv = {
      SKILLPASS_WALLET: join(other, 'wallet.skillpass'),
      SKILLPASS_WALLET_PASSPHRASE: 'new machine pass',
      SKILLPASS_BACKUP_PASSPHRASE: 'backup pass',
    };
    const imported = await runCli(['wallet', 'import', backup], { env: restoredEnv });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.trim()).toBe(did);
    const list = await runCli(['wallet', 'list', '--json'], { env: restoredEnv });
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(2);

    const bytes = readFileSync(backup);
    writeFileSync(backup, bytes.subarray(0, bytes.length - 7));
    const damaged = await runCli(['wallet', 'import', backup], { env: restoredEnv });
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain('ERR_BACKUP_INVALID');
    const still = await runCli(['wallet', 'list', '--json'], { env: restoredEnv });
    expect((JSON.parse(still.stdout) as unknown[]).length).toBe(2);
  });

  it('passwd changes the passphrase', async () => {
    const { env } = await fastWallet('passwd');
    const changed = await runCli(['wallet', 'passwd'], {
      env: { ...env, SKILLPASS_NEW_WALLET_PASSPHRASE: 'fresh one' },
    });
    expect(changed.code, changed.stderr).toBe(0);
    expect((await runCli(['wallet', 'list'], { env })).code).toBe(1);
    expect(
      (await runCli(['wallet', 'list'], { env: { ...env, SKILLPASS_WALLET_PASSPHRASE: 'fresh one' } })).code,
    ).toBe(0);
    const missingNew = await runCli(['wallet', 'passwd'], {
      env: { ...env, SKILLPASS_WALLET_PASSPHRASE: 'fresh one' },
    });
    expect(missingNew.code).toBe(2);
  });
});
