import type { KeyObject } from 'node:crypto';
import {
  type CheckResult,
  type DidResolver,
  type KeyResult,
  keyTypeOfJwk,
  type ProblemCode,
  parseCompactJws,
  publicKeyFromJwk,
  verifyJwsSignature,
} from '@skillpass/core';
import { describe, expect, it } from 'vitest';
import { readVector, readVectorJson } from '../../../test-support/vectors.js';
import { createVerifier } from '../src/index.js';

/**
 * The JOSE verification fixtures of the W3C VC-JOSE-COSE test suite. They are generic example
 * credentials (not skill credentials) issued by `https://example.issuer/vc-jose-cose`, an HTTPS
 * controller document rather than a DID, with a bare JWK thumbprint as `kid`.
 */
const DIR = 'w3c-vc-jose-cose-test-suite';
const CONTROLLER = 'https://example.issuer/vc-jose-cose';

interface VerificationMethodFixture {
  id: string;
  controller: string;
  publicKeyJwk: { kid: string; [k: string]: unknown };
}
interface ManifestTest {
  n: number;
  name: string;
  input: string;
  fn: 'issue' | 'verify';
  feature: string;
  expected: 'success' | 'failure';
}

const methods = ['vm-ed25519.json', 'vm-did-ed25519.json', 'vm-p256.json'].map((f) =>
  readVectorJson<VerificationMethodFixture>(`${DIR}/input/${f}`),
);
/** The fixtures name their key by JWK thumbprint (`kid`), not by the file the mapping names (manifest note). */
function keyForKid(kid: unknown): KeyObject {
  const vm = methods.find((m) => m.publicKeyJwk.kid === kid);
  if (vm === undefined) throw new Error(`no fixture key for kid ${String(kid)}`);
  return publicKeyFromJwk(vm.publicKeyJwk);
}

/**
 * A DidResolver over the suite's controller document: the keys listed in vm-*.json for
 * `https://example.issuer/vc-jose-cose`, found by the header kid. It stands in for fetching that
 * controller document, which the suite does not publish.
 */
const controllerResolver: DidResolver = {
  async resolve(did) {
    return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `not a fixture controller: ${did}` };
  },
  async resolveKey(keyId, controller): Promise<KeyResult> {
    const vm = methods.find((m) => m.publicKeyJwk.kid === keyId && m.controller === controller);
    const type = vm && keyTypeOfJwk(vm.publicKeyJwk);
    if (vm === undefined || type === undefined)
      return { ok: false, code: 'ERR_KEY_NOT_FOUND', message: `no key ${keyId} for ${controller}` };
    return { ok: true, key: publicKeyFromJwk(vm.publicKeyJwk), type, keyId: vm.id };
  },
};
const verifier = createVerifier({ resolver: controllerResolver });

type Expectation = {
  /** Outcome of parseCompactJws: ok, or the code it fails with. */
  parse: 'ok' | 'ERR_MALFORMED' | 'ERR_ALG_NOT_ALLOWED';
  /** Outcome of verifyJwsSignature with the fixture key, when the token parses. */
  signature?: boolean;
  /** The named checks the verifier reports (credential checks, or the passport's own checks). */
  checks: Pick<CheckResult, 'name' | 'ok' | 'code' | 'skipped'>[];
  /** Passports: the checks of each credential in it. */
  credentialChecks?: Pick<CheckResult, 'name' | 'ok' | 'code'>[][];
};

const passed = (name: CheckResult['name']) => ({ name, ok: true });
const skipped = (name: CheckResult['name']) => ({ name, ok: true, skipped: true });
const failed = (name: CheckResult['name'], code: CheckResult['code']) => ({ name, ok: false, code });

