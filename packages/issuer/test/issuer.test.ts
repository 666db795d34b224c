import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeStatusList,
  getStatusBit,
  isSkillpassError,
  MIN_STATUS_LIST_ENTRIES,
  parseCompactJws,
  publicJwkOf,
  validateSchema,
} from '@skillpass/core';
import { openSqlite } from '@skillpass/store';
import { createStatusChecker, createVerifier } from '@skillpass/verifier';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { type Issuer, initIssuer, openIssuer } from '../src/index.js';
import { issuerFetch, STATUS_BASE, TEST_KDF, tempDir } from './helpers.js';

async function newIssuer(
  extra: Partial<Parameters<typeof initIssuer>[0]> = {},
): Promise<{ issuer: Issuer; path: string }> {
  const path = `${tempDir()}/issuer.db`;
  const issuer = await initIssuer({
    path,
    passphrase: 'issuer passphrase',
    didKey: true,
    name: 'Metal Assessment Centre Eindhoven',
    statusBaseUrl: STATUS_BASE,
    ...TEST_KDF,
    ...extra,
  });
  return { issuer, path };
}

function verifierFor(issuer: Issuer) {
  const fetch = issuerFetch(issuer);
  return { fetch, verifier: createVerifier({ status: createStatusChecker({ fetch, maxTtlMs: 0 }) }) };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return isSkillpassError(err) ? err.code : `not a SkillpassError: ${String(err)}`;
  }
  return undefined;
}

const worker = makeIdentity();
const assessment = CNC_ASSESSMENTS[0]!;

/** The issuer-signed payload of an SD-JWT (what every verifier sees, before any disclosure). */
function sdJwtPayload(token: string): Record<string, unknown> {
  const jwt = token.split('~')[0]!;
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}

