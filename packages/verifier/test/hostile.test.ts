import { createHash } from 'node:crypto';
import {
  createBitstring,
  createDidResolver,
  type DidDocument,
  type DidResolver,
  type ErrorCode,
  type FetchLike,
  isSkillpassError,
  type JsonObject,
  publicJwkOf,
  type SigningKey,
  signCompactJws,
  VC_V2_CONTEXT,
  type VerificationReport,
} from '@skillpass/core';
import { createPassport, presentSdJwtCredential } from '@skillpass/holder';
import {
  buildStatusListCredential,
  issueSdJwtSkillCredential,
  issueSkillCredential,
  signStatusListCredential,
} from '@skillpass/issuer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { staticFetch } from '../../../test-support/fetch.js';
import { CNC_ASSESSMENTS, makeIdentity, type TestIdentity } from '../../../test-support/fixtures.js';
import {
  createStatusChecker,
  createVerifier,
  loadTrustRegistry,
  type StatusChecker,
  type TrustPolicy,
  type TrustRegistry,
  verifySdJwt,
} from '../src/index.js';

/**
 * Hostile inputs found in review: each must come back as a report with a stable code, never a
 * throw, and never a fetch the attacker chose.
 */
const NOW = new Date('2027-03-01T12:00:00Z');
const T = NOW.getTime();
const AUD = 'https://jobs.metaal.example';
const CHALLENGE = 'n-hostile';
const centre = makeIdentity();
const worker = makeIdentity();
const mallory = makeIdentity();
const b64 = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const digest = (d: string) => createHash('sha256').update(d, 'ascii').digest('base64url');
const codes = (r: VerificationReport) => r.problems.map((p) => p.code);

async function thrownCode(run: () => Promise<unknown>): Promise<ErrorCode | 'none'> {
  try {
    await run();
    return 'none';
  } catch (err) {
    if (isSkillpassError(err)) return err.code;
    throw err;
  }
}

async function credential(issuer: TestIdentity = centre, status?: JsonObject[]): Promise<string> {
  const { token } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
    issuer: { did: issuer.did, name: 'Metal Centre' },
    subject: worker.did,
    signingKey: issuer.signingKey,
    now: new Date(T - 86_400_000),
    // biome-ignore lint/suspicious/noExplicitAny: test entries are well-formed BitstringStatusListEntry objects
    ...(status ? { status: status as any } : {}),
  });
  return token;
}

async function sdJwt(issuer: TestIdentity = centre): Promise<string> {
  const { token } = await issueSdJwtSkillCredential(CNC_ASSESSMENTS[0]!, {
    issuer: { did: issuer.did, name: 'Metal Centre' },
    subject: worker.did,
    holderPublicJwk: publicJwkOf(worker.publicKey),
    signingKey: issuer.signingKey,
    now: new Date(T - 86_400_000),
  });
  return token;
}

function passport(credentials: string[], holder: TestIdentity = worker): Promise<string> {
  return createPassport({ holder, credentials, audience: AUD, challenge: CHALLENGE, now: NOW });
}

/** A vc+jwt or SD-JWT issuer JWT with any payload, signed (validly) by `signer`. */
function signed(signer: SigningKey, typ: string, payload: JsonObject): Promise<string> {
  return signCompactJws({ typ, kid: signer.keyId }, payload, signer);
}

const LIST_URL = 'https://centre.example/status/1';
const statusEntry = (url = LIST_URL, index = 1): JsonObject => ({
  id: `${url}#${index}`,
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: String(index),
  statusListCredential: url,
});

async function statusList(signer: TestIdentity, url = LIST_URL, now?: Date): Promise<string> {
  return signStatusListCredential(
    buildStatusListCredential({
      url,
      issuer: signer.did,
      purpose: 'revocation',
      bits: createBitstring(),
      ...(now ? { now } : {}),
    }),
    signer.signingKey,
  );
}

function registryFor(id: string, maxLevel = 4): TrustRegistry {
  return {
    schemeOwner: { id: 'did:web:board.example', name: 'Board' },
    assessmentCentres: [
      {
        id,
        name: 'Metal Centre',
        accreditations: [
          {
            skills: [CNC_ASSESSMENTS[0]!.skill.uri],
            maxLevel,
            validFrom: '2026-01-01',
            validUntil: '2030-12-31',
          },
        ],
      },
    ],
  };
}

