import { createDidResolver, type JsonObject } from '@skillpass/core';
import { signDataIntegrity } from '@skillpass/data-integrity';
import {
  type PreparedPresentationAnswer,
  preparePresentationAnswer,
  type ResolvedPresentationRequest,
  receiveCredential,
  resolvePresentationRequest,
  sendPresentationAnswer,
  type Wallet,
} from '@skillpass/holder';
import { createVerifier } from '@skillpass/verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS } from '../../../test-support/fixtures.js';
import { foreignBadge } from '../../../test-support/foreign-badge.js';
import {
  issueEd25519Signature2020,
  newKey,
  verifyPresentationWithDigitalBazaar,
} from '../../data-integrity/test/helpers/digitalbazaar.js';
import { createCredentialOffer } from '../../issuer-service/src/index.js';
import { makeWallet, startCentre, type TestCentre } from '../../issuer-service/test/helpers.js';
import {
  createDcqlQuery,
  createPresentationRequest,
  readPresentationResult,
  verifyVpToken,
} from '../src/index.js';
import { startVerifier, type TestVerifier, VACANCY } from './helpers.js';

// centre → wallet → employer with an ldp_vc: issued over OpenID4VCI by the issuer service,
// presented over OpenID4VP as a Data Integrity Verifiable Presentation (OpenID4VP 1.0 Appendix B).

const LOCAL = { allowHttpLocalhost: true } as const;

/** A wallet holding the CNC-programming credential as ldp_vc, received from a running centre. */
async function workerWithLdpVc(centre: TestCentre): Promise<Wallet> {
  const wallet = await makeWallet();
  const { offer } = createCredentialOffer({
    offers: centre.offers,
    publicUrl: centre.url,
    assessment: CNC_ASSESSMENTS[0]!,
    format: 'ldp_vc',
  });
  const received = await receiveCredential(wallet, offer, LOCAL);
  expect(received.entry.format).toBe('ldp_vc');
  return wallet;
}

async function openRequest(
  employer: TestVerifier,
  wallet: Wallet,
  responseMode: 'direct_post' | 'direct_post.jwt' = 'direct_post',
) {
  const created = await createPresentationRequest(employer.store, {
    vacancy: VACANCY,
    responseMode,
    ...LOCAL,
  });
  const request = await resolvePresentationRequest(created.uri, wallet, LOCAL);
  return { ...created, request };
}

/** The one ldp_vc presentation of a prepared answer. */
function ldpVpOf(prepared: PreparedPresentationAnswer): { queryId: string; vp: JsonObject } {
  const [queryId, [vp]] = Object.entries(prepared.vpToken).find(([id]) => id.endsWith('_ldp'))! as [
    string,
    JsonObject[],
  ];
  return { queryId, vp: vp! };
}

/** Send a vp_token as built here (not by the wallet) and read what the employer's system got. */
async function sendRaw(
  employer: TestVerifier,
  request: ResolvedPresentationRequest,
  id: string,
  vpToken: Record<string, (string | JsonObject)[]>,
) {
  const outcome = await sendPresentationAnswer(request, { vpToken, presented: {}, shown: [] }, LOCAL);
  return { outcome, result: readPresentationResult(employer.store, id)! };
}

describe('ldp_vc: centre → wallet → employer on loopback', () => {
  for (const responseMode of ['direct_post.jwt', 'direct_post'] as const) {
    it(`the wallet presents the received ldp_vc as a Data Integrity presentation; it verifies and matches (${responseMode})`, async () => {
      const centre = await startCentre();
      const employer = await startVerifier();
      const wallet = await workerWithLdpVc(centre);
      const { id, request } = await openRequest(employer, wallet, responseMode);
      const asked = request.credentials.find((c) => c.queryId === 'q0_ldp')!;
      expect(asked.format).toBe('ldp_vc');
      expect(asked.matches).toEqual([wallet.list()[0]!.id]);

      const prepared = await preparePresentationAnswer(wallet, request);
      const { queryId, vp } = ldpVpOf(prepared);
      expect(queryId).toBe('q0_ldp');
      expect(vp).toMatchObject({
        type: ['VerifiablePresentation'],
        holder: wallet.did,
        proof: {
          type: 'DataIntegrityProof',
          proofPurpose: 'authentication',
          challenge: request.payload.nonce,
          domain: request.clientId,
        },
      });
      expect(prepared.shown[0]).toMatchObject({ format: 'ldp_vc', withheld: [] });
      // Digital Bazaar's verifier accepts the wallet's presentation (and the centre's credential in it).
      const theirs = await verifyPresentationWithDigitalBazaar(vp, {
        challenge: request.payload.nonce,
        domain: request.clientId,
      });
      expect(theirs.error).toBeUndefined();
      expect(theirs.verified).toBe(true);

      const outcome = await sendPresentationAnswer(request, prepared, LOCAL);
      expect(outcome.error).toBeNull();
      expect(outcome.accepted).toBe(true);
      const result = readPresentationResult(employer.store, id)!;
      expect(result.status).toBe('verified');
      expect(result.verification?.problems).toEqual([]);
      expect(result.verification?.holder).toBe(wallet.did);
      expect(result.verification?.credentials.map((c) => c.format)).toEqual(['ldp_vc']);
      const met = result.match?.requirements.filter((r) => r.outcome === 'met').map((r) => r.name);
      expect(met).toEqual(['program a CNC controller']);
    });
  }
});

