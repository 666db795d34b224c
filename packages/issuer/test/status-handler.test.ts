import { createServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import { type AddressInfo, Socket } from 'node:net';
import { createStatusChecker, createVerifier } from '@skillpass/verifier';
import { afterEach, describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createStatusHandler, initIssuer, openIssuer, type StatusRequestHandler } from '../src/index.js';
import { TEST_KDF, tempDir } from './helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** An issuer whose DID and status lists are served by createStatusHandler on 127.0.0.1. */
async function servedIssuer() {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  const port = (server.address() as AddressInfo).port;
  const issuer = await initIssuer({
    path: `${tempDir()}/issuer.db`,
    passphrase: 'pw',
    didWeb: `localhost:${port}`,
    statusBaseUrl: `http://localhost:${port}/status`,
    name: 'Served Centre',
    statusTtlMs: 60_000,
    ...TEST_KDF,
  });
  server.on('request', createStatusHandler(issuer));
  return { issuer, base: `http://127.0.0.1:${port}` };
}

describe('createStatusHandler', () => {
  it('serves lists and did.json with Cache-Control and ETag; If-None-Match gives 304; a revocation changes the ETag', async () => {
    const { issuer, base } = await servedIssuer();
    const { id } = await issuer.issue(CNC_ASSESSMENTS[0]!, { subject: makeIdentity().did });

    const first = await fetch(`${base}/status/1`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/vc+jwt');
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{43}"$/);
    const body = await first.text();
    expect(body.split('.')).toHaveLength(3);

    const again = await fetch(`${base}/status/1`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    await issuer.revoke(id);
    const changed = await fetch(`${base}/status/1`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);

    const did = await fetch(`${base}/.well-known/did.json`);
    expect(did.status).toBe(200);
    expect(did.headers.get('content-type')).toBe('application/did+json');
    expect(((await did.json()) as { id: string }).id).toBe(issuer.did);

    const head = await fetch(`${base}/status/1`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    expect((await fetch(`${base}/status/1`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/status/2`)).status).toBe(404);
    expect((await fetch(`${base}/status/01`)).status).toBe(404);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    issuer.close();
  });

  it('answers 503 (never an unhandled rejection) when the issuer cannot read or sign, or passes the error to next', async () => {
    const { issuer, base } = await servedIssuer();
    await issuer.issue(CNC_ASSESSMENTS[0]!, { subject: makeIdentity().did });
    expect((await fetch(`${base}/status/1`)).status).toBe(200);
    issuer.close();
    const failed = await fetch(`${base}/status/1`);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(failed.headers.get('cache-control')).toBe('no-store');

    // As middleware: the error goes to next, and nothing is written.
    const handler = createStatusHandler(issuer);
    const passed: unknown[] = [];
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    const req = Object.assign(new IncomingMessage(new Socket()), { url: '/status/1', method: 'GET' });
    await expect(handler(req, res, (err) => passed.push(err))).resolves.toBeUndefined();
    expect(passed).toHaveLength(1);
    expect(passed[0]).toBeInstanceOf(Error);
    expect(res.headersSent).toBe(false);
  });

  it('end to end over HTTP: did:web resolution and status list fetch; revoke shows after the cache ttl', async () => {
    const { issuer } = await servedIssuer();
    const { token, id } = await issuer.issue(CNC_ASSESSMENTS[0]!, { subject: makeIdentity().did });
    let clock = 0;
    const verifier = createVerifier({
      resolverOptions: { allowHttpLocalhost: true },
      status: createStatusChecker({ allowHttpLocalhost: true, clock: () => clock }),
    });
    expect((await verifier.verifyCredential(token)).verified).toBe(true);
    await issuer.revoke(id);
    // Within the list's ttl (60 s) the cached list still answers.
    clock = 59_000;
    expect((await verifier.verifyCredential(token)).verified).toBe(true);
    clock = 61_000;
    const report = await verifier.verifyCredential(token);
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_REVOKED']);
    issuer.close();
  });

  it("keeps a list's body date and ETag across a restart, also for ES256 (304 after reopening)", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    const port = (server.address() as AddressInfo).port;
    const path = `${tempDir()}/issuer.db`;
    let handler: StatusRequestHandler | undefined;
    server.on('request', (req, res) => handler!(req, res));
    const first = await initIssuer({
      path,
      passphrase: 'pw',
      didKey: true,
      keyType: 'P-256',
      statusBaseUrl: `http://localhost:${port}/status`,
      name: 'Restarted Centre',
      ...TEST_KDF,
    });
    const { id } = await first.issue(CNC_ASSESSMENTS[0]!, { subject: makeIdentity().did });
    await first.revoke(id, { now: new Date('2026-11-02T08:30:00.250Z') });
    handler = createStatusHandler(first);
    const before = await fetch(`http://127.0.0.1:${port}/status/1`);
    const etag = before.headers.get('etag')!;
    const token = await before.text();
    // validFrom is the list's last change (the revocation), not the signing time.
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload.validFrom).toBe('2026-11-02T08:30:00Z');
    first.close();

    const second = await openIssuer({ path, passphrase: 'pw' });
    handler = createStatusHandler(second);
    const after = await fetch(`http://127.0.0.1:${port}/status/1`, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(304);
    const full = await fetch(`http://127.0.0.1:${port}/status/1`);
    expect(full.headers.get('etag')).toBe(etag);
    const again = JSON.parse(Buffer.from((await full.text()).split('.')[1]!, 'base64url').toString('utf8'));
    expect(again).toEqual(payload); // ES256 signatures differ; the signed content does not
    second.close();
  });

  it('calls next() for paths it does not serve (middleware use)', async () => {
    const { issuer } = await servedIssuer();
    const handler = createStatusHandler(issuer);
    let nextCalled = false;
    await handler({ url: '/other', method: 'GET', headers: {} } as never, {} as never, () => {
      nextCalled = true;
    });
    expect(nextCalled).toBe(true);
    issuer.close();
  });

  it('serves no list (404) for an issuer created without status lists', async () => {
    const issuer = await initIssuer({
      path: `${tempDir()}/issuer.db`,
      passphrase: 'pw',
      didKey: true,
      name: 'Centre without status lists',
      ...TEST_KDF,
    });
    await issuer.issue(CNC_ASSESSMENTS[0]!, { subject: makeIdentity().did });
    const server = createServer(createStatusHandler(issuer));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const path of ['/status/1', '/1', '/status/2'])
      expect((await fetch(`${base}${path}`)).status).toBe(404);
    issuer.close();
  });
});
