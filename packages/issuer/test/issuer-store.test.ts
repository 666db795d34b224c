import { openSqlite } from '@skillpass/store';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { initIssuer, openIssuer, type RegisterInput } from '../src/index.js';
import { STATUS_BASE, TEST_KDF, tempDir } from './helpers.js';

const subject = makeIdentity().did;

function registerInput(id: string): RegisterInput {
  return {
    id,
    subject,
    skillUri: 'http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8',
    skillName: 'program a CNC controller',
    level: 3,
    format: 'vc+jwt',
    validFrom: '2026-11-01T00:00:00Z',
    validUntil: null,
    issuedAt: '2026-11-01T00:00:00.000Z',
  };
}

describe('SqliteIssuerStore', () => {
  it('reads never see the rows of an issue that is still signing and then rolls back', async () => {
    const issuer = await initIssuer({
      path: `${tempDir()}/issuer.db`,
      passphrase: 'pw',
      didKey: true,
      name: 'Centre',
      statusBaseUrl: STATUS_BASE,
      ...TEST_KDF,
    });
    const store = issuer.store;
    let reachedSecond!: () => void;
    const second = new Promise<void>((resolve) => {
      reachedSecond = resolve;
    });
    let failSigning!: () => void;
    const gate = new Promise<void>((resolve) => {
      failSigning = resolve;
    });
    // A batch of two: the first is registered (uncommitted), the second's signing hangs, then fails.
    const pending = store.issue(
      [
        { credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000001', purposes: ['revocation'] },
        { credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000002', purposes: ['revocation'] },
      ],
      async (_allocations, i) => {
        const id = `urn:uuid:00000000-0000-4000-8000-00000000000${i + 1}`;
        if (i === 1) {
          reachedSecond();
          await gate;
          throw new Error('the key manager is down');
        }
        return { record: registerInput(id), result: id };
      },
    );
    await second;
    const reads = Promise.all([
      store.listIssued(),
      store.getIssued('urn:uuid:00000000-0000-4000-8000-000000000001'),
      store.listStatusLists(),
      store.getStatusList(1),
      store.auditLog(),
      issuer.signedStatusList(1),
    ]);
    failSigning();
    await expect(pending).rejects.toThrow();
    const [issued, one, lists, list, audit, signed] = await reads;
    expect(issued).toEqual([]);
    expect(one).toBeUndefined();
    expect(lists).toEqual([]);
    expect(list).toBeUndefined();
    expect(audit).toEqual([]);
    expect(signed).toBeUndefined();
    issuer.close();
  });
});

/** 1 when the profile's status_base_url column is NOT NULL (issuer schema 1), else 0. */
function statusBaseUrlNotNull(db: ReturnType<typeof openSqlite>): number {
  const columns = db.prepare('PRAGMA table_info(issuer_profile)').all() as {
    name: string;
    notnull: number;
  }[];
  return columns.find((c) => c.name === 'status_base_url')!.notnull;
}

describe('SqliteIssuerStore migrations', () => {
  it('upgrades a file of issuer schema 1 (status_base_url NOT NULL): profile and register intact, revocation works', async () => {
    const path = `${tempDir()}/issuer.db`;
    const passphrase = 'pw';
    const created = await initIssuer({
      path,
      passphrase,
      didKey: true,
      name: 'Centre',
      statusBaseUrl: STATUS_BASE,
      ...TEST_KDF,
    });
    const before = await created.issue(CNC_ASSESSMENTS[0]!, { subject });
    const profile = created.profile;
    created.close();

    // Turn the file back into what version 1 wrote: the profile table as step 1 created it.
    const db = openSqlite(path);
    db.exec(`
      CREATE TABLE issuer_profile_v1 (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        did TEXT NOT NULL,
        name TEXT NOT NULL,
        url TEXT,
        status_base_url TEXT NOT NULL,
        key_type TEXT NOT NULL,
        list_size INTEGER NOT NULL,
        status_ttl_ms INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO issuer_profile_v1
        SELECT singleton, did, name, url, status_base_url, key_type, list_size, status_ttl_ms, created_at FROM issuer_profile;
      DROP TABLE issuer_profile;
      ALTER TABLE issuer_profile_v1 RENAME TO issuer_profile;
      UPDATE store_migrations SET version = 1 WHERE component = 'issuer';
    `);
    expect(statusBaseUrlNotNull(db)).toBe(1);
    db.close();

    const issuer = await openIssuer({ path, passphrase });
    expect(issuer.profile).toEqual(profile);
    const after = await issuer.issue(CNC_ASSESSMENTS[1]!, { subject });
    expect(after.record.status).toHaveLength(1);
    expect((await issuer.revoke(before.id)).changed).toBe(true);
    expect((await issuer.listIssued()).map((r) => [r.id, r.revokedAt !== null])).toEqual([
      [before.id, true],
      [after.id, false],
    ]);
    issuer.close();

    const check = openSqlite(path);
    const version = check
      .prepare("SELECT version FROM store_migrations WHERE component = 'issuer'")
      .get() as {
      version: number;
    };
    // Step 2 made status_base_url nullable; step 3 added the role (every earlier issuer is a centre).
    expect(version.version).toBe(3);
    expect(statusBaseUrlNotNull(check)).toBe(0);
    expect(check.prepare('SELECT role FROM issuer_profile').get()).toEqual({ role: 'centre' });
    check.close();
  });
});
