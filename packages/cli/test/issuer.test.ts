import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presentSdJwtCredential } from '@skillpass/holder';
import { initIssuer } from '@skillpass/issuer';
import { openSqlite, SqlitePrivateKeyStore, unlockSecretBox } from '@skillpass/store';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'skillpass-cli-issuer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PASS = 'a long issuer passphrase';
const env = { SKILLPASS_ISSUER_PASSPHRASE: PASS, USER: 'registrar' };
const worker = makeIdentity();
const skillFile = join(root, 'skill.json');
writeFileSync(skillFile, JSON.stringify(CNC_ASSESSMENTS[0]));

/** An issuer made through the library with a fast KDF; the CLI opens it with the stored parameters. */
async function fastIssuer(name: string): Promise<string> {
  const dir = join(root, name);
  mkdirSync(dir);
  const issuer = await initIssuer({
    path: join(dir, 'issuer.db'),
    passphrase: PASS,
    didKey: true,
    name: 'Metal Assessment Centre Eindhoven',
    statusBaseUrl: 'https://centre.example/status',
    kdf: { N: 2 ** 14 },
    allowWeakKdf: true,
  });
  issuer.close();
  return dir;
}

function codesIn(json: string): string[] {
  return (JSON.parse(json) as { problems: { code: string }[] }).problems.map((p) => p.code);
}

