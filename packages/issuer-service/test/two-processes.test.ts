import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initIssuer, openIssuer } from '@skillpass/issuer';
import { openSqlite } from '@skillpass/store';
import { afterEach, describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS } from '../../../test-support/fixtures.js';
import { createCredentialOffer, OfferStore, offerObject } from '../src/index.js';
import { TEST_KDF, tempDir } from './helpers.js';
import { proofJwt, rawKey } from './raw-client.js';

const CLI = fileURLToPath(new URL('./fixtures/cli.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('./fixtures/tsconfig.json', import.meta.url));
const PASS = 'centre passphrase';
/** What both processes call themselves: wallets address proofs to it; no request goes there. */
const PUBLIC_URL = 'http://127.0.0.1:9';
const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** `skillpass issuer serve` as a real process; resolves with the URL it printed once listening. */
function serve(dir: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'issuer', 'serve', '--issuer', dir, '--port', '0', '--public-url', PUBLIC_URL],
    {
      env: { ...process.env, TSX_TSCONFIG_PATH: TSCONFIG, SKILLPASS_ISSUER_PASSPHRASE: PASS },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined)
        resolve({ child, url: line.trim(), stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
  });
}

async function token(url: string, code: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': code }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('two `skillpass issuer serve` processes on one issuer store', () => {
  it('never honour a pre-authorized code or a nonce twice, and stop cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const path = join(dir, 'issuer.db');
    const issuer = await initIssuer({ path, passphrase: PASS, didKey: true, name: 'Centre', ...TEST_KDF });
    issuer.close();
    const db = openSqlite(path);
    const offers = new OfferStore(db);
    try {
      const [a, b] = await Promise.all([serve(dir), serve(dir)]);

      // Ten codes, each raced at both processes at once: exactly one token per code.
      const codes = Array.from({ length: 10 }, () => {
        const { record } = createCredentialOffer({
          offers,
          publicUrl: PUBLIC_URL,
          assessment: CNC_ASSESSMENTS[0]!,
          format: 'vc+jwt',
        });
        const grants = offerObject(record).grants as Record<string, Record<string, string>>;
        return grants[GRANT]!['pre-authorized_code']!;
      });
      const raced = await Promise.all(
        codes.map((code) => Promise.all([token(a.url, code), token(b.url, code)])),
      );
      const tokens: string[] = [];
      for (const pair of raced) {
        const statuses = pair.map((r) => r.status).sort();
        expect(statuses).toEqual([200, 400]);
        expect(pair.find((r) => r.status === 400)!.body.error).toBe('invalid_grant');
        tokens.push(pair.find((r) => r.status === 200)!.body.access_token as string);
      }

      // One nonce from A, spent at A and B at once with two different tokens: one credential.
      const nonceResponse = await fetch(`${a.url}/nonce`, { method: 'POST' });
      const { c_nonce: nonce } = (await nonceResponse.json()) as { c_nonce: string };
      const key = rawKey();
      const request = (url: string, accessToken: string) =>
        fetch(`${url}/credential`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
          body: JSON.stringify({
            credential_configuration_id: 'skill_vc_jwt',
            proofs: { jwt: [proofJwt(key, { aud: PUBLIC_URL, nonce })] },
          }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
      const both = await Promise.all([request(a.url, tokens[0]!), request(b.url, tokens[1]!)]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(both.find((r) => r.status === 400)!.body.error).toBe('invalid_nonce');

      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      expect(await a.exited).toBe(0);
      expect(await b.exited).toBe(0);
      expect(a.stderr()).toContain('stopped (SIGTERM)');
    } finally {
      db.close();
    }
    expect(await registerSize(path)).toBe(1);
  }, 600_000);
});

/** How many credentials the register holds (opened afresh, after both processes stopped). */
async function registerSize(path: string): Promise<number> {
  const issuer = await openIssuer({ path, passphrase: PASS });
  try {
    return (await issuer.listIssued()).length;
  } finally {
    issuer.close();
  }
}
