import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet } from '@skillpass/holder';
import { initIssuer } from '@skillpass/issuer';
import { openSqlite, STORE_APPLICATION_IDS } from '@skillpass/store';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';

// Issue 14 §4: a command opens a store read-only and identifies it before anything is written;
// a file that is not its kind of store is refused byte for byte unchanged.

const root = mkdtempSync(join(tmpdir(), 'skillpass-cli-store-identity-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PASS = 'one passphrase for the wallet and the centre';
const env = {
  SKILLPASS_WALLET_PASSPHRASE: PASS,
  SKILLPASS_ISSUER_PASSPHRASE: PASS,
  USER: 'registrar',
};
const FAST = { kdf: { N: 2 ** 14 }, allowWeakKdf: true } as const;

function snapshot(path: string) {
  return {
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    mtimeMs: statSync(path).mtimeMs,
    files: readdirSync(join(path, '..')).sort(),
  };
}

function applicationIdOf(path: string): number {
  return readFileSync(path).readInt32BE(68);
}

async function wallet(dir: string): Promise<string> {
  const path = join(dir, 'wallet.skillpass');
  (await createWallet({ path, passphrase: PASS, ...FAST })).close();
  return path;
}

async function centre(path: string): Promise<string> {
  const issuer = await initIssuer({
    path,
    passphrase: PASS,
    didKey: true,
    name: 'Metal Assessment Centre',
    statusBaseUrl: 'https://centre.example/status',
    ...FAST,
  });
  await issuer.issue(CNC_ASSESSMENTS[0]!, { subject: makeIdentity().did });
  issuer.close();
  return path;
}

/** An address book in SQLite, in WAL mode (what `issuer list` used to switch a file to). */
function foreignDatabase(path: string, wal: boolean): string {
  // openSqlite without a kind is a plain connection (WAL); the rollback journal is set back by hand.
  const db = openSqlite(path);
  if (!wal) db.pragma('journal_mode = DELETE');
  db.exec("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('Ada')");
  db.close();
  return path;
}

describe('stores are identified before anything is written (issue 14 §4)', () => {
  it('issuer list / wallet list on a foreign SQLite file: ERR_STORE_CORRUPT, the file unchanged, no -wal/-shm', async () => {
    for (const wal of [false, true]) {
      const dir = mkdtempSync(join(root, 'foreign-'));
      const path = foreignDatabase(join(dir, 'addresses.db'), wal);
      const before = snapshot(path);
      const asIssuer = await runCli(['issuer', 'list', '--issuer', path], { env });
      expect(asIssuer.code).toBe(1);
      expect(asIssuer.stderr).toContain('ERR_STORE_CORRUPT');
      const asWallet = await runCli(['wallet', 'list', '--wallet', path], { env });
      expect(asWallet.code).toBe(1);
      expect(asWallet.stderr).toContain('ERR_STORE_CORRUPT');
      expect(snapshot(path)).toEqual(before);
      // Bytes 18–19 of the header: 2 in WAL mode, 1 with a rollback journal.
      expect(readFileSync(path)[18]).toBe(wal ? 2 : 1);
    }
  });

  it('a wallet opened as an issuer store (same passphrase), and an issuer store as a wallet, are refused unchanged', async () => {
    const dir = mkdtempSync(join(root, 'cross-'));
    const walletPath = await wallet(dir);
    const issuerPath = await centre(join(dir, 'issuer.db'));
    const before = [snapshot(walletPath), snapshot(issuerPath)];
    for (const args of [
      ['issuer', 'list', '--issuer', walletPath],
      ['issuer', 'revoke', 'urn:uuid:x', '--issuer', walletPath],
      ['status', 'publish', '--out', join(dir, 'status'), '--issuer', walletPath],
      ['wallet', 'list', '--wallet', issuerPath],
      ['wallet', 'passwd', '--wallet', issuerPath],
    ]) {
      const run = await runCli(args, { env: { ...env, SKILLPASS_NEW_WALLET_PASSPHRASE: 'another one' } });
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr, args.join(' ')).toContain('ERR_STORE_CORRUPT');
    }
    expect([snapshot(walletPath), snapshot(issuerPath)]).toEqual(before);
  });

  it('an earlier-version store (no application id) is accepted by its tables and given the id', async () => {
    const dir = mkdtempSync(join(root, 'earlier-'));
    const walletPath = await wallet(dir);
    const issuerPath = await centre(join(dir, 'issuer.db'));
    for (const path of [walletPath, issuerPath]) {
      const db = openSqlite(path);
      db.pragma('application_id = 0');
      db.close();
      expect(applicationIdOf(path)).toBe(0);
    }
    // Files without an id were written before issuer migration 4 (the Token Status List
    // tables), so an honest earlier issuer store is rolled back to issuer version 3.
    {
      const db = openSqlite(issuerPath);
      db.exec('DROP TABLE token_status_entries; DROP TABLE token_status_lists;');
      db.prepare("UPDATE store_migrations SET version = 3 WHERE component = 'issuer'").run();
      db.pragma(`user_version = ${(db.pragma('user_version', { simple: true }) as number) - 1}`);
      db.close();
    }
    const listed = await runCli(['wallet', 'list', '--json', '--wallet', walletPath], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(applicationIdOf(walletPath)).toBe(STORE_APPLICATION_IDS.wallet);
    const register = await runCli(['issuer', 'list', '--json', '--issuer', issuerPath], { env });
    expect(register.code, register.stderr).toBe(0);
    expect(JSON.parse(register.stdout)).toHaveLength(1);
    expect(applicationIdOf(issuerPath)).toBe(STORE_APPLICATION_IDS.issuer);
    // Once identified, the earlier wallet still is no issuer store.
    const cross = await runCli(['issuer', 'list', '--issuer', walletPath], { env });
    expect(cross.stderr).toContain('ERR_STORE_CORRUPT');
  });

  it('status publish never writes a list over the store (its own name, a hard or a symbolic link)', async () => {
    const dir = mkdtempSync(join(root, 'publish-'));
    const out = join(dir, 'out');
    mkdirSync(out);
    // The store is named like list 1 inside --out.
    const named = await centre(join(out, '1'));
    const before = snapshot(named);
    const run = await runCli(['status', 'publish', '--out', out, '--issuer', named], { env });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('ERR_ALREADY_EXISTS');
    expect(snapshot(named)).toEqual(before);
    // A link named 1 in --out pointing at the store elsewhere.
    for (const link of [linkSync, symlinkSync]) {
      const d = mkdtempSync(join(root, 'publish-link-'));
      const store = await centre(join(d, 'issuer.db'));
      mkdirSync(join(d, 'out'));
      link(store, join(d, 'out', '1'));
      const storeBefore = snapshot(store);
      const linked = await runCli(['status', 'publish', '--out', join(d, 'out'), '--issuer', store], { env });
      expect(linked.stderr).toContain('ERR_ALREADY_EXISTS');
      expect(snapshot(store)).toEqual(storeBefore);
    }
    // An ordinary folder: written, then written again over its own lists.
    const fine = mkdtempSync(join(root, 'publish-ok-'));
    const store = await centre(join(fine, 'issuer.db'));
    for (let i = 0; i < 2; i++) {
      const ok = await runCli(['status', 'publish', '--out', join(fine, 'status'), '--issuer', store], {
        env,
      });
      expect(ok.code, ok.stderr).toBe(0);
    }
    expect(readdirSync(join(fine, 'status'))).toEqual(['1']);
  });

  it('issuer init --did-web refuses a --store that did.json would overwrite, creating nothing', async () => {
    const dir = mkdtempSync(join(root, 'didjson-'));
    const run = await runCli(
      ['issuer', 'init', '--did-web', 'centre.example', '--store', join(dir, 'did.json')],
      { env },
    );
    expect(run.code).toBe(2);
    expect(existsSync(join(dir, 'did.json'))).toBe(false);
  });
});
