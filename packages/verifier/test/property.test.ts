import {
  isProblemCode,
  MALFORMED_REASONS,
  signCompactJws,
  type VerificationReport,
  validateSchema,
} from '@skillpass/core';
import { decodeBase64url } from '@skillpass/core/internal';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createVerifier } from '../src/index.js';

/**
 * Properties over untrusted input: whatever is done to a valid token, verification returns a
 * report (never throws) and never says `verified` unless the token is exactly the original.
 */
const NOW = new Date('2027-03-01T12:00:00Z');
const AUD = 'https://jobs.metaal.example';
const CHALLENGE = 'property-challenge';
const RUNS = 300;
const centre = makeIdentity();
const es256Centre = makeIdentity('P-256');
const worker = makeIdentity();
const verifier = createVerifier();

let credentialToken: string;
let es256Token: string;
let passportToken: string;

beforeAll(async () => {
  const issue = async (issuer: typeof centre, i: number) =>
    (
      await issueSkillCredential(CNC_ASSESSMENTS[i]!, {
        issuer: { did: issuer.did, name: 'Metal Centre' },
        subject: worker.did,
        signingKey: issuer.signingKey,
        now: new Date(NOW.getTime() - 86_400_000),
      })
    ).token;
  credentialToken = await issue(centre, 0);
  es256Token = await issue(es256Centre, 1);
  passportToken = await createPassport({
    holder: worker,
    credentials: [credentialToken, es256Token],
    audience: AUD,
    challenge: CHALLENGE,
    now: NOW,
  });
});

const verifyVc = (token: string) => verifier.verifyCredential(token, { now: NOW });
const verifyVp = (token: string) =>
  verifier.verifyPassport(token, { audience: AUD, challenge: CHALLENGE, now: NOW });

/** The report is well formed: a boolean verdict, and a failure always says why. */
function expectReport(report: VerificationReport): void {
  expect(typeof report.verified).toBe('boolean');
  expect(Array.isArray(report.problems)).toBe(true);
  expect(Array.isArray(report.credentials)).toBe(true);
  if (!report.verified) expect(report.problems.length).toBeGreaterThan(0);
  const all = [...report.problems, ...report.credentials.flatMap((c) => c.problems)];
  for (const p of all) {
    // a verification problem, never an operational code; ERR_MALFORMED names the rule it broke
    expect(isProblemCode(p.code), p.code).toBe(true);
    if (p.code === 'ERR_MALFORMED') expect(MALFORMED_REASONS).toContain(p.reason);
    else expect(p.reason).toBeUndefined();
  }
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const char = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...B64URL) },
  { weight: 2, arbitrary: fc.constantFrom('.', '=', '+', '/', ' ', '~', '\n', '\u0000', 'é', '\ud800') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) },
);

type CharMutation =
  | { kind: 'flip' | 'insert'; at: number; ch: string }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'swap'; order: [number, number, number] }
  | { kind: 'truncate'; at: number };

const charMutation: fc.Arbitrary<CharMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), ch: char }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), ch: char }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('swap' as const),
    order: fc.constantFrom<[number, number, number]>([0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function applyChar(token: string, m: CharMutation): string {
  switch (m.kind) {
    case 'flip': {
      const at = m.at % token.length;
      return token.slice(0, at) + m.ch + token.slice(at + 1);
    }
    case 'insert': {
      const at = m.at % (token.length + 1);
      return token.slice(0, at) + m.ch + token.slice(at);
    }
    case 'delete': {
      const at = m.at % token.length;
      return token.slice(0, at) + token.slice(at + m.len);
    }
    case 'swap': {
      const parts = token.split('.');
      return m.order.map((i) => parts[i] ?? '').join('.');
    }
    case 'truncate':
      return token.slice(0, m.at % token.length);
  }
}

type JsonMutation =
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'add'; pick: number; key: string; value: unknown }
  | { kind: 'reformat' };

const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    pick: fc.nat(),
    key: fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('__proto__', 'constructor', 'vc', 'iss', 'kid', 'alg'),
    ),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.constant({ kind: 'reformat' as const }),
);

