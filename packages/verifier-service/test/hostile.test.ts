import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSkillpassError, signCompactJws } from '@skillpass/core';
import {
  answerPresentationRequest,
  type ResolvedPresentationRequest,
  resolvePresentationRequest,
  type Wallet,
} from '@skillpass/holder';
import { describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';
import {
  createPresentationRequest,
  initVerifier,
  MAX_RESPONSE_BODY_BYTES,
  openVerifierStore,
  readPresentationResult,
} from '../src/index.js';
import {
  onCleanup,
  startVerifier,
  type TestVerifier,
  tempDir,
  VACANCY,
  workerWithCredentials,
} from './helpers.js';

const LOCAL = { allowHttpLocalhost: true } as const;

async function open(
  employer: TestVerifier,
  wallet: Wallet,
  options: { responseMode?: 'direct_post' | 'direct_post.jwt'; strict?: boolean } = {},
) {
  const created = await createPresentationRequest(employer.store, {
    vacancy: VACANCY,
    responseMode: options.responseMode ?? 'direct_post',
    strict: options.strict ?? false,
    ...LOCAL,
  });
  const request = await resolvePresentationRequest(created.uri, wallet, LOCAL);
  return { ...created, request };
}

async function post(url: string, body: string, type = 'application/x-www-form-urlencoded') {
  const res = await fetch(`${url}/oid4vp/response`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSkillpassError(err) ? err.code : err).toBe(code);
}

/** POST with node:http, reading the answer even when the server stops reading the body early. */
function postRaw(url: string, body: string, chunked = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    // The server may close the connection while a chunked body is still being sent: status 0.
    req.on('error', () => resolve({ status: 0, body: '' }));
    if (chunked) {
      for (let i = 0; i < body.length; i += 65536) req.write(body.slice(i, i + 65536));
      req.end();
    } else req.end(body);
  });
}

