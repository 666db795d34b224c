/**
 * One time-window rule everywhere (`exp` equal to now is expired, RFC 7519 §4.1.4) and the
 * refusal branches of issue 10 that had no test: SD-JWT `nbf`/`iat` ahead, `_sd_alg`, key-binding
 * `alg: none` and `typ`, a status list past its `validUntil`, an unsupported status type under
 * fail-open, a trust registry not yet valid.
 */
import { createHash } from 'node:crypto';
import {
  createBitstring,
  createDidResolver,
  type ErrorCode,
  isSkillpassError,
  type JsonObject,
  publicJwkOf,
  signCompactJws,
  VC_V2_CONTEXT,
} from '@skillpass/core';
import { createPassport } from '@skillpass/holder';
import { buildStatusListCredential, issueSkillCredential, signStatusListCredential } from '@skillpass/issuer';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createStatusChecker, createVerifier, loadTrustRegistry, verifySdJwt } from '../src/index.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const SECONDS = NOW.getTime() / 1000;
const centre = makeIdentity();
const worker = makeIdentity();
const strict = createVerifier({ clockSkewSeconds: 0 });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const codes = (problems: readonly { code: ErrorCode }[]) => problems.map((p) => p.code);

describe('credentials and passports: exp equal to now is expired', () => {
  const issueUntil = async (validUntil: string) =>
    (
      await issueSkillCredential(
        { ...CNC_ASSESSMENTS[0]!, validFrom: '2026-10-13T09:00:00Z', validUntil },
        {
          issuer: { did: centre.did, name: 'Centre' },
          subject: worker.did,
          signingKey: centre.signingKey,
          now: new Date('2026-10-13T09:00:00Z'),
        },
      )
    ).token;

  it('a vc+jwt whose validUntil (and exp) is now fails ERR_EXPIRED; a second later it verifies', async () => {
    const atNow = await issueUntil(NOW.toISOString());
    expect(codes((await strict.verifyCredential(atNow, { now: NOW })).problems)).toEqual(['ERR_EXPIRED']);
    const later = await issueUntil(new Date(NOW.getTime() + 1000).toISOString());
    expect((await strict.verifyCredential(later, { now: NOW })).verified).toBe(true);
  });

  it('a passport whose exp is now, or whose iat is exactly maxAge old, has expired', async () => {
    const credential = await issueUntil('2030-01-01T00:00:00Z');
    const passport = (now: Date, expiresInSeconds: number) =>
      createPassport({
        holder: { did: worker.did, signingKey: worker.signingKey },
        credentials: [credential],
        audience: 'https://jobs.example',
        challenge: 'c',
        now,
        expiresInSeconds,
      });
    const opts = { audience: 'https://jobs.example', challenge: 'c', now: NOW, maxAgeSeconds: 600 };
    const expAtNow = await passport(new Date(NOW.getTime() - 300_000), 300);
    expect(codes((await strict.verifyPassport(expAtNow, opts)).problems)).toEqual([
      'ERR_PRESENTATION_EXPIRED',
    ]);
    const maxAgeOld = await passport(new Date(NOW.getTime() - 600_000), 3600);
    expect(codes((await strict.verifyPassport(maxAgeOld, opts)).problems)).toEqual([
      'ERR_PRESENTATION_EXPIRED',
    ]);
    const fresh = await passport(new Date(NOW.getTime() - 599_000), 3600);
    expect((await strict.verifyPassport(fresh, opts)).verified).toBe(true);
  });
});

/** An SD-JWT (no disclosures) with the given claims, then the key-binding JWT `kb` (or none). */
async function sdJwt(claims: JsonObject, kb?: { header?: JsonObject; payload?: JsonObject; raw?: string }) {
  const jwt = await signCompactJws(
    { typ: 'dc+sd-jwt' },
    {
      vct: 'https://skillpass.dev/vct/skill/v1',
      iss: centre.did,
      sub: worker.did,
      iat: SECONDS - 3600,
      cnf: { jwk: publicJwkOf(worker.publicKey) },
      _sd_alg: 'sha-256',
      ...claims,
    },
    centre.signingKey,
  );
  const presented = `${jwt}~`;
  if (kb === undefined) return presented;
  if (kb.raw !== undefined) return `${presented}${kb.raw}`;
  const sd_hash = createHash('sha256').update(presented, 'ascii').digest('base64url');
  const token = await signCompactJws(
    kb.header ?? { typ: 'kb+jwt' },
    { aud: 'https://jobs.example', nonce: 'n', iat: SECONDS, sd_hash, ...kb.payload },
    worker.signingKey,
  );
  return `${presented}${token}`;
}