describe('times a Date cannot hold', () => {
  it.each([-1e13, 1e13, 8.64e12 + 1])(
    'exp %d in a forged token is ERR_MALFORMED, not a throw',
    async (exp) => {
      const payload = {
        '@context': [VC_V2_CONTEXT],
        type: ['VerifiableCredential'],
        issuer: mallory.did,
        validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: { id: worker.did },
        exp,
      };
      const [h, p] = (await signed(mallory.signingKey, 'vc+jwt', payload)).split('.');
      const forged = `${h}.${p}.${b64('x'.repeat(64))}`;
      const lone = await createVerifier().verifyCredential(forged, { now: NOW });
      expect(lone.credentials[0]!.checks.find((c) => c.name === 'validity')).toMatchObject({
        ok: false,
        code: 'ERR_MALFORMED',
      });
      const sd = `${(await signed(mallory.signingKey, 'dc+sd-jwt', { iss: mallory.did, exp })).split('.').slice(0, 2).join('.')}.${b64('x'.repeat(64))}~`;
      const sdReport = await createVerifier().verifyCredential(sd, { now: NOW });
      expect(sdReport.credentials[0]!.checks.find((c) => c.name === 'validity')?.code).toBe('ERR_MALFORMED');
      const vp = await createVerifier().verifyPassport(await passport([forged, sd]), {
        audience: AUD,
        challenge: CHALLENGE,
        now: NOW,
      });
      expect(vp.verified).toBe(false);
      expect(codes(vp)).toContain('ERR_MALFORMED');
    },
  );

  it('validly signed arbitrary vc+jwt and SD-JWT payloads never throw (property)', async () => {
    const time = fc.oneof(
      fc.integer({ min: -1e16, max: 1e16 }),
      fc.double(),
      fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 8.64e12, -8.64e12),
      fc.string(),
      fc.constant(null),
    );
    const odd = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined));
    const verifier = createVerifier();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          exp: time,
          nbf: time,
          iat: time,
          validFrom: odd,
          validUntil: odd,
          cnf: odd,
          status: odd,
        }),
        fc.boolean(),
        async (claims, sdForm) => {
          const payload = JSON.parse(
            JSON.stringify({
              '@context': [VC_V2_CONTEXT],
              type: ['VerifiableCredential'],
              issuer: centre.did,
              iss: centre.did,
              credentialSubject: { id: worker.did },
              ...claims,
            }),
          ) as JsonObject;
          if (!sdForm) delete payload.iss;
          const jwt = await signed(centre.signingKey, sdForm ? 'dc+sd-jwt' : 'vc+jwt', payload);
          const token = sdForm ? `${jwt}~` : jwt;
          const report = await verifier.verifyCredential(token, { now: NOW });
          expect(typeof report.verified).toBe('boolean');
          const vp = await verifier.verifyPassport(await passport([token]), {
            audience: AUD,
            challenge: CHALLENGE,
            now: NOW,
          });
          expect(typeof vp.verified).toBe('boolean');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('a did:web holder with a malformed authentication list', () => {
  const did = 'did:web:holder.example';
  const kid = `${did}#k`;
  const holderKey = makeIdentity();

  async function verifyWith(authentication: unknown) {
    const doc = {
      id: did,
      verificationMethod: [
        { id: kid, type: 'JsonWebKey2020', controller: did, publicKeyJwk: publicJwkOf(holderKey.publicKey) },
      ],
      authentication,
    };
    const fetch: FetchLike = async () => ({ ok: true, status: 200, text: async () => JSON.stringify(doc) });
    const { token } = await issueSdJwtSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: centre.did, name: 'Metal Centre' },
      subject: did,
      holderPublicJwk: publicJwkOf(holderKey.publicKey),
      signingKey: centre.signingKey,
      now: new Date(T - 86_400_000),
    });
    const shown = await presentSdJwtCredential(token, {
      audience: AUD,
      challenge: CHALLENGE,
      signingKey: { ...holderKey.signingKey, keyId: kid },
      now: NOW,
    });
    // The raw document, as a custom resolver may hand it over (the default one sanitises it).
    const sanitising = createDidResolver({ fetch });
    const resolver: DidResolver = {
      resolveKey: sanitising.resolveKey,
      resolve: async (id) =>
        id === did ? { ok: true, document: doc as unknown as DidDocument } : sanitising.resolve(id),
    };
    return createVerifier({ resolver }).verifyCredential(shown, {
      audience: AUD,
      challenge: CHALLENGE,
      expectedSubject: did,
      now: NOW,
    });
  }

  it('skips a null entry and still finds the key', async () => {
    const report = await verifyWith([kid, null, 42, {}]);
    expect(codes(report)).toEqual([]);
  });

  it('reports a non-array authentication as ERR_DID_UNRESOLVABLE', async () => {
    expect(codes(await verifyWith('oops'))).toEqual(['ERR_DID_UNRESOLVABLE']);
  });
});