/** A loopback server that answers every GET with `body` as a request object. */
async function serveRequestObject(body: () => string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' });
    res.end(body());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/request`;
}

describe('the response endpoint refuses, with the OpenID4VP error and a skillpass code', () => {
  it('a replayed response (same nonce and state): the first is verified, the replay refused', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const { id, request } = await open(employer, wallet);
    // Capture what the wallet sends, then send it again.
    let sent = '';
    const capture = async (input: string | URL | Request, init?: RequestInit) => {
      sent = String(init?.body ?? '');
      return fetch(input, init);
    };
    expect((await answerPresentationRequest(wallet, request, { ...LOCAL, fetch: capture })).accepted).toBe(
      true,
    );
    const replay = await post(employer.url, sent);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'invalid_request', skillpass_code: 'ERR_REQUEST_ANSWERED' });
    expect(readPresentationResult(employer.store, id)?.status).toBe('verified');
  });

  it('a response to an expired request', async () => {
    let offset = 0;
    const employer = await startVerifier({ now: () => new Date(Date.now() + offset) });
    const { wallet } = await workerWithCredentials();
    const { id, request } = await open(employer, wallet);
    offset = 20 * 60_000;
    const outcome = await answerPresentationRequest(wallet, request, LOCAL);
    expect(outcome.accepted).toBe(false);
    expect(outcome.error).toMatchObject({ error: 'invalid_request', code: 'ERR_REQUEST_EXPIRED' });
    expect(readPresentationResult(employer.store, id, new Date(Date.now() + offset))?.status).toBe('expired');
  });

  it('an unknown state, a missing vp_token, a vp_token that is not JSON or answers no query', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const { id, request } = await open(employer, wallet);
    const state = request.payload.state!;
    expect((await post(employer.url, 'state=nope&vp_token=%7B%7D')).body.skillpass_code).toBe(
      'ERR_REQUEST_UNKNOWN',
    );
    expect((await post(employer.url, 'vp_token=%7B%7D')).body.skillpass_code).toBe('ERR_MALFORMED');
    expect((await post(employer.url, `state=${state}`)).body.skillpass_code).toBe('ERR_MALFORMED');
    const notJson = await post(employer.url, `state=${state}&vp_token=not-json`);
    expect(notJson).toMatchObject({ status: 400, body: { skillpass_code: 'ERR_MALFORMED' } });
    // That response burnt the request (its nonce is spent): nothing verified.
    expect(readPresentationResult(employer.store, id)).toMatchObject({ status: 'refused', verified: false });
  });

  it('a vp_token keyed by a query the request did not ask', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const { request } = await open(employer, wallet);
    const body = new URLSearchParams({
      state: request.payload.state!,
      vp_token: JSON.stringify({ other: ['x.y.z'] }),
    });
    const res = await post(employer.url, body.toString());
    expect(res).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', skillpass_code: 'ERR_MALFORMED' },
    });
  });

  it('a vp_token bound to another request’s nonce', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const a = await open(employer, wallet);
    const b = await open(employer, wallet);
    // Presentations made for B (B's nonce), posted as the answer to A.
    const forged: ResolvedPresentationRequest = {
      ...b.request,
      payload: { ...b.request.payload, state: a.request.payload.state! },
    };
    const outcome = await answerPresentationRequest(wallet, forged, LOCAL);
    expect(outcome.accepted).toBe(false);
    expect(outcome.error?.code).toBe('ERR_CHALLENGE_MISMATCH');
    const result = readPresentationResult(employer.store, a.id)!;
    expect(result).toMatchObject({ status: 'refused', verified: false });
    expect(result.verification?.problems.map((p) => p.code)).toContain('ERR_CHALLENGE_MISMATCH');
    expect(result.match?.requirements.every((r) => r.outcome !== 'met')).toBe(true);
  });

  it('a vp_token bound to another client id (aud)', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const { id, request } = await open(employer, wallet);
    const other = `decentralized_identifier:${makeIdentity('P-256').did}`;
    const outcome = await answerPresentationRequest(wallet, { ...request, clientId: other }, LOCAL);
    expect(outcome.error?.code).toBe('ERR_AUDIENCE_MISMATCH');
    expect(readPresentationResult(employer.store, id)?.verified).toBe(false);
  });

  it('a credential presented for a query it does not match (DCQL re-checked on verified data)', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const { id, request } = await open(employer, wallet);
    const blueprints = wallet.list().find((e) => e.skill?.name === 'read standard blueprints')!;
    // The wallet claims its blueprint-reading credential answers "program a CNC controller" (q0_vc).
    const lying: ResolvedPresentationRequest = {
      ...request,
      credentials: request.credentials.map((c) => ({
        ...c,
        matches: c.queryId === 'q0_vc' ? [blueprints.id] : [],
      })),
    };
    const outcome = await answerPresentationRequest(wallet, lying, LOCAL);
    expect(outcome.error?.code).toBe('ERR_QUERY_NOT_SATISFIED');
    const result = readPresentationResult(employer.store, id)!;
    expect(result.status).toBe('refused');
    expect(result.verification?.credentials[0]?.verified).toBe(true); // the credential itself is fine
    expect(result.verification?.verified).toBe(false);
  });

  it('a strict request whose required sets are left unanswered', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    // The wallet cannot satisfy the strict query (it lacks a CNC lathe credential) and says so.
    const created = await createPresentationRequest(employer.store, {
      vacancy: VACANCY,
      strict: true,
      ...LOCAL,
      responseMode: 'direct_post',
    });
    const request = await resolvePresentationRequest(created.uri, wallet, LOCAL);
    await rejectsWith(answerPresentationRequest(wallet, request, LOCAL), 'ERR_QUERY_NOT_SATISFIED');
    // A wallet that answers anyway, with what it has, is refused by the verifier.
    const partial = { ...request, sets: request.sets.map((s) => ({ ...s, required: false })) };
    const outcome = await answerPresentationRequest(wallet, partial, LOCAL);
    expect(outcome.error?.code).toBe('ERR_QUERY_NOT_SATISFIED');
    expect(readPresentationResult(employer.store, created.id)?.verified).toBe(false);
  });

  it('a plain response to a request that wants it encrypted, and JWEs it cannot open', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const { request } = await open(employer, wallet, { responseMode: 'direct_post.jwt' });
    const plain = new URLSearchParams({ state: request.payload.state!, vp_token: '{}' });
    expect((await post(employer.url, plain.toString())).body.skillpass_code).toBe('ERR_MALFORMED');
    expect((await post(employer.url, 'response=garbage')).body.skillpass_code).toBe('ERR_MALFORMED');
    const header = Buffer.from(JSON.stringify({ alg: 'ECDH-ES', enc: 'A128GCM', kid: 'unknown' })).toString(
      'base64url',
    );
    expect((await post(employer.url, `response=${header}..iv.ct.tag`)).body.skillpass_code).toBe(
      'ERR_REQUEST_UNKNOWN',
    );
  });

  it('oversized and wrongly typed bodies, at every endpoint', async () => {
    const employer = await startVerifier();
    const big = await postRaw(
      `${employer.url}/oid4vp/response`,
      `vp_token=${'a'.repeat(MAX_RESPONSE_BODY_BYTES + 1)}`,
    );
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({
      error: 'invalid_request',
      skillpass_code: 'ERR_INPUT_TOO_LARGE',
    });
    // Without a Content-Length (chunked), the limit holds while reading: 413, or the connection closed.
    const chunked = await postRaw(
      `${employer.url}/oid4vp/response`,
      `vp_token=${'a'.repeat(MAX_RESPONSE_BODY_BYTES + 1)}`,
      true,
    );
    expect([413, 0]).toContain(chunked.status);
    const alive = await fetch(`${employer.url}/oid4vp/request/unknown`);
    expect(alive.status).toBe(404);
    expect((await post(employer.url, '{"vp_token":{}}', 'application/json')).body.skillpass_code).toBe(
      'ERR_MALFORMED',
    );
    const unknown = await fetch(`${employer.url}/oid4vp/request/unknown`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_request_uri' });
    const noToken = await fetch(`${employer.url}/oid4vp/result/unknown`);
    expect(noToken.status).toBe(401);
    const wrongToken = await fetch(`${employer.url}/oid4vp/result/unknown`, {
      headers: { authorization: 'Bearer x' },
    });
    expect(wrongToken.status).toBe(401);
    const bigGet = await fetch(`${employer.url}/oid4vp/request/${'x'.repeat(10_000)}`);
    expect(bigGet.status).toBe(404);
  });

  it('the result endpoint gives the outcome to the bearer of the token only', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const { id, request } = await open(employer, wallet);
    await answerPresentationRequest(wallet, request, LOCAL);
    const res = await fetch(`${employer.url}/oid4vp/result/${id}`, {
      headers: { authorization: `Bearer ${employer.store.identity.resultToken}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: 'verified', verified: true });
  });
});

