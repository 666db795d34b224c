import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet } from '@skillpass/holder';
import { initIssuer } from '@skillpass/issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, ensureBuilt, runBin } from '../../../test-support/child.js';
import { CNC_ASSESSMENTS } from '../../../test-support/fixtures.js';

// These tests run the built bin (packages/cli/bin/skillpass.js) as a child process, so the
// shebang entry, process.exitCode and the bounded read of real standard input are exercised.

const root = mkdtempSync(join(tmpdir(), 'skillpass-cli-bin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => ensureBuilt(), 300_000);

const env = {
  ...baseEnv(),
  SKILLPASS_ISSUER_PASSPHRASE: 'a long issuer passphrase',
  SKILLPASS_WALLET: join(root, 'wallet.skillpass'),
  SKILLPASS_WALLET_PASSPHRASE: 'a long wallet passphrase',
};

function problemCodes(json: string): string[] {
  return (JSON.parse(json) as { problems: { code: string }[] }).problems.map((p) => p.code);
}

describe('the skillpass bin as a child process', () => {
  it('--version prints the version of its package.json', async () => {
    const run = await runBin(['--version']);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('an unknown command exits 2 with ERR_INVALID_OPTIONS on stderr', async () => {
    const run = await runBin(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^skillpass: ERR_INVALID_OPTIONS: /);
  });

  it('issue → wallet add (stdin) → present → verify (stdin): exit 0, verified', async () => {
    // Made through the library with a fast KDF; the bin opens both with the stored parameters.
    const centre = join(root, 'centre');
    mkdirSync(centre);
    (
      await initIssuer({
        path: join(centre, 'issuer.db'),
        passphrase: env.SKILLPASS_ISSUER_PASSPHRASE,
        didKey: true,
        name: 'Centre',
        kdf: { N: 2 ** 14 },
        allowWeakKdf: true,
      })
    ).close();
    const wallet = await createWallet({
      path: env.SKILLPASS_WALLET,
      passphrase: env.SKILLPASS_WALLET_PASSPHRASE,
      kdf: { N: 2 ** 14 },
      allowWeakKdf: true,
    });
    const holder = wallet.did;
    wallet.close();

    const skill = join(root, 'skill.json');
    writeFileSync(skill, JSON.stringify(CNC_ASSESSMENTS[0]));
    const issued = await runBin(['issue', '--issuer', centre, '--subject', holder, '--skill', skill], {
      env,
    });
    expect(issued.code, issued.stderr).toBe(0);
    const added = await runBin(['wallet', 'add', '-'], { env, stdin: issued.stdout });
    expect(added.code, added.stderr).toBe(0);

    const presented = await runBin(['present', '--audience', 'https://jobs.example', '--challenge=c-1'], {
      env,
    });
    expect(presented.code, presented.stderr).toBe(0);
    const verified = await runBin(
      ['verify', '-', '--audience', 'https://jobs.example', '--challenge', 'c-1', '--json'],
      { env, stdin: presented.stdout },
    );
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ kind: 'passport', verified: true, holder });

    const replayed = await runBin(
      ['verify', '-', '--audience', 'https://other.example', '--challenge', 'c-1', '--json'],
      { env, stdin: presented.stdout },
    );
    expect(replayed.code).toBe(1);
    expect(problemCodes(replayed.stdout)).toContain('ERR_AUDIENCE_MISMATCH');
  }, 300_000);

  it('reads real standard input up to its limit: 5 MiB on stdin is ERR_INPUT_TOO_LARGE, exit 1', async () => {
    const huge = `eyJhbGciOiJFZERTQSIsInR5cCI6InZwK2p3dCJ9.${'A'.repeat(5 * 1024 * 1024)}.sig`;
    const run = await runBin(['verify', '-', '--json'], { stdin: huge });
    expect(run.code, run.stderr).toBe(1);
    expect(problemCodes(run.stdout)).toEqual(['ERR_INPUT_TOO_LARGE']);
  });

  it('garbage on standard input is ERR_MALFORMED, exit 1; empty standard input too', async () => {
    for (const stdin of ['not a token\n', '']) {
      const run = await runBin(['verify', '-', '--json'], { stdin });
      expect(run.code, run.stderr).toBe(1);
      expect(problemCodes(run.stdout)).toContain('ERR_MALFORMED');
    }
  });
});
