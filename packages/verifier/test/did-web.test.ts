import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DidDocument,
  type FetchLike,
  keyObjectSigner,
  publicJwkOf,
  type SigningKey,
} from '@skillpass/core';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createVerifier } from '../src/index.js';

const CENTRE_DID = 'did:web:assessment.metaal.example:centres:eindhoven';
const CENTRE_URL = 'https://assessment.metaal.example/centres/eindhoven/did.json';
const worker = makeIdentity();
const AUD = 'https://jobs.metaal.example';
const CHALLENGE = 'did-web-challenge';

function centreIdentity(did: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signingKey: SigningKey = { keyId: `${did}#key-1`, alg: 'EdDSA', sign: keyObjectSigner(privateKey) };
  const document: DidDocument = {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: did,
    verificationMethod: [
      { id: `${did}#key-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: publicJwkOf(publicKey) },
    ],
    assertionMethod: [`${did}#key-1`],
  };
  return { did, signingKey, document };
}

/** An injected fetch serving DID documents from memory, as a caching proxy or an offline mirror would. */
function documentFetch(documents: Map<string, DidDocument>, asked: string[]): FetchLike {
  return async (url) => {
    asked.push(url);
    const doc = documents.get(url);
    return doc === undefined
      ? { ok: false, status: 404, text: async () => 'not found' }
      : { ok: true, status: 200, text: async () => JSON.stringify(doc) };
  };
}

async function issueFrom(centre: ReturnType<typeof centreIdentity>, subject = worker.did) {
  const tokens: string[] = [];
  for (const assessment of CNC_ASSESSMENTS) {
    const { token } = await issueSkillCredential(assessment, {
      issuer: {
        did: centre.did,
        name: 'Metal Assessment Centre Eindhoven',
        url: 'https://assessment.metaal.example',
      },
      subject,
      signingKey: centre.signingKey,
    });
    tokens.push(token);
  }
  return tokens;
}

describe('credentials from a did:web issuer, resolved through an injected fetch', () => {
  const centre = centreIdentity(CENTRE_DID);

  it('verifies a credential end to end, fetching the DID document once', async () => {
    const asked: string[] = [];
    const verifier = createVerifier({
      resolverOptions: { fetch: documentFetch(new Map([[CENTRE_URL, centre.document]]), asked) },
    });
    const [token] = await issueFrom(centre);
    const report = await verifier.verifyCredential(token!, { expectedSubject: worker.did });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.credentials[0]).toMatchObject({
      issuer: CENTRE_DID,
      issuerName: 'Metal Assessment Centre Eindhoven',
      skill: { name: 'program a CNC controller', level: 3 },
    });
    expect(report.credentials[0]!.checks.find((c) => c.name === 'signature')).toEqual({
      name: 'signature',
      ok: true,
    });
    await verifier.verifyCredential(token!);
    expect(asked).toEqual([CENTRE_URL]);
  });

  it('verifies a passport of did:web-issued credentials held by a did:key worker', async () => {
    const asked: string[] = [];
    const verifier = createVerifier({
      resolverOptions: { fetch: documentFetch(new Map([[CENTRE_URL, centre.document]]), asked) },
    });
    const passport = await createPassport({
      holder: worker,
      credentials: await issueFrom(centre),
      audience: AUD,
      challenge: CHALLENGE,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.credentials.map((c) => c.issuer)).toEqual([CENTRE_DID, CENTRE_DID]);
    // Two credentials from one issuer verified concurrently: one fetch.
    expect(asked).toEqual([CENTRE_URL]);
  });

  it('reports ERR_DID_UNRESOLVABLE, and fetches nothing else, when the document is not there', async () => {
    const asked: string[] = [];
    const verifier = createVerifier({ resolverOptions: { fetch: documentFetch(new Map(), asked) } });
    const [token] = await issueFrom(centre);
    const report = await verifier.verifyCredential(token!);
    expect(report.verified).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_DID_UNRESOLVABLE']);
    expect(report.credentials[0]!.checks.filter((c) => c.skipped).map((c) => c.name)).toEqual([
      'trust',
      'status',
      'binding',
    ]);
    expect(asked).toEqual([CENTRE_URL]);
  });

  it('stops verifying credentials signed with a key the issuer removed, once the cache expires', async () => {
    let clock = Date.parse('2027-01-01T00:00:00Z');
    const documents = new Map([[CENTRE_URL, centre.document]]);
    const verifier = createVerifier({
      resolverOptions: { fetch: documentFetch(documents, []), cacheTtlMs: 60_000, now: () => clock },
    });
    const [token] = await issueFrom(centre);
    const now = new Date(clock);
    expect((await verifier.verifyCredential(token!, { now })).verified).toBe(true);
    const { document: next } = centreIdentity(CENTRE_DID);
    const method = { ...next.verificationMethod![0]!, id: `${CENTRE_DID}#key-2` };
    documents.set(CENTRE_URL, { ...next, verificationMethod: [method], assertionMethod: [method.id] });
    clock += 61_000;
    const report = await verifier.verifyCredential(token!, { now });
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_KEY_NOT_FOUND']);
  });

  it('rejects a credential signed by another did:web key of the same id shape (ERR_SIGNATURE_INVALID)', async () => {
    const impostor = centreIdentity(CENTRE_DID);
    const verifier = createVerifier({
      resolverOptions: { fetch: documentFetch(new Map([[CENTRE_URL, centre.document]]), []) },
    });
    const [token] = await issueFrom(impostor);
    const report = await verifier.verifyCredential(token!);
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_SIGNATURE_INVALID']);
  });
});

describe('a did:web issuer served by an in-process HTTP server on 127.0.0.1', () => {
  let server: Server;
  let centre: ReturnType<typeof centreIdentity>;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      if (req.url !== '/.well-known/did.json') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/did+json' }).end(JSON.stringify(centre.document));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    centre = centreIdentity(`did:web:127.0.0.1%3A${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('verifies a passport with allowHttpLocalhost', async () => {
    const verifier = createVerifier({ resolverOptions: { allowHttpLocalhost: true } });
    const passport = await createPassport({
      holder: worker,
      credentials: await issueFrom(centre),
      audience: AUD,
      challenge: CHALLENGE,
    });
    const before = requests;
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(requests - before).toBe(1);
  });

  it('does not reach the http server without allowHttpLocalhost (ERR_DID_UNRESOLVABLE)', async () => {
    const verifier = createVerifier({ resolverOptions: { timeoutMs: 2000 } });
    const [token] = await issueFrom(centre);
    const before = requests;
    const report = await verifier.verifyCredential(token!);
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_DID_UNRESOLVABLE']);
    expect(requests).toBe(before);
  });
});
