import { readFileSync } from 'node:fs';
import { keyObjectSigner, type VerificationReport } from '@skillpass/core';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createVerifier } from '../src/index.js';
import { PASSPORT_CHECKS, PRESENTATION_RULES } from '../src/passport-checks.js';

/**
 * The passport's checks are one ordered list (`PASSPORT_CHECKS`): the report lists them in that
 * order, docs/verification.md documents them in that order with the codes each can fail with.
 */
const NOW = new Date('2027-03-01T12:00:00Z');
const AUD = 'https://jobs.metaal.example';
const CHALLENGE = 'n-5e6f';
const centre = makeIdentity();
const worker = makeIdentity();
const verifier = createVerifier();
const verify = (token: string, options = {}) =>
  verifier.verifyPassport(token, { audience: AUD, challenge: CHALLENGE, now: NOW, ...options });

/** The rows of docs/verification.md's passport table: check name and the codes it fails with. */
function documentedPassportChecks(): { name: string; codes: string[] }[] {
  const text = readFileSync(new URL('../../../docs/verification.md', import.meta.url), 'utf8');
  const start = text.indexOf('For the passport (vp+jwt)');
  expect(start).toBeGreaterThan(0);
  const rows: { name: string; codes: string[] }[] = [];
  for (const line of text.slice(start).split('\n').slice(1)) {
    if (line.trim() === '' && rows.length > 0) break;
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || cells[1] === 'check' || /^-+$/.test(cells[1]!)) continue;
    rows.push({ name: cells[1]!, codes: [...new Set(cells[3]!.match(/ERR_[A-Z_]+/g) ?? [])] });
  }
  return rows;
}

const reported = PASSPORT_CHECKS.filter((c) => c.name !== 'credentials');

let credentials: string[];
beforeAll(async () => {
  credentials = [];
  for (const a of CNC_ASSESSMENTS) {
    const issued = await issueSkillCredential(a, {
      issuer: { did: centre.did, name: 'Metal Centre' },
      subject: worker.did,
      signingKey: centre.signingKey,
      now: new Date(NOW.getTime() - 86_400_000),
    });
    credentials.push(issued.token);
  }
});

describe('passport checks: one ordered list', () => {
  it('runs format, signature, schema, presentation, then the credentials', () => {
    expect(PASSPORT_CHECKS.map((c) => c.name)).toEqual([
      'format',
      'signature',
      'schema',
      'presentation',
      'credentials',
    ]);
    expect(PRESENTATION_RULES.map((r) => r.name)).toEqual([
      'audience',
      'challenge',
      'expiry',
      'age',
      'duplicates',
    ]);
  });

  it('the report lists the passport checks in the documented order', async () => {
    const passport = await createPassport({
      holder: worker,
      credentials,
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    const report = await verify(passport);
    expect(report.verified).toBe(true);
    const documented = documentedPassportChecks();
    expect(documented.map((d) => d.name)).toEqual(['format', 'signature', 'schema', 'presentation']);
    expect(report.checks.map((c) => c.name)).toEqual(documented.map((d) => d.name));
    expect(reported.map((c) => c.name)).toEqual(documented.map((d) => d.name));
    expect(report.checks.every((c) => c.ok && c.skipped === undefined)).toBe(true);
    expect(report.credentials.map((c) => c.index)).toEqual([0, 1]);
  });

  it('each check documents exactly the codes it declares', () => {
    const documented = documentedPassportChecks();
    for (const check of reported) {
      const row = documented.find((d) => d.name === check.name);
      expect(row, check.name).toBeDefined();
      expect([...row!.codes].sort(), check.name).toEqual([...check.codes].sort());
    }
  });

  it('a passport that does not parse ends the list at format', async () => {
    const report = await verify('not.a.passport');
    expect(report.checks.map((c) => [c.name, c.ok, c.code])).toEqual([['format', false, 'ERR_MALFORMED']]);
    expect(report.credentials).toEqual([]);
  });

  it('presentation problems come in the order of its rules', async () => {
    // Older than maxAgeSeconds, another audience and challenge, and a credential twice.
    const first = credentials[0]!;
    const passport = await createPassport({
      holder: worker,
      credentials: [first, credentials[1]!, first],
      audience: 'https://elsewhere.example',
      challenge: 'other',
      now: new Date(NOW.getTime() - 7_200_000),
      expiresInSeconds: 86_400,
    });
    const report = await verify(passport);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['format', true],
      ['signature', true],
      ['schema', true],
      ['presentation', false],
    ]);
    expect(report.problems.map((p) => [p.code, p.path])).toEqual([
      ['ERR_AUDIENCE_MISMATCH', '/aud'],
      ['ERR_CHALLENGE_MISMATCH', '/nonce'],
      ['ERR_PRESENTATION_EXPIRED', '/iat'],
      ['ERR_DUPLICATE_CREDENTIAL', '/verifiableCredential/2'],
    ]);
    expect(report.checks[3]!.code).toBe('ERR_AUDIENCE_MISMATCH');
  });

  it('a failed check reports one of its declared codes (fast-check over forged passports)', async () => {
    const header = { alg: 'EdDSA', typ: 'vp+jwt', kid: worker.signingKey.keyId };
    const sign = keyObjectSigner(worker.privateKey);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
    const envelope = (t: string) => ({
      '@context': 'https://www.w3.org/ns/credentials/v2',
      id: `data:application/vc+jwt,${t}`,
      type: 'EnvelopedVerifiableCredential',
    });
    const claim = fc.oneof(
      fc.constant(undefined),
      fc.integer(),
      fc.string(),
      fc.constant(NOW.getTime() / 1000),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          aud: fc.oneof(fc.constant(AUD), fc.string(), fc.constant([AUD, 'x'])),
          nonce: fc.oneof(fc.constant(CHALLENGE), fc.string()),
          iat: claim,
          exp: claim,
          iss: fc.oneof(fc.constant(undefined), fc.constant(worker.did), fc.string()),
          entries: fc.array(fc.constantFrom(0, 1, 2), { maxLength: 4 }),
          type: fc.oneof(fc.constant(['VerifiablePresentation']), fc.string()),
        }),
        async (p) => {
          const payload = {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: p.type,
            holder: worker.did,
            aud: p.aud,
            nonce: p.nonce,
            ...(p.iat !== undefined ? { iat: p.iat } : {}),
            ...(p.exp !== undefined ? { exp: p.exp } : {}),
            ...(p.iss !== undefined ? { iss: p.iss } : {}),
            verifiableCredential: p.entries.map((i) =>
              i === 2 ? { junk: true } : envelope(credentials[i]!),
            ),
          };
          const input = `${b64(header)}.${b64(payload)}`;
          const sig = await sign(Buffer.from(input, 'ascii'));
          const report: VerificationReport = await verify(
            `${input}.${Buffer.from(sig).toString('base64url')}`,
          );
          for (const c of report.checks) {
            if (c.ok) continue;
            const check = PASSPORT_CHECKS.find((k) => k.name === c.name);
            expect(check?.codes, c.name).toContain(c.code);
          }
          expect(report.checks.map((c) => c.name)).toEqual(
            reported.map((c) => c.name).slice(0, report.checks.length),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
