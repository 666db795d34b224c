import { join } from 'node:path';
import { migrate, openSqlite } from '@skillpass/store';
import { describe, expect, it } from 'vitest';
import { initVerifier, openVerifierStore, readPresentationResult, VERIFIER_DB_FILE } from '../src/index.js';
import { onCleanup, startVerifier, tempDir } from './helpers.js';

// The verifier store as version 1 wrote it (frozen: the request's documents inside its row).
const VERSION_1 = `
  CREATE TABLE verifier_identity (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    client_id TEXT NOT NULL,
    did TEXT,
    key_id TEXT NOT NULL,
    private_key_pem TEXT NOT NULL,
    certificate_pem TEXT,
    result_token TEXT NOT NULL,
    public_url TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE verifier_requests (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL UNIQUE,
    nonce TEXT NOT NULL,
    client_id TEXT NOT NULL,
    response_mode TEXT NOT NULL,
    request_object TEXT NOT NULL,
    dcql_query TEXT NOT NULL,
    vacancy TEXT NOT NULL,
    encryption_key_pem TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'verified', 'refused')),
    answered_at INTEGER,
    outcome TEXT
  );
`;

describe('a verifier store written by version 1', () => {
  it('is migrated: requests keep their state, outcome and documents (request object served)', async () => {
    // A real identity, copied into a version-1 file.
    const source = tempDir();
    initVerifier({ dir: source, didKey: true });
    const from = openSqlite(join(source, VERIFIER_DB_FILE), { kind: 'verifier', mustExist: true });
    const identity = from.prepare('SELECT * FROM verifier_identity').get() as Record<string, unknown>;
    from.close();

    const dir = tempDir();
    const db = openSqlite(join(dir, VERIFIER_DB_FILE), { kind: 'verifier' });
    migrate(db, 'skillpass-verifier-service', [(d) => d.exec(VERSION_1)]);
    db.prepare(
      `INSERT INTO verifier_identity VALUES (@only_row, @client_id, @did, @key_id, @private_key_pem,
        @certificate_pem, @result_token, @public_url, @created_at)`,
    ).run(identity);
    const now = Date.now();
    const insert = db.prepare(
      `INSERT INTO verifier_requests VALUES (?, ?, ?, ?, 'direct_post', ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
    );
    const outcome = JSON.stringify({ verification: null, match: null, error: { skillpass_code: 'ERR_X' } });
    insert.run(
      'open-1',
      's1',
      'n1',
      identity.client_id,
      'h.p.s1',
      '{"credentials":[]}',
      '{"v":1}',
      now,
      now + 600_000,
      'pending',
      null,
      null,
    );
    insert.run(
      'done-2',
      's2',
      'n2',
      identity.client_id,
      'h.p.s2',
      '{"credentials":[]}',
      '{"v":2}',
      now,
      now + 600_000,
      'refused',
      now,
      outcome,
    );
    db.close();

    const store = openVerifierStore(dir);
    onCleanup(() => store.close());
    const columns = (
      store.db.prepare('PRAGMA table_info(verifier_requests)').all() as { name: string }[]
    ).map((c) => c.name);
    expect(columns).not.toContain('request_object');
    expect(
      store.db.prepare('SELECT id, dcql_query, vacancy FROM verifier_request_documents ORDER BY id').all(),
    ).toEqual([
      { id: 'done-2', dcql_query: '{"credentials":[]}', vacancy: '{"v":2}' },
      { id: 'open-1', dcql_query: '{"credentials":[]}', vacancy: '{"v":1}' },
    ]);
    expect(readPresentationResult(store, 'done-2')).toMatchObject({
      status: 'refused',
      answeredAt: new Date(now).toISOString(),
      error: { skillpass_code: 'ERR_X' },
    });
    expect(readPresentationResult(store, 'open-1')).toMatchObject({ status: 'pending', answeredAt: null });
    store.close();

    // The migrated store serves: the open request's object, not the answered one's.
    const employer = await startVerifier({ dir });
    const open = await fetch(`${employer.url}/oid4vp/request/open-1`);
    expect(open.status).toBe(200);
    expect(await open.text()).toBe('h.p.s1');
    expect((await fetch(`${employer.url}/oid4vp/request/done-2`)).status).toBe(404);
    // Reopening does not migrate again.
    const again = openVerifierStore(dir);
    expect(
      again.db
        .prepare('SELECT version FROM store_migrations WHERE component = ?')
        .get('skillpass-verifier-service'),
    ).toEqual({ version: 2 });
    again.close();
  });
});