/** Every container in a JSON value with the key path to reach it. */
function containers(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; node: object }[] {
  if (typeof value !== 'object' || value === null) return [];
  const out = [{ path, node: value }];
  for (const [k, v] of Object.entries(value))
    out.push(...containers(v, [...path, Array.isArray(value) ? Number(k) : k]));
  return out;
}

/** Apply a mutation to a parsed JSON object, returning the new serialisation. */
function applyJson(text: string, m: JsonMutation): string {
  const root = JSON.parse(text) as Record<string, unknown>;
  if (m.kind === 'reformat') return JSON.stringify(root, null, 1);
  const all = containers(root);
  const { node } = all[m.pick % all.length]!;
  const keys = Object.keys(node);
  const record = node as Record<string, unknown>;
  if (m.kind === 'add') {
    // defineProperty: a literal `__proto__` own key, as JSON.parse would make from hostile input.
    Object.defineProperty(record, m.key, {
      value: m.value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  } else if (keys.length > 0) {
    const key = keys[m.pick % keys.length]!;
    if (m.kind === 'set') record[key] = m.value;
    else if (Array.isArray(node)) node.splice(Number(key), 1);
    else delete record[key];
  }
  return JSON.stringify(root);
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const unb64 = (part: string) => Buffer.from(part, 'base64url').toString('utf8');

/** Mutate the header or the payload JSON and re-encode it, keeping the original signature. */
function reencode(token: string, part: 0 | 1, m: JsonMutation): string {
  const parts = token.split('.') as [string, string, string];
  parts[part] = b64(applyJson(unb64(parts[part]), m));
  return parts.join('.');
}

describe('mutated credential tokens', () => {
  it('never verify and never throw (character mutations)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('eddsa', 'es256'),
        fc.array(charMutation, { minLength: 1, maxLength: 4 }),
        async (which, mutations) => {
          const original = which === 'eddsa' ? credentialToken : es256Token;
          const mutated = mutations.reduce(applyChar, original);
          const report = await verifyVc(mutated);
          expectReport(report);
          expect(report.verified).toBe(mutated === original);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never verify with mutated JSON re-encoded under the original signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<0 | 1>(0, 1), jsonMutation, async (part, m) => {
        const mutated = reencode(credentialToken, part, m);
        const report = await verifyVc(mutated);
        expectReport(report);
        expect(report.verified).toBe(mutated === credentialToken);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary JSON payloads, validly signed by the issuer, never throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (payload) => {
        const token = await signCompactJws({ typ: 'vc+jwt' }, payload, centre.signingKey);
        const report = await verifyVc(token);
        expectReport(report);
        expect(report.verified).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('mutated passports', () => {
  it('never verify and never throw (character mutations)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(charMutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const mutated = mutations.reduce(applyChar, passportToken);
        const report = await verifyVp(mutated);
        expectReport(report);
        expect(report.verified).toBe(mutated === passportToken);
      }),
      { numRuns: RUNS },
    );
  });

  it('never verify with mutated JSON re-encoded under the original signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<0 | 1>(0, 1), jsonMutation, async (part, m) => {
        const mutated = reencode(passportToken, part, m);
        const report = await verifyVp(mutated);
        expectReport(report);
        expect(report.verified).toBe(mutated === passportToken);
      }),
      { numRuns: RUNS },
    );
  });

  it('never verify when an inner credential is mutated, even if the holder signs the result honestly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1),
        fc.oneof(
          fc
            .array(charMutation, { minLength: 1, maxLength: 3 })
            .map((ms) => (t: string) => ms.reduce(applyChar, t)),
          fc.tuple(fc.constantFrom<0 | 1>(0, 1), jsonMutation).map(
            ([part, m]) =>
              (t: string) =>
                reencode(t, part, m),
          ),
        ),
        async (index, mutate) => {
          const originals = [credentialToken, es256Token];
          const inner = originals.map((t, i) => (i === index ? mutate(t) : t));
          const payload = JSON.parse(unb64(passportToken.split('.')[1]!)) as Record<string, unknown>;
          payload.verifiableCredential = inner.map((t) => ({
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: 'EnvelopedVerifiableCredential',
            id: `data:application/vc+jwt,${t}`,
          }));
          const resigned = await signCompactJws({ typ: 'vp+jwt', cty: 'vp' }, payload, worker.signingKey);
          const report = await verifyVp(resigned);
          expectReport(report);
          expect(report.verified).toBe(inner[index] === originals[index]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('arbitrary strings', () => {
  const token = fc.oneof(
    fc.string({ maxLength: 300, unit: 'binary' }),
    fc.string({ maxLength: 300, unit: 'grapheme' }),
    fc
      .array(fc.string({ maxLength: 60, unit: fc.constantFrom(...B64URL) }), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.join('.')),
    fc
      .tuple(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), fc.uint8Array({ maxLength: 70 }))
      .map(
        ([h, p, s]) =>
          `${b64(JSON.stringify(h))}.${b64(JSON.stringify(p))}.${Buffer.from(s).toString('base64url')}`,
      ),
  );

  it('never throw through verifyCredential, verifyPassport or verify', async () => {
    await fc.assert(
      fc.asyncProperty(token, async (input) => {
        for (const report of [
          await verifyVc(input),
          await verifyVp(input),
          await verifier.verify(input, { audience: AUD, challenge: CHALLENGE, now: NOW }),
        ]) {
          expectReport(report);
          expect(report.verified).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leave Object.prototype untouched', () => {
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('strict base64url decoding (every token part goes through it)', () => {
  /** The obvious strict decoder: alphabet by regular expression, canonical by re-encoding. */
  function reference(text: string): Buffer | undefined {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
    const out = Buffer.from(text, 'base64url');
    return out.toString('base64url') === text ? out : undefined;
  }
  const near = fc
    .tuple(fc.uint8Array({ maxLength: 40 }), fc.array(charMutation, { maxLength: 3 }))
    .map(([bytes, ms]) => ms.reduce(applyChar, Buffer.from(bytes).toString('base64url') || 'A'));
  const wild = fc.oneof(
    fc.string({ maxLength: 40, unit: 'binary' }),
    fc.string({
      maxLength: 40,
      unit: fc.constantFrom(...B64URL, '+', '/', '=', ' ', '.', '\u0141', '\ud83d'),
    }),
  );

  it('agrees with the reference decoder on near-valid and arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(near, wild), (text) => {
        const got = decodeBase64url(text);
        const want = reference(text);
        expect(got === undefined ? undefined : Buffer.from(got).toString('hex')).toBe(want?.toString('hex'));
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips every byte string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeBase64url(Buffer.from(bytes).toString('base64url'))?.equals(Buffer.from(bytes))).toBe(
          true,
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('schema string lengths', () => {
  it('count Unicode code points, as JSON Schema defines (skill name: 1 to 500)', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 1100, unit: 'binary' }),
      fc.string({
        minLength: 240,
        maxLength: 520,
        unit: fc.constantFrom('a', '😀', '\ud800', '\udc00', 'é'),
      }),
    );
    fc.assert(
      fc.property(text, (name) => {
        const problems = validateSchema('skill-assessment', {
          skill: { uri: 'http://data.europa.eu/esco/skill/x', name },
          level: 1,
          evidence: [{ method: 'portfolio', assessedOn: '2026-01-01' }],
        });
        const codePoints = [...name].length;
        expect(problems.map((p) => p.path)).toEqual(
          codePoints >= 1 && codePoints <= 500 ? [] : ['/skill/name'],
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the originals', () => {
  it('verify, so every property above is tested against a verifying baseline', async () => {
    expect((await verifyVc(credentialToken)).verified).toBe(true);
    expect((await verifyVc(es256Token)).verified).toBe(true);
    const report = await verifyVp(passportToken);
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
  });
});