describe('ldp_vc presentations that must be refused (nothing verified reaches the result)', () => {
  async function setup() {
    const centre = await startCentre();
    const employer = await startVerifier();
    const wallet = await workerWithLdpVc(centre);
    const opened = await openRequest(employer, wallet);
    return { centre, employer, wallet, ...opened };
  }

  const refusedWith = ({ outcome, result }: Awaited<ReturnType<typeof sendRaw>>, code: string) => {
    expect(outcome.accepted).toBe(false);
    expect(outcome.status).toBe(400);
    expect(outcome.error?.error).toBe('invalid_request');
    expect(outcome.error?.code).toBe(code);
    expect(result.status).toBe('refused');
    expect(result.verification?.verified).not.toBe(true);
    expect(result.verification?.problems.map((p) => p.code)).toContain(code);
  };

  it('bound to another nonce: ERR_CHALLENGE_MISMATCH', async () => {
    const { employer, wallet, id, request } = await setup();
    const other = { ...request, payload: { ...request.payload, nonce: 'another-nonce-0123456789' } };
    const { queryId, vp } = ldpVpOf(await preparePresentationAnswer(wallet, other));
    refusedWith(await sendRaw(employer, request, id, { [queryId]: [vp] }), 'ERR_CHALLENGE_MISMATCH');
  });

  it('bound to another client (domain): ERR_AUDIENCE_MISMATCH', async () => {
    const { employer, wallet, id, request } = await setup();
    const other = { ...request, clientId: 'decentralized_identifier:did:web:other-employer.example' };
    const { queryId, vp } = ldpVpOf(await preparePresentationAnswer(wallet, other));
    refusedWith(await sendRaw(employer, request, id, { [queryId]: [vp] }), 'ERR_AUDIENCE_MISMATCH');
  });

  it('tampered (the embedded credential, or the challenge in the proof): ERR_SIGNATURE_INVALID', async () => {
    const { employer, wallet, id, request } = await setup();
    const { queryId, vp } = ldpVpOf(await preparePresentationAnswer(wallet, request));
    const [credential] = vp.verifiableCredential as JsonObject[];
    const subject = credential!.credentialSubject as JsonObject;
    const tampered = {
      ...vp,
      verifiableCredential: [{ ...credential, credentialSubject: { ...subject, result: [] } }],
    };
    refusedWith(await sendRaw(employer, request, id, { [queryId]: [tampered] }), 'ERR_SIGNATURE_INVALID');

    // a presentation made for an old nonce, its challenge rewritten to the current one
    const second = await openRequest(employer, wallet);
    const old = { ...second.request, payload: { ...second.request.payload, nonce: 'old-nonce-0123456789' } };
    const made = ldpVpOf(await preparePresentationAnswer(wallet, old)).vp;
    const rewritten = {
      ...made,
      proof: { ...(made.proof as JsonObject), challenge: second.request.payload.nonce },
    };
    refusedWith(
      await sendRaw(employer, second.request, second.id, { [queryId]: [rewritten] }),
      'ERR_SIGNATURE_INVALID',
    );
  });

  it('a credential of another holder, presented (and signed) by someone else: ERR_HOLDER_MISMATCH; claiming to be its holder: ERR_KEY_NOT_FOUND', async () => {
    const { employer, wallet, id, request } = await setup();
    const thief = await makeWallet();
    const stolen = JSON.parse(wallet.get(wallet.list()[0]!.id).token) as JsonObject;
    const key = await thief.signingKey();
    const sign = (holder: string, to: ResolvedPresentationRequest) =>
      signDataIntegrity(
        {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiablePresentation'],
          holder,
          verifiableCredential: [stolen],
        },
        {
          signer: key.sign,
          verificationMethod: key.keyId,
          proofPurpose: 'authentication',
          challenge: to.payload.nonce,
          domain: to.clientId,
        },
      ) as unknown as Promise<JsonObject>;
    refusedWith(
      await sendRaw(employer, request, id, { q0_ldp: [await sign(thief.did, request)] }),
      'ERR_HOLDER_MISMATCH',
    );
    const second = await openRequest(employer, wallet);
    refusedWith(
      await sendRaw(employer, second.request, second.id, {
        q0_ldp: [await sign(wallet.did, second.request)],
      }),
      'ERR_KEY_NOT_FOUND',
    );
  });

  it('a verified credential that does not answer the query it is given for: ERR_QUERY_NOT_SATISFIED', async () => {
    const { employer, wallet, id, request } = await setup();
    // the CNC-programming credential, presented for the blueprint-reading query (q2_ldp)
    const { vp } = ldpVpOf(await preparePresentationAnswer(wallet, request));
    refusedWith(await sendRaw(employer, request, id, { q2_ldp: [vp] }), 'ERR_QUERY_NOT_SATISFIED');
  });

  it('verifyVpToken: not an object, not JSON, no proof, no holder, a JWT inside — each refused with a code', async () => {
    const centre = await startCentre();
    const wallet = await workerWithLdpVc(centre);
    const employer = await startVerifier();
    const { request } = await openRequest(employer, wallet);
    const { vp } = ldpVpOf(await preparePresentationAnswer(wallet, request));
    const resolver = createDidResolver();
    const options = {
      dcqlQuery: createDcqlQuery(VACANCY),
      clientId: request.clientId,
      nonce: request.payload.nonce,
      verifier: createVerifier({ resolver }),
      resolver,
    };
    const codes = async (item: unknown) => {
      const { verified, report } = await verifyVpToken({ q0_ldp: [item] }, options);
      expect(verified).toBe(false);
      return report.problems.map((p) => p.code);
    };
    expect((await verifyVpToken({ q0_ldp: [vp] }, options)).verified).toBe(true);
    expect((await verifyVpToken({ q0_ldp: [JSON.stringify(vp)] }, options)).verified).toBe(true);
    expect(await codes(7)).toEqual(['ERR_MALFORMED']);
    expect(await codes('{not json')).toEqual(['ERR_MALFORMED']);
    const { proof: _proof, ...unsigned } = vp;
    expect(await codes(unsigned)).toContain('ERR_MALFORMED');
    const { holder: _holder, ...anonymous } = vp;
    expect(await codes(anonymous)).toContain('ERR_MALFORMED');
    expect(await codes({ ...vp, verifiableCredential: ['eyJ.x.y'] })).toContain('ERR_MALFORMED');
    expect(await codes({ ...vp, type: ['VerifiableCredential'] })).toContain('ERR_MALFORMED');
  });
});