describe('Issuer (store-backed)', () => {
  it('issues with ONE revocation entry by default: valid against our schema (OB 3.0: conformance/)', async () => {
    const { issuer } = await newIssuer();
    const { credential, record, token } = await issuer.issue(assessment, { subject: worker.did });
    const status = credential.credentialStatus;
    expect(Array.isArray(status)).toBe(false);
    expect(status).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListCredential: `${STATUS_BASE}/1`,
    });
    const entry = status as { statusListIndex: string; id: string };
    expect(entry.statusListIndex).toMatch(/^(0|[1-9][0-9]*)$/);
    expect(Number(entry.statusListIndex)).toBeLessThan(MIN_STATUS_LIST_ENTRIES);
    expect(entry.id).toBe(`${STATUS_BASE}/1#${entry.statusListIndex}`);
    expect(validateSchema('skill-credential', credential)).toEqual([]);
    expect(record).toMatchObject({
      subject: worker.did,
      skillUri: assessment.skill.uri,
      level: 3,
      revokedAt: null,
    });
    expect(record.status).toEqual([
      { purpose: 'revocation', listId: 1, listUrl: `${STATUS_BASE}/1`, index: Number(entry.statusListIndex) },
    ]);
    const report = await verifierFor(issuer).verifier.verifyCredential(token);
    expect(report.verified, JSON.stringify(report.problems)).toBe(true);
    expect(report.credentials[0]!.checks.find((c) => c.name === 'status')).toMatchObject({ ok: true });
    issuer.close();
  });

  it('suspendable: two entries (revocation + suspension), VC 2.0-valid', async () => {
    const { issuer } = await newIssuer();
    const { credential } = await issuer.issue(assessment, { subject: worker.did, suspendable: true });
    const status = credential.credentialStatus as { statusPurpose: string; statusListCredential: string }[];
    expect(status.map((s) => s.statusPurpose)).toEqual(['revocation', 'suspension']);
    expect(status[0]!.statusListCredential).not.toBe(status[1]!.statusListCredential);
    expect(validateSchema('skill-credential', credential)).toEqual([]);
    issuer.close();
  });

  it('revoke → ERR_REVOKED; suspend → ERR_SUSPENDED; unsuspend → verifies again', async () => {
    const { issuer } = await newIssuer();
    const revocable = await issuer.issue(assessment, { subject: worker.did });
    const suspendable = await issuer.issue(CNC_ASSESSMENTS[1]!, { subject: worker.did, suspendable: true });
    const { verifier } = verifierFor(issuer);
    const codes = async (token: string) =>
      (await verifier.verifyCredential(token)).problems.map((p) => p.code);

    expect(await codes(revocable.token)).toEqual([]);
    const revoked = await issuer.revoke(revocable.id, { reason: 'assessor misconduct', actor: 'registrar' });
    expect(revoked.changed).toBe(true);
    expect(await codes(revocable.token)).toEqual(['ERR_REVOKED']);
    expect((await issuer.revoke(revocable.id)).changed).toBe(false);

    expect(await codes(suspendable.token)).toEqual([]);
    await issuer.suspend(suspendable.id, { reason: 'under investigation' });
    expect(await codes(suspendable.token)).toEqual(['ERR_SUSPENDED']);
    await issuer.unsuspend(suspendable.id);
    expect(await codes(suspendable.token)).toEqual([]);

    const log = await issuer.auditLog();
    expect(log.map((l) => [l.action, l.credentialId, l.reason])).toEqual([
      ['revoke', revocable.id, 'assessor misconduct'],
      ['suspend', suspendable.id, 'under investigation'],
      ['unsuspend', suspendable.id, null],
    ]);
    expect(log[0]!.actor).toBe('registrar');
    issuer.close();
  });

  it('refuses to suspend a credential issued without a suspension entry, and anything but revoke after revocation', async () => {
    const { issuer } = await newIssuer();
    const plain = await issuer.issue(assessment, { subject: worker.did });
    expect(await codeOf(issuer.suspend(plain.id))).toBe('ERR_UNSUPPORTED');
    const both = await issuer.issue(assessment, { subject: worker.did, suspendable: true });
    await issuer.revoke(both.id);
    expect(await codeOf(issuer.suspend(both.id))).toBe('ERR_UNSUPPORTED');
    expect(await codeOf(issuer.revoke('urn:uuid:00000000-0000-4000-8000-000000000000'))).toBe(
      'ERR_NOT_FOUND',
    );
    expect(await issuer.auditLog()).toHaveLength(1);
    issuer.close();
  });

  it('finds a credential by its jti / bare uuid too', async () => {
    const { issuer } = await newIssuer();
    const { id, token } = await issuer.issue(assessment, { subject: worker.did });
    const parsed = parseCompactJws(token, { maxBytes: 65536, typ: ['vc+jwt'] });
    if (!parsed.ok) throw new Error('unparseable');
    expect(parsed.jws.payload.jti).toBe(id);
    expect((await issuer.getIssued(id.replace('urn:uuid:', '')))?.id).toBe(id);
    issuer.close();
  });

  it('keeps the register, keys and lists across a reopen; a wrong passphrase is ERR_STORE_LOCKED', async () => {
    const { issuer, path } = await newIssuer();
    const first = await issuer.issue(assessment, { subject: worker.did });
    await issuer.revoke(first.id, { reason: 'test' });
    const did = issuer.did;
    issuer.close();

    expect(await codeOf(openIssuer({ path, passphrase: 'wrong' }))).toBe('ERR_STORE_LOCKED');
    expect(await codeOf(openIssuer({ path: `${path}.missing`, passphrase: 'x' }))).toBe('ERR_NOT_FOUND');
    const again = await openIssuer({ path, passphrase: 'issuer passphrase' });
    expect(again.did).toBe(did);
    const second = await again.issue(CNC_ASSESSMENTS[1]!, { subject: worker.did });
    const issued = await again.listIssued();
    expect(issued.map((r) => r.id)).toEqual([first.id, second.id]);
    expect(issued[0]!.revokedAt).not.toBeNull();
    const { verifier } = verifierFor(again);
    expect((await verifier.verifyCredential(first.token)).problems.map((p) => p.code)).toEqual([
      'ERR_REVOKED',
    ]);
    expect((await verifier.verifyCredential(second.token)).verified).toBe(true);
    expect(
      await codeOf(
        initIssuer({ path, passphrase: 'x', didKey: true, name: 'n', statusBaseUrl: STATUS_BASE }),
      ),
    ).toBe('ERR_ALREADY_EXISTS');
    again.close();
  });

  it('draws status indexes at random and never twice', async () => {
    const { issuer, path } = await newIssuer();
    const indexes: number[] = [];
    for (let i = 0; i < 60; i++) {
      const { record } = await issuer.issue(assessment, { subject: worker.did, suspendable: i % 3 === 0 });
      indexes.push(...record.status.filter((s) => s.purpose === 'revocation').map((s) => s.index));
    }
    issuer.close();
    expect(new Set(indexes).size).toBe(indexes.length);
    // Sequential allocation would give 0..59; random ones spread over the whole list.
    expect(Math.max(...indexes)).toBeGreaterThan(60);
    const sorted = [...indexes].sort((a, b) => a - b);
    expect(sorted).not.toEqual(indexes);
    const db = openSqlite(path);
    expect(db.prepare('SELECT count(*) AS n FROM status_entries').get()).toEqual({ n: 80 });
    db.close();
  });

  it('issueBatch is all or nothing: an invalid assessment or a reused id registers nothing', async () => {
    const { issuer } = await newIssuer();
    const batch = await issuer.issueBatch(
      CNC_ASSESSMENTS.map((a) => ({ assessment: a, subject: worker.did })),
    );
    expect(batch.map((b) => b.record.skillName)).toEqual(CNC_ASSESSMENTS.map((a) => a.skill.name));
    const invalid = { ...assessment, level: 9 };
    expect(
      await codeOf(
        issuer.issueBatch([
          { assessment, subject: worker.did },
          { assessment: invalid, subject: worker.did },
        ]),
      ),
    ).toBe('ERR_SCHEMA_INVALID');
    expect(await codeOf(issuer.issue(assessment, { subject: worker.did, id: batch[0]!.id }))).toBe(
      'ERR_ALREADY_EXISTS',
    );
    expect((await issuer.listIssued()).map((r) => r.id)).toEqual(batch.map((b) => b.id));
    const lists = await issuer.store.listStatusLists();
    expect(lists.map((l) => l.allocated)).toEqual([2]);
    issuer.close();
  });

  it('rejects bad init options up front and leaves no file behind', async () => {
    const dir = tempDir();
    const base = { path: `${dir}/x.db`, passphrase: 'pw', name: 'Centre', ...TEST_KDF };
    expect(await codeOf(initIssuer({ ...base }))).toBe('ERR_INVALID_OPTIONS');
    expect(await codeOf(initIssuer({ ...base, didKey: true, statusBaseUrl: '' }))).toBe(
      'ERR_INVALID_OPTIONS',
    );
    expect(
      await codeOf(initIssuer({ ...base, didKey: true, didWeb: 'a.example', statusBaseUrl: STATUS_BASE })),
    ).toBe('ERR_INVALID_OPTIONS');
    expect(await codeOf(initIssuer({ ...base, didWeb: 'not a host' }))).toBe('ERR_INVALID_OPTIONS');
    expect(
      await codeOf(initIssuer({ ...base, didKey: true, statusBaseUrl: STATUS_BASE, listSize: 1000 })),
    ).toBe('ERR_INVALID_OPTIONS');
    expect(() => readFileSync(base.path)).toThrow();
  });

  it('refuses a plain-http status base URL except on a local host (verifiers would never fetch it)', async () => {
    const dir = tempDir();
    const base = { passphrase: 'pw', name: 'Centre', didKey: true, ...TEST_KDF };
    for (const statusBaseUrl of [
      'http://centre.example/status',
      'http://10.0.0.5/status',
      'ftp://x/status',
    ]) {
      expect(await codeOf(initIssuer({ ...base, path: `${dir}/refused.db`, statusBaseUrl }))).toBe(
        'ERR_INVALID_OPTIONS',
      );
    }
    expect(() => readFileSync(`${dir}/refused.db`)).toThrow();
    for (const [i, statusBaseUrl] of [
      'http://localhost:8080/status',
      'http://127.0.0.1:8080/status',
      'https://centre.example/status',
    ].entries()) {
      const issuer = await initIssuer({ ...base, path: `${dir}/ok-${i}.db`, statusBaseUrl });
      expect(issuer.profile.statusBaseUrl).toBe(statusBaseUrl);
      issuer.close();
    }
  });

  it('creates the issuer file (register, audit log, keys) readable by its owner only', async () => {
    const { issuer, path } = await newIssuer();
    await issuer.issue(assessment, { subject: worker.did });
    for (const file of [path, `${path}-wal`]) {
      if (existsSync(file)) expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    }
    expect(existsSync(path)).toBe(true);
    issuer.close();
  });

  it('did:web with P-256: the DID document verifies its ES256 credentials; publishStatusLists writes signed lists', async () => {
    const { issuer } = await newIssuer({
      didKey: undefined,
      didWeb: 'centre.example',
      keyType: 'P-256',
      statusBaseUrl: undefined,
    });
    expect(issuer.did).toBe('did:web:centre.example');
    expect(issuer.profile.statusBaseUrl).toBe('https://centre.example/status');
    const doc = issuer.didDocument();
    const { token, id } = await issuer.issue(assessment, { subject: worker.did, suspendable: true });
    await issuer.revoke(id);
    const out = tempDir();
    const files = await issuer.publishStatusLists(out);
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['1', '2']);
    // Published again over the old files: replaced in place, no temporary file left behind.
    await issuer.publishStatusLists(out);
    expect(readdirSync(out).sort()).toEqual(['1', '2']);
    const lists = files.map((f) => readFileSync(f, 'utf8'));
    const verifier = createVerifier({
      resolverOptions: { documents: [doc] },
      status: createStatusChecker({ fetch: false, lists }),
    });
    const report = await verifier.verifyCredential(token);
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_REVOKED']);
    expect(report.credentials[0]!.checks.find((c) => c.name === 'signature')).toMatchObject({ ok: true });
    const parsed = parseCompactJws(lists[0]!, { maxBytes: 1 << 20, typ: ['vc+jwt'] });
    if (!parsed.ok) throw new Error('unparseable list');
    expect(parsed.jws.header.alg).toBe('ES256');
    const subject = parsed.jws.payload.credentialSubject as {
      encodedList: string;
      ttl: number;
      statusPurpose: string;
    };
    expect(subject.statusPurpose).toBe('revocation');
    expect(subject.ttl).toBe(300_000);
    const decoded = decodeStatusList(subject.encodedList);
    if (!decoded.ok) throw new Error(decoded.problem.message);
    const index = (await issuer.getIssued(id))!.status[0]!.index;
    expect(getStatusBit(decoded.bits, index)).toBe(true);
    issuer.close();
  });

  it('issues the VC 1.1 format through Veramo with the same status entry', async () => {
    const { issuer } = await newIssuer();
    const { token, format, id } = await issuer.issue(assessment, {
      subject: worker.did,
      format: 'jwt-vc-1.1',
    });
    expect(format).toBe('jwt-vc-1.1');
    const { verifier } = verifierFor(issuer);
    expect((await verifier.verifyCredential(token)).verified).toBe(true);
    await issuer.revoke(id);
    expect((await verifier.verifyCredential(token)).problems.map((p) => p.code)).toEqual(['ERR_REVOKED']);
    issuer.close();
  });
});