const verify = (token: string, opts: { required?: boolean; maxAgeSeconds?: number } = {}) =>
  verifySdJwt(token, {
    issuerKey: centre.publicKey,
    now: NOW,
    clockSkewSeconds: 0,
    keyBinding: {
      required: opts.required ?? false,
      audience: 'https://jobs.example',
      nonce: 'n',
      ...(opts.maxAgeSeconds !== undefined ? { maxAgeSeconds: opts.maxAgeSeconds } : {}),
    },
  });

describe('SD-JWT refusal branches', () => {
  it('a valid SD-JWT with its key binding verifies (the baseline the cases below change)', async () => {
    expect((await verify(await sdJwt({}, {}), { required: true })).verified).toBe(true);
  });

  it('nbf in the future → ERR_NOT_YET_VALID at /nbf', async () => {
    const result = await verify(await sdJwt({ nbf: SECONDS + 1 }));
    expect(result.problems.validity).toEqual([
      expect.objectContaining({ code: 'ERR_NOT_YET_VALID', path: '/nbf' }),
    ]);
  });

  it('iat in the future → ERR_NOT_YET_VALID at /iat', async () => {
    const result = await verify(await sdJwt({ iat: SECONDS + 1 }));
    expect(result.problems.validity).toEqual([
      expect.objectContaining({ code: 'ERR_NOT_YET_VALID', path: '/iat' }),
    ]);
  });

  it('exp equal to now → ERR_EXPIRED; one second later it verifies', async () => {
    expect(codes((await verify(await sdJwt({ exp: SECONDS }))).problems.validity)).toEqual(['ERR_EXPIRED']);
    expect((await verify(await sdJwt({ exp: SECONDS + 1 }))).verified).toBe(true);
  });

  it('_sd_alg other than sha-256 → ERR_ALG_NOT_ALLOWED (format), nothing else looked at', async () => {
    for (const alg of ['sha-512', 'SHA-256', 'md5', 256]) {
      const result = await verify(await sdJwt({ _sd_alg: alg }));
      expect(result.verified).toBe(false);
      expect(codes(result.problems.format)).toEqual(['ERR_ALG_NOT_ALLOWED']);
      expect(result.claims).toBeNull();
    }
  });

  it('a key-binding JWT with alg none → ERR_KEY_BINDING_INVALID', async () => {
    const presented = await sdJwt({});
    const sd_hash = createHash('sha256').update(presented, 'ascii').digest('base64url');
    const none = `${b64({ alg: 'none', typ: 'kb+jwt' })}.${b64({ aud: 'https://jobs.example', nonce: 'n', iat: SECONDS, sd_hash })}.`;
    const result = await verify(await sdJwt({}, { raw: none }), { required: true });
    expect(codes(result.problems.keyBinding)).toEqual(['ERR_KEY_BINDING_INVALID']);
    expect(result.verified).toBe(false);
  });

  it('a key-binding JWT with the wrong typ (JWT, vc+jwt, none) → ERR_KEY_BINDING_INVALID', async () => {
    for (const header of [{ typ: 'JWT' }, { typ: 'vc+jwt' }, {}] as JsonObject[]) {
      const result = await verify(await sdJwt({}, { header }), { required: true });
      expect(codes(result.problems.keyBinding)).toEqual(['ERR_KEY_BINDING_INVALID']);
    }
  });

  it('a key-binding JWT exactly maxAge old → ERR_PRESENTATION_EXPIRED; in the future → ERR_KEY_BINDING_INVALID', async () => {
    const old = await verify(await sdJwt({}, { payload: { iat: SECONDS - 600 } }), { maxAgeSeconds: 600 });
    expect(codes(old.problems.keyBinding)).toEqual(['ERR_PRESENTATION_EXPIRED']);
    const ahead = await verify(await sdJwt({}, { payload: { iat: SECONDS + 1 } }));
    expect(codes(ahead.problems.keyBinding)).toEqual(['ERR_KEY_BINDING_INVALID']);
  });
});

