import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDidResolver, isSkillpassError } from '@skillpass/core';
import { resolvePresentationRequest } from '@skillpass/holder';
import { createVerifier } from '@skillpass/verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDcqlQuery, createPresentationRequest, verifyVpToken } from '../src/index.js';
import { onCleanup, startVerifier, VACANCY, workerWithCredentials } from './helpers.js';

const REFUSALS = ['ERR_REQUEST_INVALID', 'ERR_INPUT_TOO_LARGE'];

async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (err: unknown) => (isSkillpassError(err) ? err.code : `threw ${String(err)}`),
  );
}

describe('the wallet’s request parser (property)', () => {
  it('any string as a request URI is refused with ERR_REQUEST_INVALID, without network', async () => {
    const { wallet } = await workerWithCredentials();
    const noNetwork = async () => {
      throw new Error('no network in this test');
    };
    const uri = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .dictionary(
          fc.constantFrom(
            'client_id',
            'request_uri',
            'request',
            'response_type',
            'nonce',
            'dcql_query',
            'state',
            'x',
          ),
          fc.string({ maxLength: 80 }),
        )
        .map((params) => `openid4vp://?${new URLSearchParams(params).toString()}`),
    );
    await fc.assert(
      fc.asyncProperty(uri, async (u) => {
        const code = await refusal(
          resolvePresentationRequest(u, wallet, { fetch: noNetwork, allowHttpLocalhost: true }),
        );
        expect(REFUSALS).toContain(code);
      }),
      { numRuns: 150 },
    );
  });

  it('a mutated request object (served on loopback) never resolves', async () => {
    const employer = await startVerifier();
    const { wallet } = await workerWithCredentials();
    const created = await createPresentationRequest(employer.store, {
      vacancy: VACANCY,
      allowHttpLocalhost: true,
    });
    const real = await (await fetch(new URL(created.uri).searchParams.get('request_uri')!)).text();
    let current = real;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' });
      res.end(current);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onCleanup(() => new Promise<void>((r) => server.close(() => r())));
    const link = `openid4vp://?client_id=${encodeURIComponent(employer.store.identity.clientId)}&request_uri=${encodeURIComponent(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/r`,
    )}`;
    // The honest object resolves through this server: the mutations below are what fails.
    expect((await resolvePresentationRequest(link, wallet, { allowHttpLocalhost: true })).clientId).toBe(
      employer.store.identity.clientId,
    );
    const [h, p] = real.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const mutation = fc.oneof(
      // flip one character anywhere
      fc.tuple(fc.nat(real.length - 1), fc.constantFrom('A', 'b', '-', '_', '.', '~')).map(([at, ch]) => {
        const next = `${real.slice(0, at)}${ch}${real.slice(at + 1)}`;
        return next === real ? `${real}x` : next;
      }),
      // change a claim and keep the old signature
      fc
        .tuple(
          fc.constantFrom(
            'client_id',
            'nonce',
            'response_uri',
            'dcql_query',
            'state',
            'exp',
            'response_mode',
          ),
          fc.jsonValue(),
        )
        .map(([claim, value]) => {
          const body = Buffer.from(JSON.stringify({ ...payload, [claim]: value })).toString('base64url');
          return `${h}.${body}.${real.split('.')[2]}`;
        }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (mutated) => {
        current = mutated;
        const code = await refusal(resolvePresentationRequest(link, wallet, { allowHttpLocalhost: true }));
        expect(REFUSALS).toContain(code);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the verifier’s vp_token parser (property)', () => {
  it('never throws and never verifies arbitrary input', async () => {
    const resolver = createDidResolver();
    const verifier = createVerifier({ resolver });
    const dcqlQuery = createDcqlQuery(VACANCY);
    const ids = dcqlQuery.credentials.map((c) => c.id);
    const token = fc.oneof(
      fc.jsonValue(),
      fc.string(),
      fc.dictionary(
        fc.constantFrom(...ids, 'other'),
        fc.oneof(fc.array(fc.string(), { maxLength: 3 }), fc.jsonValue()),
      ),
      fc
        .dictionary(
          fc.constantFrom(...ids),
          fc.array(
            fc.string().map((s) => `eyJhbGciOiJFZERTQSJ9.${s}.${s}~`),
            { minLength: 1, maxLength: 1 },
          ),
        )
        .map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(token, async (t) => {
        const { verified, report } = await verifyVpToken(t, {
          dcqlQuery,
          clientId: 'decentralized_identifier:did:key:z',
          nonce: 'n',
          verifier,
          resolver,
        });
        expect(verified).toBe(false);
        expect(report.verified).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