describe('Issuer (store-backed): SD-JWT VC', () => {
  it('issues dc+sd-jwt with a status entry and a register row; revoke → ERR_REVOKED through the status seam', async () => {
    const { issuer } = await newIssuer();
    const now = new Date('2026-11-01T10:00:00Z');
    const issued = await issuer.issue(assessment, { subject: worker.did, format: 'dc+sd-jwt', now });
    expect(issued.format).toBe('dc+sd-jwt');
    expect(issued.token.endsWith('~')).toBe(true);
    const { record } = issued;
    expect(record).toMatchObject({
      id: issued.id,
      subject: worker.did,
      skillUri: assessment.skill.uri,
      skillName: assessment.skill.name,
      level: 3,
      format: 'dc+sd-jwt',
      validFrom: '2026-11-01T10:00:00Z',
      validUntil: null,
      revokedAt: null,
      suspended: false,
    });
    expect(record.status).toHaveLength(1);
    const [allocation] = record.status;
    const payload = sdJwtPayload(issued.token);
    expect(payload.jti).toBe(issued.id);
    expect(payload.status).toEqual({
      status_list: { idx: record.tokenStatus!.index, uri: `${STATUS_BASE}/token/1` },
      bitstring_status_list: {
        id: `${STATUS_BASE}/1#${allocation!.index}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(allocation!.index),
        statusListCredential: `${STATUS_BASE}/1`,
      },
    });
    // The assessment details are hidden behind digests in what the issuer signed.
    expect(JSON.stringify(payload)).not.toContain('J. de Vries');
    expect(await issuer.getIssued(issued.id)).toEqual(record);

    const { verifier, fetch } = verifierFor(issuer);
    const before = await verifier.verifyCredential(issued.token);
    expect(before.verified, JSON.stringify(before.problems)).toBe(true);
    expect(before.credentials[0]).toMatchObject({ format: 'dc+sd-jwt', id: issued.id });
    expect(before.credentials[0]!.checks.find((c) => c.name === 'status')).toMatchObject({ ok: true });
    expect(fetch.calls.sort()).toEqual([`${STATUS_BASE}/1`, `${STATUS_BASE}/token/1`]);

    await issuer.revoke(issued.id, { reason: 'assessor misconduct' });
    const after = await verifier.verifyCredential(issued.token);
    // Both mechanisms say so: the Token Status List (0x01) and the Bitstring revocation bit.
    expect(after.problems.map((p) => p.code)).toEqual(['ERR_REVOKED', 'ERR_REVOKED']);
    expect(after.credentials[0]!.checks.find((c) => c.name === 'status')).toMatchObject({
      ok: false,
      code: 'ERR_REVOKED',
    });
    expect((await issuer.getIssued(issued.id))!.revokedAt).not.toBeNull();
    issuer.close();
  });

  it('suspendable SD-JWT: two entries; suspend → ERR_SUSPENDED; unsuspend → verifies again', async () => {
    const { issuer } = await newIssuer();
    const issued = await issuer.issue(assessment, {
      subject: worker.did,
      format: 'dc+sd-jwt',
      suspendable: true,
    });
    const entries = (
      sdJwtPayload(issued.token).status as { bitstring_status_list: { statusPurpose: string }[] }
    ).bitstring_status_list;
    expect(entries.map((e) => e.statusPurpose)).toEqual(['revocation', 'suspension']);
    expect(issued.record.status.map((s) => s.purpose)).toEqual(['revocation', 'suspension']);
    const { verifier } = verifierFor(issuer);
    const codes = async () => (await verifier.verifyCredential(issued.token)).problems.map((p) => p.code);
    expect(await codes()).toEqual([]);
    await issuer.suspend(issued.id);
    expect(await codes()).toEqual(['ERR_SUSPENDED', 'ERR_SUSPENDED']);
    await issuer.unsuspend(issued.id);
    expect(await codes()).toEqual([]);
    issuer.close();
  });

  it('passes disclosable and holderPublicJwk through: a did:web worker, only the score hidden', async () => {
    const { issuer } = await newIssuer();
    const holderKey = generateKeyPairSync('ed25519').publicKey;
    const issued = await issuer.issue(assessment, {
      subject: 'did:web:worker.example',
      format: 'dc+sd-jwt',
      holderPublicJwk: publicJwkOf(holderKey),
      disclosable: ['score'],
    });
    const payload = sdJwtPayload(issued.token);
    expect(payload.cnf).toEqual({ jwk: publicJwkOf(holderKey) });
    const signed = JSON.stringify(payload);
    expect(signed).toContain('J. de Vries');
    expect(signed).not.toContain('"score"');
    expect(issued.record.subject).toBe('did:web:worker.example');
    issuer.close();
  });

  it('refuses bad SD-JWT options with ERR_INVALID_OPTIONS and registers nothing, allocates nothing', async () => {
    const { issuer } = await newIssuer();
    const first = await issuer.issue(assessment, { subject: worker.did });
    const refused = [
      // SD-JWT-only options are not silently dropped for the JWT formats.
      issuer.issue(assessment, {
        subject: worker.did,
        disclosable: ['score'],
      } as unknown as Parameters<Issuer['issue']>[1]),
      issuer.issue(assessment, {
        subject: worker.did,
        format: 'dc+sd-jwt',
        disclosable: ['name' as 'score'],
      }),
      // No cnf key can be derived from a did:web subject.
      issuer.issue(assessment, { subject: 'did:web:worker.example', format: 'dc+sd-jwt' }),
      issuer.issue(assessment, {
        subject: worker.did,
        format: 'dc+sd-jwt+x' as 'dc+sd-jwt',
      }),
    ];
    for (const attempt of refused) expect(await codeOf(attempt)).toBe('ERR_INVALID_OPTIONS');
    expect((await issuer.listIssued()).map((r) => r.id)).toEqual([first.id]);
    expect((await issuer.store.listStatusLists()).map((l) => l.allocated)).toEqual([1]);
    issuer.close();
  });

  it('registers nothing and spends no status index for a credential that could never be valid (both formats)', async () => {
    const { issuer } = await newIssuer();
    const now = new Date('2026-11-01T12:00:00Z');
    const expired = { ...assessment, validFrom: '2026-11-01T00:00:00Z', validUntil: '2026-10-01T00:00:00Z' };
    const future = { ...assessment, evidence: [{ method: 'simulation' as const, assessedOn: '2026-12-24' }] };
    for (const format of ['vc+jwt', 'dc+sd-jwt'] as const) {
      for (const bad of [expired, future]) {
        expect(await codeOf(issuer.issue(bad, { subject: worker.did, format, now }))).toBe(
          'ERR_SCHEMA_INVALID',
        );
      }
    }
    expect(await issuer.listIssued()).toEqual([]);
    expect((await issuer.store.listStatusLists()).map((l) => l.allocated)).toEqual([]);
    issuer.close();
  });

  it('issueBatch mixes vc+jwt and dc+sd-jwt in one transaction, all or nothing', async () => {
    const { issuer } = await newIssuer();
    const batch = await issuer.issueBatch([
      { assessment, subject: worker.did },
      { assessment: CNC_ASSESSMENTS[1]!, subject: worker.did, format: 'dc+sd-jwt' },
    ]);
    expect(batch.map((b) => [b.format, b.record.format])).toEqual([
      ['vc+jwt', 'vc+jwt'],
      ['dc+sd-jwt', 'dc+sd-jwt'],
    ]);
    const { verifier } = verifierFor(issuer);
    for (const b of batch) expect((await verifier.verifyCredential(b.token)).verified).toBe(true);
    expect(
      await codeOf(
        issuer.issueBatch([
          { assessment, subject: worker.did, format: 'dc+sd-jwt' },
          { assessment: { ...assessment, level: 9 }, subject: worker.did, format: 'dc+sd-jwt' },
        ]),
      ),
    ).toBe('ERR_SCHEMA_INVALID');
    expect((await issuer.listIssued()).map((r) => r.id)).toEqual(batch.map((b) => b.id));
    issuer.close();
  });
});

describe('Issuer without status lists (did:key, no statusBaseUrl)', () => {
  const noStatus = { statusBaseUrl: undefined } as const;

  it('issues every format without credentialStatus, registered, verifying with the status check skipped', async () => {
    const { issuer } = await newIssuer(noStatus);
    expect(issuer.profile.statusBaseUrl).toBeUndefined();
    const { verifier, fetch } = verifierFor(issuer);
    const ids: string[] = [];
    for (const format of ['vc+jwt', 'jwt-vc-1.1', 'dc+sd-jwt'] as const) {
      const issued = await issuer.issue(assessment, { subject: worker.did, format });
      ids.push(issued.id);
      expect(issued.record.status).toEqual([]);
      // What the issuer signed, in every format (sdJwtPayload reads any JWT's payload).
      expect(JSON.stringify(sdJwtPayload(issued.token))).not.toMatch(/credentialStatus|"status"/);
      const report = await verifier.verifyCredential(issued.token);
      expect(report.verified, JSON.stringify(report.problems)).toBe(true);
      expect(report.credentials[0]!.checks.find((c) => c.name === 'status')).toMatchObject({ skipped: true });
    }
    expect(fetch.calls).toEqual([]);
    expect((await issuer.listIssued()).map((r) => r.id)).toEqual(ids);
    expect(await issuer.store.listStatusLists()).toEqual([]);
    issuer.close();
  });

  it('refuses revoke, suspend, unsuspend and suspendable with ERR_UNSUPPORTED; publishes nothing', async () => {
    const { issuer, path } = await newIssuer(noStatus);
    const { id } = await issuer.issue(assessment, { subject: worker.did });
    for (const action of ['revoke', 'suspend', 'unsuspend'] as const) {
      expect(await codeOf(issuer[action](id))).toBe('ERR_UNSUPPORTED');
    }
    expect(await codeOf(issuer.issue(assessment, { subject: worker.did, suspendable: true }))).toBe(
      'ERR_UNSUPPORTED',
    );
    // The store keeps the same contract for callers that bypass Issuer.issue: nothing signed, nothing registered.
    let signed = false;
    const direct = issuer.store.issue(
      [{ credentialId: 'urn:uuid:direct', purposes: ['revocation'] }],
      async () => {
        signed = true;
        throw new Error('unreachable');
      },
    );
    expect(await codeOf(direct)).toBe('ERR_UNSUPPORTED');
    expect(signed).toBe(false);
    expect(await issuer.auditLog()).toEqual([]);
    expect((await issuer.listIssued()).map((r) => [r.id, r.revokedAt])).toEqual([[id, null]]);
    const out = join(tempDir(), 'status');
    expect(await issuer.publishStatusLists(out)).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect(await issuer.signedStatusLists()).toEqual([]);
    issuer.close();

    // Stored as such: a reopened issuer still has no status lists.
    const reopened = await openIssuer({ path, passphrase: 'issuer passphrase' });
    expect(reopened.profile.statusBaseUrl).toBeUndefined();
    expect(await codeOf(reopened.revoke(id))).toBe('ERR_UNSUPPORTED');
    reopened.close();
  });
});