describe('the wallet refuses a request that does not check (ERR_REQUEST_INVALID)', () => {
  it('a request object with a bad signature', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const created = await createPresentationRequest(employer.store, { vacancy: VACANCY, ...LOCAL });
    const real = await (await fetch(new URL(created.uri).searchParams.get('request_uri')!)).text();
    const [h, p, s] = real.split('.');
    const flipped = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
    const uri = await serveRequestObject(() => flipped);
    const link = `openid4vp://?client_id=${encodeURIComponent(employer.store.identity.clientId)}&request_uri=${encodeURIComponent(uri)}`;
    await rejectsWith(resolvePresentationRequest(link, wallet, LOCAL), 'ERR_REQUEST_INVALID');
  });

  it('a request object whose client_id names a DID it is not signed by', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const created = await createPresentationRequest(employer.store, { vacancy: VACANCY, ...LOCAL });
    const real = await (await fetch(new URL(created.uri).searchParams.get('request_uri')!)).text();
    const payload = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const impostor = makeIdentity('P-256');
    // Signed by the impostor's key, claiming the employer's client id.
    const forged = await signCompactJws({ typ: 'oauth-authz-req+jwt' }, payload, impostor.signingKey);
    const uri = await serveRequestObject(() => forged);
    const link = `openid4vp://?client_id=${encodeURIComponent(String(payload.client_id))}&request_uri=${encodeURIComponent(uri)}`;
    await rejectsWith(resolvePresentationRequest(link, wallet, LOCAL), 'ERR_REQUEST_INVALID');
    // And one that names the impostor in the link but the employer inside.
    const link2 = `openid4vp://?client_id=${encodeURIComponent(`decentralized_identifier:${impostor.did}`)}&request_uri=${encodeURIComponent(uri)}`;
    await rejectsWith(resolvePresentationRequest(link2, wallet, LOCAL), 'ERR_REQUEST_INVALID');
  });

  it('an unsigned request, a request object that is too large, an answered request', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const unsigned = `openid4vp://?response_type=vp_token&client_id=redirect_uri%3Ahttp%3A%2F%2F127.0.0.1%2Fr&response_mode=direct_post&response_uri=http%3A%2F%2F127.0.0.1%2Fr&nonce=n&dcql_query=%7B%22credentials%22%3A%5B%5D%7D`;
    await rejectsWith(resolvePresentationRequest(unsigned, wallet, LOCAL), 'ERR_REQUEST_INVALID');
    const huge = await serveRequestObject(() => 'a'.repeat(300 * 1024));
    const link = `openid4vp://?client_id=${encodeURIComponent(employer.store.identity.clientId)}&request_uri=${encodeURIComponent(huge)}`;
    await rejectsWith(resolvePresentationRequest(link, wallet, LOCAL), 'ERR_REQUEST_INVALID');
    const { uri, request } = await open(employer, wallet);
    await answerPresentationRequest(wallet, request, LOCAL);
    await rejectsWith(resolvePresentationRequest(uri, wallet, LOCAL), 'ERR_REQUEST_INVALID');
  });
});

describe('answers that arrive together', () => {
  it('are each stored (committed, visible to another connection) before their wallet hears the outcome', async () => {
    const dir = tempDir();
    initVerifier({ dir, didKey: true });
    const employer = await startVerifier({ dir });
    const other = openVerifierStore(dir);
    onCleanup(() => other.close());
    const { wallet } = await workerWithCredentials();
    const opened = await Promise.all([
      open(employer, wallet),
      open(employer, wallet),
      open(employer, wallet),
    ]);
    // Sent at once: their outcomes are written in one transaction; none may be told first.
    const seenWhenTold = await Promise.all(
      opened.map(({ id, request }) =>
        answerPresentationRequest(wallet, request, LOCAL).then((outcome) => ({
          accepted: outcome.accepted,
          status: readPresentationResult(other, id)?.status,
        })),
      ),
    );
    expect(seenWhenTold).toEqual([
      { accepted: true, status: 'verified' },
      { accepted: true, status: 'verified' },
      { accepted: true, status: 'verified' },
    ]);
  });
});