describe('SD-JWT disclosures', () => {
  /** A chain of `links` disclosures, each nesting the next `nest` arrays deep. */
  async function chain(links: number, nest: number): Promise<string> {
    const discs: string[] = [];
    let next: string | null = null;
    for (let i = 0; i < links; i++) {
      const inner = next === null ? '{}' : `{"_sd":["${next}"]}`;
      const d = b64(`["s${i}","a",${'['.repeat(nest)}${inner}${']'.repeat(nest)}]`);
      discs.push(d);
      next = digest(d);
    }
    const jwt = await signed(centre.signingKey, 'dc+sd-jwt', {
      iss: centre.did,
      iat: T / 1000 - 60,
      _sd: [next!],
    });
    return `${jwt}~${discs.join('~')}~`;
  }

  it('refuses a chain nested deeper than LIMITS.maxJsonDepth in total, without overflowing the stack', async () => {
    const token = await chain(200, 28);
    const report = await createVerifier().verifyCredential(token, { now: NOW });
    expect(report.credentials[0]!.checks.find((c) => c.name === 'disclosure')?.code).toBe(
      'ERR_DISCLOSURE_INVALID',
    );
    const direct = await verifySdJwt(token, { issuerKey: centre.publicKey, now: NOW });
    expect(direct.problems.disclosure.map((p) => p.code)).toContain('ERR_DISCLOSURE_INVALID');
  });

  it('refuses more than 256 disclosures with ERR_INPUT_TOO_LARGE', async () => {
    const report = await createVerifier().verifyCredential(await chain(300, 0), { now: NOW });
    expect(codes(report)).toEqual(['ERR_INPUT_TOO_LARGE']);
  });

  it('refuses a disclosed member of status or cnf (a withheld one would un-revoke or re-key)', async () => {
    const d = b64(['c2FsdHNhbHRzYWx0', 'bitstring_status_list', statusEntry()]);
    const jwt = await signed(centre.signingKey, 'dc+sd-jwt', {
      iss: centre.did,
      iat: T / 1000 - 60,
      status: { _sd: [digest(d)] },
    });
    const result = await verifySdJwt(`${jwt}~${d}~`, { issuerKey: centre.publicKey, now: NOW });
    expect(result.disclosed).toEqual(['status.bitstring_status_list']);
    const report = await createVerifier().verifyCredential(`${jwt}~${d}~`, { now: NOW });
    expect(report.credentials[0]!.checks.find((c) => c.name === 'disclosure')?.code).toBe(
      'ERR_DISCLOSURE_INVALID',
    );
  });
});