/** Every JOSE verification fixture of the suite, with what skillpass must make of it. */
const EXPECTED: Record<string, Expectation> = {
  // 8: valid EdDSA signature; a plain VC (no badge): verifies as a credential with no skill.
  'credential-issuer-match-signed.txt': {
    parse: 'ok',
    signature: true,
    checks: [
      passed('format'),
      passed('signature'),
      passed('schema'),
      passed('validity'),
      skipped('trust'),
      skipped('status'),
      skipped('binding'),
    ],
  },
  // 6: the same credential signed with ES256 (P-256).
  'credential-jose-minimal.txt': {
    parse: 'ok',
    signature: true,
    checks: [
      passed('format'),
      passed('signature'),
      passed('schema'),
      passed('validity'),
      skipped('trust'),
      skipped('status'),
      skipped('binding'),
    ],
  },
  // 12
  'credential-jose-bad-signature.txt': {
    parse: 'ok',
    signature: false,
    checks: [
      passed('format'),
      failed('signature', 'ERR_SIGNATURE_INVALID'),
      passed('schema'),
      passed('validity'),
      skipped('trust'),
      skipped('status'),
      skipped('binding'),
    ],
  },
  // 13: typ bad+typ
  'credential-jose-bad-media-type.txt': {
    parse: 'ERR_MALFORMED',
    checks: [failed('format', 'ERR_MALFORMED')],
  },
  // 15: a correctly signed vc+jwt carrying vc and vp claims is malformed (VC-JOSE-COSE §3.1.1).
  'credential-jose-vc-vp-claims.txt': {
    parse: 'ok',
    signature: true,
    checks: [failed('format', 'ERR_MALFORMED')],
  },
  // 9: ES512 is outside our allow-list; the expected failure comes from the algorithm.
  'credential-jose-unknown-extensions.txt': {
    parse: 'ERR_ALG_NOT_ALLOWED',
    checks: [failed('format', 'ERR_ALG_NOT_ALLOWED')],
  },
  // 10: an unsecured credential (JSON, no JWS) is not accepted as a token.
  'credential-minimal.json': { parse: 'ERR_MALFORMED', checks: [failed('format', 'ERR_MALFORMED')] },
  // 14: typ bad+typ on a presentation
  'presentation-jose-bad-media-type.txt': {
    parse: 'ERR_MALFORMED',
    checks: [failed('format', 'ERR_MALFORMED')],
  },
  // 16: holder signature valid; its one entry (`id: not-a-credential`) is no enveloped credential.
  'presentation-jose-bad-credential.txt': {
    parse: 'ok',
    signature: true,
    checks: [
      passed('format'),
      passed('signature'),
      failed('schema', 'ERR_SCHEMA_INVALID'),
      { name: 'presentation', ok: true },
    ],
    credentialChecks: [[failed('format', 'ERR_MALFORMED')]],
  },
  // 7: ES384 is outside our allow-list.
  'presentation-jose-multiple.txt': {
    parse: 'ERR_ALG_NOT_ALLOWED',
    checks: [failed('format', 'ERR_ALG_NOT_ALLOWED')],
  },
  // 11: an unsecured presentation
  'presentation-single.json': { parse: 'ERR_MALFORMED', checks: [failed('format', 'ERR_MALFORMED')] },
};

/** Success fixtures of the suite that skillpass refuses by its algorithm allow-list (ES384). */
const REFUSED_BY_ALG_POLICY = new Set(['presentation-jose-multiple.txt']);

const manifest = readVectorJson<{ tests: ManifestTest[] }>(`${DIR}/manifest.json`);
const joseVerifyTests = manifest.tests.filter(
  (t) => t.fn === 'verify' && (t.feature === 'credential_jose' || t.feature === 'presentation_jose'),
);
const isPresentation = (t: ManifestTest) => t.feature === 'presentation_jose';
/** A minute after the bad-credential presentation fixture's iat (15 December 2024). */
const PRESENTATION_TIME = new Date((1734223620 + 60) * 1000);

const strip = (checks: CheckResult[]) =>
  checks.map(({ name, ok, code, skipped }) => ({
    name,
    ok,
    ...(code !== undefined ? { code } : {}),
    ...(skipped ? { skipped } : {}),
  }));