describe('status list and trust registry windows', () => {
  const LIST_URL = 'https://centre.example/status/1';
  const entry = (type = 'BitstringStatusListEntry'): JsonObject => ({
    id: `${LIST_URL}#1`,
    type,
    statusPurpose: 'revocation',
    statusListIndex: '1',
    statusListCredential: LIST_URL,
  });
  const context = (status: JsonObject) => ({
    issuer: centre.did,
    credential: { '@context': [VC_V2_CONTEXT], issuer: centre.did, credentialStatus: status },
    now: NOW,
    resolver: createDidResolver(),
    clockSkewSeconds: 0,
  });
  const list = (validUntil: string) =>
    signStatusListCredential(
      {
        ...buildStatusListCredential({
          url: LIST_URL,
          issuer: centre.did,
          purpose: 'revocation',
          bits: createBitstring(),
          now: new Date('2027-01-01T00:00:00Z'),
        }),
        validUntil,
      } as ReturnType<typeof buildStatusListCredential>,
      centre.signingKey,
    );

  it('a status list past its validUntil, or ending now → ERR_STATUS_UNAVAILABLE, also under fail-open', async () => {
    for (const validUntil of ['2027-02-01T00:00:00Z', NOW.toISOString()]) {
      for (const onUnavailable of ['fail-closed', 'fail-open'] as const) {
        const checker = createStatusChecker({ fetch: false, lists: [await list(validUntil)], onUnavailable });
        const result = await checker.check(context(entry()));
        expect(codes(result.problems)).toEqual(['ERR_STATUS_UNAVAILABLE']);
        expect(result.failedOpen).toBeUndefined();
      }
    }
    const current = createStatusChecker({ fetch: false, lists: [await list('2027-03-01T12:00:01Z')] });
    expect((await current.check(context(entry()))).problems).toEqual([]);
  });

  it('an unsupported status type: ERR_STATUS_UNAVAILABLE fail-closed; under fail-open it passes, excused and noted', async () => {
    const closed = await createStatusChecker({ fetch: false }).check(context(entry('RevocationList2099')));
    expect(codes(closed.problems)).toEqual(['ERR_STATUS_UNAVAILABLE']);
    const open = await createStatusChecker({ fetch: false, onUnavailable: 'fail-open' }).check(
      context(entry('RevocationList2099')),
    );
    expect(open.problems).toEqual([]);
    expect(codes(open.failedOpen ?? [])).toEqual(['ERR_STATUS_UNAVAILABLE']);
    expect(open.message).toMatch(/fail-open/);
  });

  it('a trust registry not yet valid → ERR_NOT_YET_VALID; one ending now → ERR_EXPIRED', async () => {
    const owner = makeIdentity();
    const registry = (extra: JsonObject) =>
      signCompactJws(
        { typ: 'vc+jwt' },
        {
          '@context': [VC_V2_CONTEXT],
          type: ['VerifiableCredential', 'TrustRegistryCredential'],
          issuer: owner.did,
          validFrom: '2026-01-01T00:00:00Z',
          credentialSubject: { schemeOwner: { id: owner.did, name: 'Board' }, assessmentCentres: [] },
          ...extra,
        },
        owner.signingKey,
      );
    const thrown = async (token: string) => {
      try {
        await loadTrustRegistry(token, { resolver: createDidResolver(), now: NOW, clockSkewSeconds: 0 });
      } catch (err) {
        return isSkillpassError(err) ? err.code : String(err);
      }
      return 'loaded';
    };
    expect(await thrown(await registry({ validFrom: '2027-03-01T12:00:01Z' }))).toBe('ERR_NOT_YET_VALID');
    expect(await thrown(await registry({ nbf: SECONDS + 1 }))).toBe('ERR_NOT_YET_VALID');
    expect(await thrown(await registry({ validUntil: NOW.toISOString() }))).toBe('ERR_EXPIRED');
    expect(await thrown(await registry({ validUntil: '2027-03-01T12:00:01Z' }))).toBe('loaded');
  });
});
