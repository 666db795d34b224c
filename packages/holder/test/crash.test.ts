import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '@skillpass/store';
import { createVerifier } from '@skillpass/verifier';
import { describe, expect, it } from 'vitest';
import { runAndKill } from '../../../test-support/kill-child.js';
import { createWallet, openWallet } from '../src/index.js';
import { TEST_KDF, tempDir, vcFor } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/add-loop.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('./fixtures/tsconfig.json', import.meta.url));
const ROUNDS = 21;
const PASS = 'crash passphrase';

describe('crash during add', () => {
  it(`after ${ROUNDS} SIGKILLs at random moments the wallet opens and holds every credential it confirmed`, async () => {
    const dir = tempDir();
    const path = join(dir, 'wallet.skillpass');
    const setup = await createWallet({ path, passphrase: PASS, ...TEST_KDF });
    const did = setup.did;
    setup.close();
    const tokens: string[] = [];
    for (let i = 0; i < 1500; i++) tokens.push(await vcFor(did));
    const tokensFile = join(dir, 'tokens.json');
    writeFileSync(tokensFile, JSON.stringify(tokens));

    const confirmed = new Set<string>();
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { confirmed: ids, killed } = await runAndKill({
        script: CHILD,
        args: [path, PASS, tokensFile, String(confirmed.size)],
        tsconfig: TSCONFIG,
        prefix: 'ADDED ',
        delayMs: Math.floor(Math.random() * 100),
      });
      if (killed) kills++;
      for (const id of ids) confirmed.add(id);
      const wallet = await openWallet({ path, passphrase: PASS });
      const held = new Set(wallet.list().map((e) => e.id));
      wallet.close();
      const lost = [...confirmed].filter((id) => !held.has(id));
      expect({ round, lost }).toEqual({ round, lost: [] });
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(confirmed.size).toBeGreaterThanOrEqual(ROUNDS);

    const db = openSqlite(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const wallet = await openWallet({ path, passphrase: PASS });
    const passport = await wallet.createPassport({
      audience: 'https://a.example',
      challenge: 'c',
      only: [...confirmed].slice(-5),
    });
    wallet.close();
    const report = await createVerifier().verifyPassport(passport, {
      audience: 'https://a.example',
      challenge: 'c',
    });
    expect(report.verified).toBe(true);
  }, 900_000);
});
