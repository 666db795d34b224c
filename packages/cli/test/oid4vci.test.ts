import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet } from '@skillpass/holder';
import { type Issuer, initIssuer } from '@skillpass/issuer';
import { createIssuerApp, OfferStore, startIssuerService } from '@skillpass/issuer-service';
import { openSqlite, type SqliteDatabase } from '@skillpass/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS } from '../../../test-support/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'skillpass-cli-vci-'));
const ISSUER_PASS = 'centre passphrase';
const WALLET_PASS = 'worker passphrase';
let url = '';
let env: Record<string, string> = {};
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  const path = join(root, 'issuer.db');
  let issuer: Issuer | undefined;
  let db: SqliteDatabase | undefined;
  const running = await startIssuerService({
    port: 0,
    app: async (bound) => {
      issuer = await initIssuer({
        path,
        passphrase: ISSUER_PASS,
        didKey: true,
        name: 'Metaal Examencentrum',
        statusBaseUrl: `${bound}/status`,
        kdf: { N: 2 ** 14 },
        allowWeakKdf: true,
      });
      db = openSqlite(path);
      return createIssuerApp({ issuer, offers: new OfferStore(db), publicUrl: bound });
    },
  });
  url = running.url;
  close = async () => {
    await running.close();
    db?.close();
    issuer?.close();
  };
  const walletPath = join(root, 'wallet.skillpass');
  const wallet = await createWallet({
    path: walletPath,
    passphrase: WALLET_PASS,
    kdf: { N: 2 ** 14 },
    allowWeakKdf: true,
  });
  wallet.close();
  writeFileSync(join(root, 'assessment.json'), JSON.stringify(CNC_ASSESSMENTS[0]));
  env = {
    SKILLPASS_ISSUER_PASSPHRASE: ISSUER_PASS,
    SKILLPASS_WALLET: walletPath,
    SKILLPASS_WALLET_PASSPHRASE: WALLET_PASS,
  };
});
afterAll(async () => {
  await close();
  rmSync(root, { recursive: true, force: true });
});

describe('skillpass issuer offer / wallet receive', () => {
  it('offer --json prints exactly offer, txCode and expiresAt; receive stores the credential; a second receive is refused', async () => {
    const offered = await runCli(
      [
        'issuer',
        'offer',
        '--issuer',
        root,
        '--skill',
        'assessment.json',
        '--tx-code',
        '--expires-in',
        '600',
        '--json',
        '--public-url',
        url,
      ],
      { env, cwd: root },
    );
    expect(offered.code, offered.stderr).toBe(0);
    const json = JSON.parse(offered.stdout) as { offer: string; txCode: string | null; expiresAt: string };
    expect(Object.keys(json)).toEqual(['offer', 'txCode', 'expiresAt']);
    expect(json.offer).toBe(
      `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`${url}/offers/`)}${json.offer.split('%2Foffers%2F')[1]}`,
    );
    expect(json.txCode).toMatch(/^\d{6}$/);
    expect(Math.abs(Date.parse(json.expiresAt) - Date.now() - 600_000)).toBeLessThan(60_000);

    const wrong = await runCli(
      [
        'wallet',
        'receive',
        json.offer,
        '--tx-code',
        json.txCode === '000000' ? '111111' : '000000',
        '--allow-http-localhost',
      ],
      { env, cwd: root },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('ERR_ISSUANCE_REFUSED');
    expect(wrong.stderr).toContain('invalid_grant');

    const received = await runCli(
      ['wallet', 'receive', json.offer, '--tx-code', json.txCode!, '--allow-http-localhost'],
      {
        env,
        cwd: root,
      },
    );
    expect(received.code, received.stderr).toBe(0);
    const id = received.stdout.trim();
    const list = await runCli(['wallet', 'list', '--json'], { env, cwd: root });
    expect(
      (JSON.parse(list.stdout) as { id: string; format: string }[]).map((e) => [e.id, e.format]),
    ).toEqual([[id, 'dc+sd-jwt']]);

    const again = await runCli(
      ['wallet', 'receive', json.offer, '--tx-code', json.txCode!, '--allow-http-localhost'],
      {
        env,
        cwd: root,
      },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ERR_ISSUANCE_REFUSED');
  });

  it('offer without --json prints the URI on stdout; a plain-http offer needs --allow-http-localhost; usage errors exit 2', async () => {
    const offered = await runCli(
      [
        'issuer',
        'offer',
        '--issuer',
        root,
        '--skill',
        'assessment.json',
        '--format',
        'vc+jwt',
        '--public-url',
        url,
      ],
      { env, cwd: root },
    );
    expect(offered.code, offered.stderr).toBe(0);
    const uri = offered.stdout.trim();
    expect(uri.startsWith('openid-credential-offer://?credential_offer_uri=')).toBe(true);
    const refused = await runCli(['wallet', 'receive', uri], { env, cwd: root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ERR_OFFER_INVALID');
    const badFormat = await runCli(
      [
        'issuer',
        'offer',
        '--issuer',
        root,
        '--skill',
        'assessment.json',
        '--format',
        'mso_mdoc',
        '--public-url',
        url,
      ],
      { env, cwd: root },
    );
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('ERR_INVALID_OPTIONS');
    expect((await runCli(['wallet', 'receive'], { env, cwd: root })).code).toBe(2);
    const badTtl = await runCli(
      [
        'issuer',
        'offer',
        '--issuer',
        root,
        '--skill',
        'assessment.json',
        '--expires-in',
        '0',
        '--public-url',
        url,
      ],
      { env, cwd: root },
    );
    expect(badTtl.code).toBe(2);
  });

  it('offer --format ldp_vc: wallet receive stores the Data Integrity credential', async () => {
    const offered = await runCli(
      [
        'issuer',
        'offer',
        '--issuer',
        root,
        '--skill',
        'assessment.json',
        '--format',
        'ldp_vc',
        '--json',
        '--public-url',
        url,
      ],
      { env, cwd: root },
    );
    expect(offered.code, offered.stderr).toBe(0);
    const { offer } = JSON.parse(offered.stdout) as { offer: string };
    const received = await runCli(['wallet', 'receive', offer, '--allow-http-localhost'], { env, cwd: root });
    expect(received.code, received.stderr).toBe(0);
    const id = received.stdout.trim();
    const list = await runCli(['wallet', 'list', '--json'], { env, cwd: root });
    const entries = JSON.parse(list.stdout) as { id: string; format: string }[];
    expect(entries.find((e) => e.id === id)?.format).toBe('ldp_vc');
  });
});