describe('W3C VC-JOSE-COSE test suite, JOSE verification fixtures', () => {
  it('covers every JOSE verification test of the manifest', () => {
    expect(joseVerifyTests.map((t) => t.input).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(joseVerifyTests)('$name ($input, expected $expected)', (test) => {
    const token = readVector(`${DIR}/input/${test.input}`).trim();
    const expected = EXPECTED[test.input]!;
    const typ = isPresentation(test) ? ['vp+jwt'] : ['vc+jwt'];

    it('parses as core expects, and the signature verifies (or not) with the fixture key', () => {
      const parsed = parseCompactJws(token, { maxBytes: 64 * 1024, typ });
      if (expected.parse !== 'ok') {
        expect(parsed).toMatchObject({ ok: false, problem: { code: expected.parse } });
        return;
      }
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(verifyJwsSignature(parsed.jws, keyForKid(parsed.jws.header.kid))).toBe(expected.signature);
    });

    it('is reported by the verifier with exactly these checks', async () => {
      const report = isPresentation(test)
        ? await verifier.verifyPassport(token, {
            allowAnyAudience: true,
            allowAnyChallenge: true,
            now: PRESENTATION_TIME,
          })
        : await verifier.verifyCredential(token);
      // Judged as the suite's manifest expects, except where skillpass's algorithm policy
      // (EdDSA, ES256) refuses the suite's ES384 fixture: see docs/design-notes.md.
      expect(report.verified).toBe(test.expected === 'success' && !REFUSED_BY_ALG_POLICY.has(test.input));
      const checks = isPresentation(test) ? report.checks : report.credentials[0]!.checks;
      expect(strip(checks)).toEqual(expected.checks);
      if (expected.credentialChecks !== undefined) {
        expect(report.credentials.map((c) => strip(c.checks))).toEqual(expected.credentialChecks);
      }
      if (expected.parse === 'ok' && expected.checks[0]?.ok) {
        expect(isPresentation(test) ? report.holder : report.credentials[0]!.issuer).toBe(CONTROLLER);
      }
      const schema = checks.find((c) => c.name === 'schema');
      if (schema?.ok === false) {
        expect(
          report.problems
            .filter((p) => p.code === 'ERR_SCHEMA_INVALID')
            .every((p) => p.path?.startsWith('/')),
        ).toBe(true);
      }
    });
  });

  it('accepts the Ed25519 fixture signature only under its own key', () => {
    const parsed = parseCompactJws(readVector(`${DIR}/input/credential-issuer-match-signed.txt`).trim(), {
      maxBytes: 64 * 1024,
      typ: ['vc+jwt'],
    });
    if (!parsed.ok) throw new Error('fixture does not parse');
    const p256 = methods.find((m) => m.publicKeyJwk.kty === 'EC')!;
    expect(verifyJwsSignature(parsed.jws, publicKeyFromJwk(p256.publicKeyJwk))).toBe(false);
    const flipped = { ...parsed.jws, signingInput: `${parsed.jws.signingInput}x` };
    expect(verifyJwsSignature(flipped, keyForKid(parsed.jws.header.kid))).toBe(false);
  });
});

describe('W3C VC-JOSE-COSE test suite, SD-JWT verification fixtures (20–26)', () => {
  // The manifest is right: fixtures 20–22 are valid VC-JOSE-COSE SD-JWTs (`vc+sd-jwt`, a VC
  // Data Model payload, ES384/ES512). skillpass does not accept them by policy, not because they
  // are wrong: its SD-JWT format is SD-JWT VC (`dc+sd-jwt`) and its algorithm allow-list is EdDSA
  // and ES256 (docs/design-notes.md). Each fixture comes back as a format failure with a stable
  // code, the "success" ones included: refused for their algorithm, never half-verified, never thrown.
  const SD_JWT_EXPECTED: Record<string, ProblemCode> = {
    'credential-sdjwt-selective.txt': 'ERR_ALG_NOT_ALLOWED',
    'credential-sdjwt-nested.txt': 'ERR_ALG_NOT_ALLOWED',
    'presentation-sdjwt-selective.txt': 'ERR_ALG_NOT_ALLOWED',
    'credential-sdjwt-bad-signature.txt': 'ERR_ALG_NOT_ALLOWED',
    'credential-sdjwt-bad-media-type.txt': 'ERR_MALFORMED',
    'presentation-sdjwt-bad-media-type.txt': 'ERR_MALFORMED',
    'presentation-sdjwt-bad-credential.txt': 'ERR_ALG_NOT_ALLOWED',
  };
  const sdJwtTests = manifest.tests.filter(
    (t) => t.fn === 'verify' && (t.feature === 'credential_sdjwt' || t.feature === 'presentation_sdjwt'),
  );

  it('covers every SD-JWT verification test of the manifest', () => {
    expect(sdJwtTests.map((t) => t.input).sort()).toEqual(Object.keys(SD_JWT_EXPECTED).sort());
  });

  it.each(sdJwtTests)('$name ($input) fails its format check', async (test) => {
    const token = readVector(`${DIR}/input/${test.input}`).trim();
    const report = await verifier.verifyCredential(token);
    expect(report.verified).toBe(false);
    expect(report.credentials[0]!.format).toBe('dc+sd-jwt');
    expect(strip(report.credentials[0]!.checks)).toEqual([failed('format', SD_JWT_EXPECTED[test.input]!)]);
  });
});