describe('duplicates and envelopes', () => {
  it('catches an ES256 credential presented twice with (r, s) and (r, n - s)', async () => {
    const p256 = makeIdentity('P-256');
    const token = await credential(p256);
    const [h, p, s] = token.split('.');
    const sig = Buffer.from(s!, 'base64url');
    const n = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    const high = n - BigInt(`0x${sig.subarray(32).toString('hex')}`);
    const twin = `${h}.${p}.${Buffer.concat([sig.subarray(0, 32), Buffer.from(high.toString(16).padStart(64, '0'), 'hex')]).toString('base64url')}`;
    const verifier = createVerifier();
    expect((await verifier.verifyCredential(twin, { now: NOW })).credentials[0]!.checks[1]).toMatchObject({
      name: 'signature',
      ok: true,
    });
    const report = await verifier.verifyPassport(await passport([token, twin]), {
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(codes(report)).toEqual(['ERR_DUPLICATE_CREDENTIAL']);
  });

  it('refuses an envelope whose media type is not the token format', async () => {
    const shown = await presentSdJwtCredential(await sdJwt(), {
      audience: AUD,
      challenge: CHALLENGE,
      signingKey: worker.signingKey,
      now: NOW,
    });
    const plain = await credential();
    const vp = await signCompactJws(
      { typ: 'vp+jwt', kid: worker.signingKey.keyId },
      {
        '@context': [VC_V2_CONTEXT],
        type: ['VerifiablePresentation'],
        holder: worker.did,
        verifiableCredential: [
          {
            '@context': [VC_V2_CONTEXT],
            type: 'EnvelopedVerifiableCredential',
            id: `data:application/vc+jwt,${shown}`,
          },
          {
            '@context': [VC_V2_CONTEXT],
            type: 'EnvelopedVerifiableCredential',
            id: `data:application/dc+sd-jwt,${plain}`,
          },
          {
            '@context': [VC_V2_CONTEXT],
            type: 'EnvelopedVerifiableCredential',
            id: `data:application/vc+jwt,${plain}`,
          },
        ],
        aud: AUD,
        nonce: CHALLENGE,
        iat: T / 1000,
      },
      worker.signingKey,
    );
    const report = await createVerifier().verifyPassport(vp, {
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(report.credentials.map((c) => c.checks[0])).toEqual([
      expect.objectContaining({ name: 'format', code: 'ERR_MALFORMED' }),
      expect.objectContaining({ name: 'format', code: 'ERR_MALFORMED' }),
      { name: 'format', ok: true },
    ]);
    expect(report.credentials[2]!.verified).toBe(true);
  });
});

describe('characters outside the token alphabet in an SD-JWT envelope', () => {
  it('are refused by the format check (the passport schema checks only the prefix)', async () => {
    const shown = await presentSdJwtCredential(await sdJwt(), {
      audience: AUD,
      challenge: CHALLENGE,
      signingKey: worker.signingKey,
      now: NOW,
    });
    const tilde = shown.lastIndexOf('~');
    for (const bad of [' ', '+', '/', '=', '%', '\n', 'é', '!']) {
      // in the issuer JWT (header, signature), in the key-binding JWT, at the very end
      for (const at of [1, tilde - 1, tilde + 2, shown.length]) {
        const token = `${shown.slice(0, at)}${bad}${shown.slice(at)}`;
        const vp = await signCompactJws(
          { typ: 'vp+jwt', kid: worker.signingKey.keyId },
          {
            '@context': [VC_V2_CONTEXT],
            type: ['VerifiablePresentation'],
            holder: worker.did,
            verifiableCredential: [
              {
                '@context': [VC_V2_CONTEXT],
                type: 'EnvelopedVerifiableCredential',
                id: `data:application/dc+sd-jwt,${token}`,
              },
            ],
            aud: AUD,
            nonce: CHALLENGE,
            iat: T / 1000,
          },
          worker.signingKey,
        );
        const report = await createVerifier().verifyPassport(vp, {
          audience: AUD,
          challenge: CHALLENGE,
          now: NOW,
        });
        expect(report.verified).toBe(false);
        expect(report.credentials[0]!.verified).toBe(false);
        expect(report.credentials[0]!.checks.find((c) => !c.ok)).toMatchObject(
          at < tilde
            ? { name: 'format', code: 'ERR_MALFORMED' }
            : { name: 'disclosure', code: 'ERR_KEY_BINDING_INVALID' },
        );
      }
    }
  });
});

describe('per-call options', () => {
  it('throws ERR_INVALID_OPTIONS for a NaN maxAgeSeconds or an invalid now', async () => {
    const verifier = createVerifier();
    const vp = await passport([await credential()]);
    const base = { audience: AUD, challenge: CHALLENGE };
    expect(await thrownCode(() => verifier.verifyPassport(vp, { ...base, maxAgeSeconds: Number.NaN }))).toBe(
      'ERR_INVALID_OPTIONS',
    );
    expect(await thrownCode(() => verifier.verifyPassport(vp, { ...base, now: new Date('nope') }))).toBe(
      'ERR_INVALID_OPTIONS',
    );
    expect(await thrownCode(() => verifier.verifyCredential('x', { now: new Date(Number.NaN) }))).toBe(
      'ERR_INVALID_OPTIONS',
    );
    expect(await thrownCode(() => verifier.verifyCredential('x', { maxAgeSeconds: -1 }))).toBe(
      'ERR_INVALID_OPTIONS',
    );
  });

  it('applies maxAgeSeconds to a lone SD-JWT key binding', async () => {
    const shown = await presentSdJwtCredential(await sdJwt(), {
      audience: AUD,
      challenge: CHALLENGE,
      signingKey: worker.signingKey,
      now: new Date(T - 600_000),
    });
    const verifier = createVerifier();
    const opts = { audience: AUD, challenge: CHALLENGE, now: NOW };
    expect(codes(await verifier.verifyCredential(shown, { ...opts, maxAgeSeconds: 60 }))).toEqual([
      'ERR_PRESENTATION_EXPIRED',
    ]);
    expect(codes(await verifier.verifyCredential(shown, { ...opts, maxAgeSeconds: 3600 }))).toEqual([]);
  });

  it('lists binding as skipped for a lone credential without expectedSubject', async () => {
    const report = await createVerifier().verifyCredential(await credential(), { now: NOW });
    expect(report.credentials[0]!.checks.at(-1)).toMatchObject({ name: 'binding', skipped: true });
    const sd = await createVerifier().verifyCredential(await sdJwt(), { now: NOW });
    expect(sd.credentials[0]!.checks.at(-1)).toMatchObject({ name: 'binding', skipped: true });
  });
});

describe('status and trust seams', () => {
  it('fetches nothing for a forged credential, with status and trust configured', async () => {
    const fetch = staticFetch();
    const token = await credential(centre, [statusEntry()]);
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${b64('x'.repeat(64))}`;
    const verifier = createVerifier({
      status: createStatusChecker({ fetch }),
      trust: await loadTrustRegistry(registryFor(centre.did)),
      resolverOptions: { fetch },
    });
    const report = await verifier.verifyPassport(await passport([forged]), {
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(codes(report)).toContain('ERR_SIGNATURE_INVALID');
    expect(fetch.calls).toEqual([]);
  });

  it('runs trust before status: an issuer the registry does not know fetches no list', async () => {
    const fetch = staticFetch({ [LIST_URL]: await statusList(mallory) });
    const verifier = createVerifier({
      status: createStatusChecker({ fetch }),
      trust: await loadTrustRegistry(registryFor(centre.did)),
    });
    const report = await verifier.verifyCredential(await credential(mallory, [statusEntry()]), { now: NOW });
    const checks = report.credentials[0]!.checks;
    expect(checks.find((c) => c.name === 'trust')?.code).toBe('ERR_ISSUER_UNTRUSTED');
    expect(checks.find((c) => c.name === 'status')).toMatchObject({ skipped: true });
    expect(fetch.calls).toEqual([]);
  });

  it('checks at most 4 status entries per credential', async () => {
    const fetch = staticFetch();
    const entries = [1, 2, 3, 4, 5].map((i) => statusEntry(`https://centre.example/status/${i}`));
    const result = await createStatusChecker({ fetch }).check({
      issuer: centre.did,
      credential: { credentialStatus: entries },
      now: NOW,
      resolver: createDidResolver(),
    });
    expect(result.problems.map((p) => p.code)).toEqual(['ERR_MALFORMED']);
    expect(fetch.calls).toEqual([]);
  });

  it('keeps cached lists under maxCacheBytes: an evicted list is fetched again', async () => {
    const urls = ['https://centre.example/status/a', 'https://centre.example/status/b'];
    const map = Object.fromEntries(
      await Promise.all(urls.map(async (u) => [u, await statusList(centre, u)])),
    );
    const check = (checker: StatusChecker, url: string) =>
      checker.check({
        issuer: centre.did,
        credential: { credentialStatus: statusEntry(url) },
        now: new Date(),
        resolver: createDidResolver(),
      });
    for (const [maxCacheBytes, expected] of [
      [20_000, 3],
      [40_000, 2],
    ] as const) {
      const fetch = staticFetch(map);
      const checker = createStatusChecker({ fetch, maxCacheBytes });
      for (const url of [urls[0]!, urls[1]!, urls[0]!])
        expect((await check(checker, url)).problems).toEqual([]);
      expect(fetch.calls.length).toBe(expected);
    }
  });

  // Redirects and body caps of the status-list fetch are the outbound door's: tested on real
  // sockets in status-network.test.ts and packages/net/test/outbound-fetch.test.ts.

  it("applies the verifier's algorithms and skew to a status list: wrong alg or future validFrom is unavailable", async () => {
    const checker = (list: string) => createStatusChecker({ fetch: staticFetch({ [LIST_URL]: list }) });
    const context = {
      issuer: centre.did,
      credential: { credentialStatus: statusEntry() },
      now: NOW,
      resolver: createDidResolver(),
    };
    const current = await statusList(centre, LIST_URL, new Date(T - 60_000));
    expect((await checker(current).check(context)).problems).toEqual([]);
    expect(
      (await checker(current).check({ ...context, algorithms: ['ES256'] })).problems.map((p) => p.code),
    ).toEqual(['ERR_STATUS_UNAVAILABLE']);
    const future = await statusList(centre, LIST_URL, new Date(T + 3_600_000));
    expect((await checker(future).check(context)).problems.map((p) => p.code)).toEqual([
      'ERR_STATUS_UNAVAILABLE',
    ]);
    expect((await checker(future).check({ ...context, clockSkewSeconds: 7200 })).problems).toEqual([]);
    // Through the verifier: a credential whose list is dated in the future fails its status check.
    const verifier = createVerifier({ status: checker(future) });
    const report = await verifier.verifyCredential(await credential(centre, [statusEntry()]), { now: NOW });
    expect(codes(report)).toEqual(['ERR_STATUS_UNAVAILABLE']);
  });

  it('turns a throwing custom status checker or trust policy into a failed check', async () => {
    const status: StatusChecker = {
      check: async () => {
        throw new Error('boom');
      },
    };
    const trust: TrustPolicy = {
      check: () => {
        throw new Error('boom');
      },
    };
    const token = await credential(centre, [statusEntry()]);
    const onlyStatus = await createVerifier({ status }).verifyPassport(await passport([token]), {
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(codes(onlyStatus)).toEqual(['ERR_STATUS_UNAVAILABLE']);
    const onlyTrust = await createVerifier({ trust }).verifyCredential(token, { now: NOW });
    expect(codes(onlyTrust)).toEqual(['ERR_ISSUER_UNTRUSTED']);
  });
});

describe('trust registry loading', () => {
  const owner = makeIdentity();
  const resolver = createDidResolver();

  it('merges the accreditations of a centre listed twice', async () => {
    const other = 'http://data.europa.eu/esco/skill/68b6ef08-d823-489d-a95c-752ae6f6e6a7';
    const registry = registryFor(centre.did);
    const again = registryFor(centre.did).assessmentCentres[0]!;
    again.accreditations[0]!.skills = [other];
    registry.assessmentCentres.push({ ...again, name: 'Again' });
    const policy = await loadTrustRegistry(registry);
    for (const uri of [CNC_ASSESSMENTS[0]!.skill.uri, other]) {
      const skill = { uri, name: 'x', level: 3, alignments: [] };
      const result = await policy.check({
        issuer: centre.did,
        skill,
        validFrom: '2027-01-01T00:00:00Z',
        now: NOW,
      });
      expect(result.problems).toEqual([]);
    }
  });

  async function signRegistry(extra: JsonObject, alg: TestIdentity = owner): Promise<string> {
    const registry = registryFor(centre.did);
    registry.schemeOwner.id = alg.did;
    return signCompactJws(
      { typ: 'vc+jwt' },
      {
        '@context': [VC_V2_CONTEXT],
        type: ['VerifiableCredential', 'TrustRegistryCredential'],
        issuer: alg.did,
        validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: registry as unknown as JsonObject,
        ...extra,
      },
      alg.signingKey,
    );
  }

  it('refuses a signed credential that is not a TrustRegistryCredential, or with unreadable dates', async () => {
    const load = async (token: string, algorithms?: ['ES256']) =>
      thrownCode(() =>
        loadTrustRegistry(token, { resolver, now: NOW, ...(algorithms ? { algorithms } : {}) }),
      );
    expect(await load(await signRegistry({}))).toBe('none');
    expect(
      await load(await signRegistry({ type: ['VerifiableCredential', 'BitstringStatusListCredential'] })),
    ).toBe('ERR_MALFORMED');
    expect(await load(await signRegistry({ validUntil: 'soon' }))).toBe('ERR_MALFORMED');
    expect(await load(await signRegistry({ validFrom: 12 }))).toBe('ERR_MALFORMED');
    expect(await load(await signRegistry({ exp: -1e13 }))).toBe('ERR_MALFORMED');
    expect(await load(await signRegistry({}), ['ES256'])).toBe('ERR_ALG_NOT_ALLOWED');
  });
});