/** Every string or number leaf of a JSON value, by path. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string' || typeof value === 'number') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [];
}

function withLeaf(value: unknown, path: (string | number)[], leaf: string): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = withLeaf(copy[head], rest, leaf);
  return copy;
}

describe('ldp_vc presentations (property)', () => {
  it('any one value changed anywhere in a valid presentation is refused, never thrown', async () => {
    const centre = await startCentre();
    const wallet = await workerWithLdpVc(centre);
    const employer = await startVerifier();
    const { request } = await openRequest(employer, wallet);
    const { queryId, vp } = ldpVpOf(await preparePresentationAnswer(wallet, request));
    const resolver = createDidResolver();
    const options = {
      dcqlQuery: createDcqlQuery(VACANCY),
      clientId: request.clientId,
      nonce: request.payload.nonce,
      verifier: createVerifier({ resolver }),
      resolver,
    };
    expect((await verifyVpToken({ [queryId]: [vp] }, options)).verified).toBe(true);
    const paths = leaves(vp);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: paths.length - 1 }), fc.string({ maxLength: 12 }), async (i, text) => {
        const path = paths[i]!;
        const original = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], vp);
        fc.pre(String(original) !== text);
        const mutated = withLeaf(vp, path, text);
        const { verified, report } = await verifyVpToken({ [queryId]: [mutated] }, options);
        expect(verified).toBe(false);
        expect(report.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});

describe('ldp_vc from another issuer', () => {
  it('a VC 1.1 Open Badge signed by Digital Bazaar (Ed25519Signature2020) is presented in a VC 1.1 presentation and verifies', async () => {
    const employer = await startVerifier();
    const wallet = await makeWallet();
    const key = newKey();
    const { validFrom: _from, ...badge } = foreignBadge(key.did, wallet.did);
    const signed = await issueEd25519Signature2020(
      {
        ...badge,
        '@context': [
          'https://www.w3.org/2018/credentials/v1',
          'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
          'https://w3id.org/security/suites/ed25519-2020/v1',
        ],
        issuanceDate: '2026-09-01T00:00:00Z',
      },
      key,
    );
    await wallet.addCredential(JSON.stringify(signed));
    const { id, request } = await openRequest(employer, wallet);
    const prepared = await preparePresentationAnswer(wallet, request);
    const { vp } = ldpVpOf(prepared);
    expect(vp['@context']).toEqual([
      'https://www.w3.org/2018/credentials/v1',
      'https://w3id.org/security/data-integrity/v2',
    ]);
    const theirs = await verifyPresentationWithDigitalBazaar(vp, {
      challenge: request.payload.nonce,
      domain: request.clientId,
    });
    expect(theirs.error).toBeUndefined();
    expect(theirs.verified).toBe(true);
    const outcome = await sendPresentationAnswer(request, prepared, LOCAL);
    expect(outcome.error).toBeNull();
    const result = readPresentationResult(employer.store, id)!;
    expect(result.status).toBe('verified');
    expect(result.verification?.credentials.map((c) => c.format)).toEqual(['ldp_vc']);
    expect(result.verification?.credentials[0]?.skill?.uri).toBe(
      'http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8',
    );
  });
});
