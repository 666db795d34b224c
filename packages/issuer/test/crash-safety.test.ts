import { fileURLToPath } from 'node:url';
import { openSqlite } from '@skillpass/store';
import { describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';
import { runAndKill } from '../../../test-support/kill-child.js';
import { initIssuer, openIssuer } from '../src/index.js';
import { STATUS_BASE, TEST_KDF, tempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/issue-loop.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('./fixtures/tsconfig.json', import.meta.url));
const ROUNDS = 24;

describe('crash safety', () => {
  it(`every credential reported before a SIGKILL is registered, no index is handed out twice, integrity ok (${ROUNDS} kills)`, async () => {
    const path = `${tempDir()}/crash.db`;
    const setup = await initIssuer({
      path,
      passphrase: 'crash passphrase',
      didKey: true,
      name: 'Crash Test Centre',
      statusBaseUrl: STATUS_BASE,
      ...TEST_KDF,
    });
    setup.close();
    const subject = makeIdentity().did;
    const reported = new Map<string, string>();
    for (let round = 0; round < ROUNDS; round++) {
      // Random moments: right away, mid-burst, or after a few hundred credentials.
      const { confirmed, killed } = await runAndKill({
        script: CHILD,
        args: [path, 'crash passphrase', subject],
        tsconfig: TSCONFIG,
        prefix: 'ISSUED ',
        delayMs: Math.floor(Math.random() * 250),
      });
      expect(killed).toBe(true);
      for (const line of confirmed) {
        const [id, status] = line.split(' ');
        reported.set(id!, status!);
      }
    }
    // At least the warm-up credential of every round, plus whatever the loop managed before the kill.
    expect(reported.size).toBeGreaterThanOrEqual(ROUNDS);
    // No index was handed out twice, across all rounds: as reported by the processes themselves.
    const handedOut = [...reported.values()].flatMap((status) => status.split(','));
    expect(new Set(handedOut).size).toBe(handedOut.length);

    const issuer = await openIssuer({ path, passphrase: 'crash passphrase' });
    const register = new Map((await issuer.listIssued()).map((r) => [r.id, r]));
    for (const [id, status] of reported) {
      const record = register.get(id);
      expect(record, `reported ${id} is missing from the register`).toBeDefined();
      expect(record!.status.map((s) => `${s.listId}:${s.index}`).join(',')).toBe(status);
    }
    // …and as registered (including credentials committed but killed before they were reported).
    const registered = [...register.values()].flatMap((r) => r.status.map((s) => `${s.listId}:${s.index}`));
    expect(new Set(registered).size).toBe(registered.length);
    issuer.close();

    const db = openSqlite(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Every allocated index belongs to a registered credential (uncommitted allocations rolled back)…
    expect(
      db
        .prepare(
          'SELECT count(*) AS n FROM status_entries e LEFT JOIN issued_credentials c ON c.id = e.credential_id WHERE c.id IS NULL',
        )
        .get(),
    ).toEqual({ n: 0 });
    // …and each list's counter matches its entries.
    const lists = db
      .prepare(
        'SELECT l.allocated AS a, (SELECT count(*) FROM status_entries e WHERE e.list_id = l.id) AS n FROM status_lists l',
      )
      .all() as { a: number; n: number }[];
    for (const l of lists) expect(l.a).toBe(l.n);
    db.close();
  }, 900_000);
});
