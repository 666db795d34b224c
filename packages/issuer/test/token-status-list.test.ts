import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { decodeTokenStatusList, getTokenStatus, parseCompactJws } from '@skillpass/core';
import { createStatusChecker, createVerifier } from '@skillpass/verifier';
import { afterEach, describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createStatusHandler, initIssuer, openIssuer } from '../src/index.js';
import { TEST_KDF, tempDir } from './helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A did:web issuer whose DID document and lists createStatusHandler serves on 127.0.0.1. */
async function servedIssuer() {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  const port = (server.address() as AddressInfo).port;
  const path = `${tempDir()}/issuer.db`;
  const issuer = await initIssuer({
    path,
    passphrase: 'pw',
    didWeb: `localhost:${port}`,
    statusBaseUrl: `http://localhost:${port}/status`,
    name: 'Served Centre',
    statusTtlMs: 60_000,
    ...TEST_KDF,
  });
  server.on('request', createStatusHandler(issuer));
  return { issuer, path, base: `http://127.0.0.1:${port}`, server };
}

/** The status value at `idx` in the token served at `url`. */
async function servedStatus(url: string, idx: number): Promise<number> {
  const res = await fetch(url.replace('localhost', '127.0.0.1'));
  expect(res.headers.get('content-type')).toBe('application/statuslist+jwt');
  const parsed = parseCompactJws(await res.text(), { maxBytes: 1 << 20, typ: ['statuslist+jwt'] });
  if (!parsed.ok) throw new Error(parsed.problem.code);
  const list = decodeTokenStatusList(parsed.jws.payload.status_list);
  if (!list.ok) throw new Error(list.problem.code);
  return getTokenStatus(list.bytes, list.bits, idx);
}

describe('Token Status List of a did:web issuer (createStatusHandler)', () => {
  it('dc+sd-jwt: status_list served and kept in step with revoke/suspend; a did:web verifier checks it', async () => {
    const { issuer, base } = await servedIssuer();
    const worker = makeIdentity();
    const { token, record } = await issuer.issue(CNC_ASSESSMENTS[0]!, {
      subject: worker.did,
      format: 'dc+sd-jwt',
      suspendable: true,
    });
    const ref = record.tokenStatus!;
    expect(ref.listUrl).toBe(`${base.replace('127.0.0.1', 'localhost')}/status/token/1`);
    const verifier = () =>
      createVerifier({
        resolverOptions: { allowHttpLocalhost: true },
        status: createStatusChecker({ allowHttpLocalhost: true }),
      });
    expect((await verifier().verifyCredential(token)).verified).toBe(true);
    expect(await servedStatus(ref.listUrl, ref.index)).toBe(0);

    const etag = (await fetch(`${base}/status/token/1`)).headers.get('etag')!;
    await issuer.suspend(record.id);
    expect(await servedStatus(ref.listUrl, ref.index)).toBe(2);
    const changed = await fetch(`${base}/status/token/1`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    const suspended = await verifier().verifyCredential(token);
    expect(suspended.verified).toBe(false);
    expect(suspended.credentials[0]!.problems.map((p) => p.code)).toEqual(['ERR_SUSPENDED', 'ERR_SUSPENDED']);

    await issuer.revoke(record.id, { reason: 'fraud' });
    expect(await servedStatus(ref.listUrl, ref.index)).toBe(1);
    const revoked = await verifier().verifyCredential(token);
    expect(revoked.credentials[0]!.problems.map((p) => p.code)).toContain('ERR_REVOKED');
    expect((await issuer.getIssued(record.id))?.tokenStatus).toEqual(ref);
  });

  it('publishStatusLists writes token/<n>; a restarted issuer signs the same list content', async () => {
    const { issuer, path } = await servedIssuer();
    const { record } = await issuer.issue(CNC_ASSESSMENTS[0]!, {
      subject: makeIdentity().did,
      format: 'dc+sd-jwt',
    });
    await issuer.revoke(record.id);
    const out = tempDir();
    const written = await issuer.publishStatusLists(out);
    expect(written.map((f) => f.slice(out.length + 1)).sort()).toEqual(['1', join('token', '1')]);
    expect(readdirSync(join(out, 'token'))).toEqual(['1']);
    const published = readFileSync(join(out, 'token', '1'), 'utf8');
    const before = await issuer.signedTokenStatusList(1);
    expect(published).toBe(before!.token);
    issuer.close();
    const reopened = await openIssuer({ path, passphrase: 'pw' });
    const after = await reopened.signedTokenStatusList(1);
    expect(after!.etag).toBe(before!.etag);
    const parsed = parseCompactJws(after!.token, { maxBytes: 1 << 20, typ: ['statuslist+jwt'] });
    expect(parsed.ok && parsed.jws.payload).toMatchObject({ sub: before!.url, ttl: 60 });
    expect(await reopened.signedTokenStatusList(2)).toBeUndefined();
    reopened.close();
  });

  it('an issuer without status lists gives dc+sd-jwt no status claim and serves no token list', async () => {
    const issuer = await initIssuer({
      path: `${tempDir()}/plain.db`,
      passphrase: 'pw',
      didKey: true,
      name: 'No Lists',
      ...TEST_KDF,
    });
    const { claims, record } = await issuer.issue(CNC_ASSESSMENTS[0]!, {
      subject: makeIdentity().did,
      format: 'dc+sd-jwt',
    });
    expect(claims.status).toBeUndefined();
    expect(record.tokenStatus).toBeUndefined();
    expect(await issuer.signedTokenStatusLists()).toEqual([]);
    issuer.close();
  });
});