describe('skillpass issuer init', () => {
  it('creates a did:key centre, prints its DID and never the key', async () => {
    const dir = join(root, 'init-key');
    const run = await runCli(
      [
        'issuer',
        'init',
        '--did-key',
        '--dir',
        dir,
        '--name',
        'Centre',
        '--status-base-url',
        'https://c.example/status',
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+$/);
    expect(existsSync(join(dir, 'issuer.db'))).toBe(true);
    const db = openSqlite(join(dir, 'issuer.db'));
    const [key] = await new SqlitePrivateKeyStore(db, await unlockSecretBox(db, PASS)).listKeys();
    db.close();
    // The key in every form it could leak in: hex (seed or seed + public key), base64url (a JWK's
    // d), base64; and the passphrase.
    const hex = key!.privateKeyHex;
    const seed = Buffer.from(hex.slice(0, 64), 'hex');
    const printed = run.stdout + run.stderr;
    for (const secret of [
      hex,
      hex.slice(0, 64),
      seed.toString('base64url'),
      seed.toString('base64'),
      Buffer.from(hex, 'hex').toString('base64url'),
      PASS,
    ]) {
      expect(printed).not.toContain(secret);
    }

    const again = await runCli(
      ['issuer', 'init', '--did-key', '--dir', dir, '--status-base-url', 'https://c.example/status'],
      { env },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ERR_ALREADY_EXISTS');
  });

  it('creates a did:web centre with P-256 and writes did.json', async () => {
    const dir = join(root, 'init-web');
    const run = await runCli(
      ['issuer', 'init', '--did-web', 'localhost:8443', '--dir', dir, '--key-type', 'P-256'],
      {
        env,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('did:web:localhost%3A8443');
    const doc = JSON.parse(readFileSync(join(dir, 'did.json'), 'utf8'));
    expect(doc.id).toBe('did:web:localhost%3A8443');
    expect(doc.verificationMethod[0].publicKeyJwk.crv).toBe('P-256');
  });

  it('usage errors exit 2: no passphrase, both or neither DID flag, a bad key type', async () => {
    const dir = join(root, 'init-bad');
    for (const [args, runEnv] of [
      [['issuer', 'init', '--did-key', '--dir', dir, '--status-base-url', 'https://c.example/s'], {}],
      [['issuer', 'init', '--dir', dir], env],
      [['issuer', 'init', '--did-key', '--did-web', 'a.example', '--dir', dir], env],
      [['issuer', 'init', '--did-web', 'a.example', '--key-type', 'RSA', '--dir', dir], env],
    ] as [string[], Record<string, string>][]) {
      expect((await runCli(args, { env: runEnv })).code).toBe(2);
    }
    expect(existsSync(join(dir, 'issuer.db'))).toBe(false);
  });
});

describe('skillpass issuer init --did-key without --status-base-url', () => {
  it('creates a centre without status lists (warning): issue works, revoke exits 1 ERR_UNSUPPORTED, publish writes nothing', async () => {
    const dir = join(root, 'init-no-status');
    const init = await runCli(['issuer', 'init', '--did-key', '--dir', dir], { env });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout.trim()).toMatch(/^did:key:z6Mk/);
    expect(init.stderr).toMatch(/^warning: .*--status-base-url/m);

    const issued = await runCli(['issue', '--issuer', dir, '--subject', worker.did, '--skill', skillFile], {
      env,
    });
    expect(issued.code, issued.stderr).toBe(0);
    const verified = await runCli(['verify', '-'], { env, stdin: issued.stdout });
    expect(verified.code, verified.stdout).toBe(0);
    const [record] = JSON.parse(
      (await runCli(['issuer', 'list', '--issuer', dir, '--json'], { env })).stdout,
    );
    expect(record.status).toEqual([]);

    const revoked = await runCli(['issuer', 'revoke', record.id, '--issuer', dir], { env });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('ERR_UNSUPPORTED');
    const suspendable = await runCli(
      ['issue', '--issuer', dir, '--subject', worker.did, '--skill', skillFile, '--suspendable'],
      { env },
    );
    expect(suspendable.code).toBe(1);
    expect(suspendable.stderr).toContain('ERR_UNSUPPORTED');

    const out = join(dir, 'status');
    const published = await runCli(['status', 'publish', '--issuer', dir, '--out', out], { env });
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });
});

describe('skillpass issuer init --store / --issuer <file>', () => {
  it('keeps the store in the file the user names; every command opens it with --issuer <file>', async () => {
    const place = join(root, 'store-file');
    const store = join(place, 'centre.db');
    const init = await runCli(
      ['issuer', 'init', '--did-key', '--store', store, '--status-base-url', 'https://c.example/status'],
      { env },
    );
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(store)).toBe(true);
    expect(existsSync(join(place, 'issuer.db'))).toBe(false);
    const issued = await runCli(['issue', '--issuer', store, '--subject', worker.did, '--skill', skillFile], {
      env,
    });
    expect(issued.code, issued.stderr).toBe(0);
    const list = await runCli(['issuer', 'list', '--issuer', store, '--json'], { env });
    expect(JSON.parse(list.stdout)).toHaveLength(1);
    const published = await runCli(['status', 'publish', '--issuer', store, '--out', join(place, 'status')], {
      env,
    });
    expect(published.code, published.stderr).toBe(0);
    const missing = await runCli(['issuer', 'list', '--issuer', join(place, 'other.db')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ERR_NOT_FOUND');
  });
});

describe('skillpass issue / issuer revoke|suspend|unsuspend|list / status publish', () => {
  it('issues, revokes, publishes; verify sees ERR_REVOKED offline', async () => {
    const dir = await fastIssuer('flow');
    const out = join(root, 'flow-status');
    const issued = await runCli(['issue', '--issuer', dir, '--subject', worker.did, '--skill', skillFile], {
      env,
    });
    expect(issued.code, issued.stderr).toBe(0);
    const token = issued.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const tokenFile = join(root, 'flow.jwt');
    writeFileSync(tokenFile, token);

    // --issuer defaults to the current directory, as for revoke/suspend/list.
    const published = await runCli(['status', 'publish', '--out', out], { env, cwd: dir });
    expect(published.code, published.stderr).toBe(0);
    const ok = await runCli(['verify', tokenFile, '--status-lists', out, '--json']);
    expect(ok.code, ok.stdout).toBe(0);

    const list = await runCli(['issuer', 'list', '--issuer', dir, '--json'], { env });
    const [record] = JSON.parse(list.stdout);
    expect(record).toMatchObject({ subject: worker.did, level: 3, revokedAt: null });

    const revoke = await runCli(['issuer', 'revoke', record.id, '--issuer', dir, '--reason', 'fraud'], {
      env,
    });
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain('revoked');
    expect((await runCli(['issuer', 'revoke', record.id, '--issuer', dir], { env })).stdout).toContain(
      'already revoked',
    );
    expect((await runCli(['status', 'publish', '--issuer', dir, '--out', out], { env })).code).toBe(0);
    const revoked = await runCli(['verify', tokenFile, '--status-lists', out, '--json']);
    expect(revoked.code).toBe(1);
    expect(codesIn(revoked.stdout)).toEqual(['ERR_REVOKED']);

    const table = await runCli(['issuer', 'list', '--issuer', dir], { env });
    expect(table.stdout).toContain('revoked');
    expect(table.stdout).toContain('program a CNC controller');

    const suspendPlain = await runCli(['issuer', 'suspend', record.id, '--issuer', dir], { env });
    expect(suspendPlain.code).toBe(1);
    expect(suspendPlain.stderr).toContain('ERR_UNSUPPORTED');
  });

  it('--format dc+sd-jwt: registered with a status entry; presented with a key binding; revoke → ERR_REVOKED', async () => {
    const dir = await fastIssuer('sd-jwt');
    const out = join(root, 'sd-jwt-status');
    const issued = await runCli(
      ['issue', '--issuer', dir, '--subject', worker.did, '--skill', skillFile, '--format', 'dc+sd-jwt'],
      { env },
    );
    expect(issued.code, issued.stderr).toBe(0);
    const token = issued.stdout.trim();
    expect(token.endsWith('~')).toBe(true);
    const [record] = JSON.parse(
      (await runCli(['issuer', 'list', '--issuer', dir, '--json'], { env })).stdout,
    );
    expect(record).toMatchObject({ format: 'dc+sd-jwt', subject: worker.did, level: 3 });
    expect(record.status).toHaveLength(1);

    const shown = join(root, 'sd-jwt.shown');
    writeFileSync(
      shown,
      await presentSdJwtCredential(token, {
        audience: 'A',
        challenge: 'C',
        signingKey: worker.signingKey,
      }),
    );
    const flags = ['--status-lists', out, '--audience', 'A', '--challenge', 'C', '--json'];
    expect((await runCli(['status', 'publish', '--issuer', dir, '--out', out], { env })).code).toBe(0);
    const ok = await runCli(['verify', shown, ...flags]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout).credentials[0].disclosed).toEqual([]);

    expect((await runCli(['issuer', 'revoke', record.id, '--issuer', dir], { env })).code).toBe(0);
    await runCli(['status', 'publish', '--issuer', dir, '--out', out], { env });
    const revoked = await runCli(['verify', shown, ...flags]);
    expect(revoked.code).toBe(1);
    // Both status mechanisms of the SD-JWT, read offline from <out> and <out>/token.
    expect(codesIn(revoked.stdout)).toEqual(['ERR_REVOKED', 'ERR_REVOKED']);
    expect(record.tokenStatus.listUrl).toMatch(/\/token\/1$/);

    // A did:web subject has no key the credential could be bound to: a usage error, nothing registered.
    const web = await runCli(
      [
        'issue',
        '--issuer',
        dir,
        '--subject',
        'did:web:worker.example',
        '--skill',
        skillFile,
        '--format',
        'dc+sd-jwt',
      ],
      { env },
    );
    expect(web.code).toBe(2);
    expect(web.stderr).toContain('ERR_INVALID_OPTIONS');
    expect(
      JSON.parse((await runCli(['issuer', 'list', '--issuer', dir, '--json'], { env })).stdout),
    ).toHaveLength(1);
  });

  it('--suspendable: suspend → ERR_SUSPENDED, unsuspend → verifies', async () => {
    const dir = await fastIssuer('suspend');
    const out = join(root, 'suspend-status');
    const issued = await runCli(
      ['issue', '--issuer', dir, '--subject', worker.did, '--skill', skillFile, '--suspendable'],
      { env },
    );
    expect(issued.code, issued.stderr).toBe(0);
    const tokenFile = join(root, 'suspend.jwt');
    writeFileSync(tokenFile, issued.stdout);
    const id = JSON.parse((await runCli(['issuer', 'list', '--issuer', dir, '--json'], { env })).stdout)[0]
      .id;

    expect(
      (await runCli(['issuer', 'suspend', id, '--issuer', dir, '--reason', 'audit'], { env })).code,
    ).toBe(0);
    await runCli(['status', 'publish', '--issuer', dir, '--out', out], { env });
    const suspended = await runCli(['verify', tokenFile, '--status-lists', out, '--json']);
    expect(codesIn(suspended.stdout)).toEqual(['ERR_SUSPENDED']);

    expect((await runCli(['issuer', 'unsuspend', id, '--issuer', dir], { env })).code).toBe(0);
    await runCli(['status', 'publish', '--issuer', dir, '--out', out], { env });
    expect((await runCli(['verify', tokenFile, '--status-lists', out])).code).toBe(0);
  });

  it('refuses a wrong passphrase (exit 1, ERR_STORE_LOCKED), a missing store and bad flags (exit 2)', async () => {
    const dir = await fastIssuer('locked');
    for (const argv of [
      ['issuer', 'list', '--issuer', dir],
      ['status', 'publish', '--issuer', dir, '--out', join(root, 'locked-status')],
    ]) {
      const wrong = await runCli(argv, { env: { SKILLPASS_ISSUER_PASSPHRASE: 'wrong' } });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('ERR_STORE_LOCKED');
    }
    const passFile = join(root, 'pass.txt');
    writeFileSync(passFile, `${PASS}\n`);
    expect((await runCli(['issuer', 'list', '--issuer', dir, '--passphrase-file', passFile])).code).toBe(0);
    expect((await runCli(['issuer', 'list', '--issuer', join(root, 'nowhere')], { env })).code).toBe(2);
    expect(
      (await runCli(['issue', '--issuer', dir, '--subject', 'not-a-did', '--skill', skillFile], { env }))
        .code,
    ).toBe(2);
    expect(
      (
        await runCli(
          ['issue', '--issuer', dir, '--subject', worker.did, '--skill', skillFile, '--format', 'x'],
          { env },
        )
      ).code,
    ).toBe(2);
    expect((await runCli(['issuer', 'revoke', '--issuer', dir], { env })).code).toBe(2);
    const bad = join(root, 'bad-skill.json');
    writeFileSync(bad, JSON.stringify({ skill: { uri: 'x' } }));
    const invalid = await runCli(['issue', '--issuer', dir, '--subject', worker.did, '--skill', bad], {
      env,
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('ERR_SCHEMA_INVALID');
  });

  it('verify --trust: the metal-sector registry does not list this did:key centre; one that does passes', async () => {
    const dir = await fastIssuer('trust');
    const issued = await runCli(['issue', '--issuer', dir, '--subject', worker.did, '--skill', skillFile], {
      env,
    });
    const tokenFile = join(root, 'trust.jwt');
    writeFileSync(tokenFile, issued.stdout);
    const example = new URL('../../../examples/metal-sector/trust-registry.json', import.meta.url).pathname;
    const untrusted = await runCli(['verify', tokenFile, '--no-status', '--trust', example, '--json']);
    expect(untrusted.code).toBe(1);
    expect(codesIn(untrusted.stdout)).toEqual(['ERR_ISSUER_UNTRUSTED']);

    const did = issuedDid(issued.stdout);
    const registry = JSON.parse(readFileSync(example, 'utf8'));
    registry.assessmentCentres[0].id = did;
    const mine = join(root, 'registry.json');
    writeFileSync(mine, JSON.stringify(registry));
    const trusted = await runCli(['verify', tokenFile, '--no-status', '--trust', mine]);
    expect(trusted.code, trusted.stdout).toBe(0);
    // A registry that does not load is the employer's input error (exit 2), not "not verified".
    const pinned = await runCli([
      'verify',
      tokenFile,
      '--no-status',
      '--trust',
      mine,
      '--scheme-owner',
      'did:web:x.example',
    ]);
    expect(pinned.code).toBe(2);
    expect(pinned.stdout).toBe('');
    expect(pinned.stderr).toContain('skillpass: ERR_SIGNATURE_INVALID:');
  });

  it('prints usage for --help', async () => {
    for (const words of [
      ['issuer', 'init'],
      ['issue'],
      ['issuer', 'revoke'],
      ['issuer', 'list'],
      ['status', 'publish'],
    ]) {
      const run = await runCli([...words, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`skillpass ${words.join(' ')}`);
    }
    expect((await runCli(['issue', '--help'])).stdout).toContain('Open Badges 3.0');
    expect((await runCli(['issue', '--help'])).stdout).toContain('dc+sd-jwt');
  });
});

function issuedDid(token: string): string {
  return JSON.parse(Buffer.from(token.trim().split('.')[1]!, 'base64url').toString('utf8')).iss;
}
