import { verify as cryptoVerify, generateKeyPairSync } from 'node:crypto';
import {
  createBitstring,
  decodeDidKey,
  didKeyFromPublicKey,
  keyObjectSigner,
  parseCompactJws,
  setStatusBit,
} from '@skillpass/core';
import { createPassport } from '@skillpass/holder';
import * as issuerPkg from '@skillpass/issuer';
import * as verifierPkg from '@skillpass/verifier';
import { assessments, createVeramoAgent, keyManagerSigningKey } from './fixtures.mjs';
import { check, compare, printTable } from './harness.mjs';

const AUDIENCE = 'https://jobs.metaal.example';
const CHALLENGE = 'bench-challenge-7f3a';
const COUNT = 20;
const STATUS_LIST_URL = 'https://assessment.metaal.example/status/revocation/1';

/** An in-process did:key identity with a node:crypto signer. */
export function identity() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const did = didKeyFromPublicKey(publicKey);
  return {
    did,
    publicKey,
    privateKey,
    signingKey: {
      keyId: `${did}#${did.slice('did:key:'.length)}`,
      alg: 'EdDSA',
      sign: keyObjectSigner(privateKey),
    },
  };
}

/**
 * Status and trust, when this build of @skillpass/verifier has them: an offline Bitstring
 * Status List (signed by the centre, 131,072 entries, one index revoked that is not ours) and a
 * trust registry accrediting the centre for ESCO skills up to level 5.
 */
async function statusAndTrust(centre, now) {
  const { createStatusChecker, loadTrustRegistry } = verifierPkg;
  const { buildStatusListCredential, signStatusListCredential } = issuerPkg;
  const missing = Object.entries({
    createStatusChecker,
    loadTrustRegistry,
    createBitstring,
    setStatusBit,
    buildStatusListCredential,
    signStatusListCredential,
  })
    .filter(([, f]) => typeof f !== 'function')
    .map(([name]) => name);
  if (missing.length > 0) return { missing };
  const bits = createBitstring();
  setStatusBit(bits, 7, true);
  const list = await signStatusListCredential(
    buildStatusListCredential({ url: STATUS_LIST_URL, issuer: centre.did, purpose: 'revocation', bits, now }),
    centre.signingKey,
  );
  const status = createStatusChecker({ fetch: false, lists: [list] });
  const trust = await loadTrustRegistry({
    type: 'TrustRegistry',
    name: 'Metal sector assessment scheme (benchmark)',
    schemeOwner: { id: 'did:web:scheme.metaal.example', name: 'Metal sector scheme owner' },
    assessmentCentres: [
      {
        id: centre.did,
        name: 'Metal Assessment Centre',
        accreditations: [
          {
            name: 'ESCO skills',
            skillPrefixes: ['http://data.europa.eu/esco/skill/'],
            maxLevel: 5,
            validFrom: '2020-01-01',
          },
        ],
      },
    ],
  });
  return { status, trust, entry: (i) => statusEntry(100 + i) };
}

function statusEntry(index) {
  return {
    id: `${STATUS_LIST_URL}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: STATUS_LIST_URL,
  };
}

/** Everything built outside the timed region. */
async function setup() {
  const now = new Date(Date.now() - 60_000);
  const centre = identity();
  const worker = identity();
  const seams = await statusAndTrust(centre, new Date(now.getTime() - 86_400_000));
  const skills = assessments(COUNT);

  const tokens = [];
  for (const [i, assessment] of skills.entries()) {
    const issued = await issuerPkg.issueSkillCredential(assessment, {
      issuer: { did: centre.did, name: 'Metal Assessment Centre', url: 'https://assessment.metaal.example' },
      subject: worker.did,
      signingKey: centre.signingKey,
      now,
      ...(seams.entry ? { status: seams.entry(i) } : {}),
    });
    tokens.push(issued.token);
  }
  const passport = await createPassport({
    holder: worker,
    credentials: tokens,
    audience: AUDIENCE,
    challenge: CHALLENGE,
    expiresInSeconds: 3600,
  });
  const verifier = verifierPkg.createVerifier(
    seams.status ? { status: seams.status, trust: seams.trust } : {},
  );

  // Raw node:crypto: the same 21 signatures, keys imported once, signing inputs pre-split.
  const raw = [passport, ...tokens].map((token) => {
    const parsed = parseCompactJws(token, { maxBytes: 4 * 1024 * 1024, typ: ['vc+jwt', 'vp+jwt'] });
    check(parsed.ok, 'our own tokens parse');
    const signer = parsed.jws.header.kid.split('#')[0];
    return {
      data: Buffer.from(parsed.jws.signingInput, 'ascii'),
      signature: Buffer.from(parsed.jws.signature),
      key: decodeDidKey(signer).publicKey,
    };
  });

  // Veramo: the same 20 skills as VC 1.1 JWTs issued through Veramo, in a VC 1.1 JWT presentation.
  const agent = createVeramoAgent();
  const veramoCentre = await agent.didManagerCreate({
    provider: 'did:key',
    kms: 'local',
    options: { keyType: 'Ed25519' },
  });
  const veramoWorker = await agent.didManagerCreate({
    provider: 'did:key',
    kms: 'local',
    options: { keyType: 'Ed25519' },
  });
  const vc11 = [];
  for (const assessment of skills) {
    const issued = await issuerPkg.issueSkillCredential(assessment, {
      issuer: {
        did: veramoCentre.did,
        name: 'Metal Assessment Centre',
        url: 'https://assessment.metaal.example',
      },
      subject: veramoWorker.did,
      signingKey: keyManagerSigningKey(agent, veramoCentre),
      format: 'jwt-vc-1.1',
      veramo: agent,
      now,
    });
    vc11.push(issued.token);
  }
  const vp11 = (
    await agent.createVerifiablePresentation({
      presentation: { holder: veramoWorker.did, verifiableCredential: vc11 },
      proofFormat: 'jwt',
      challenge: CHALLENGE,
      domain: AUDIENCE,
    })
  ).proof.jwt;

  return { verifier, passport, raw, agent, vc11, vp11, seams, tokens };
}

const REQUIRED_CHECKS = ['format', 'signature', 'schema', 'validity', 'binding'];

/** passport-20: verify a 20-credential passport, ours vs raw node:crypto vs Veramo. */
export async function runPassport20(settings) {
  const s = await setup();

  const ours = async () => {
    const report = await s.verifier.verifyPassport(s.passport, { audience: AUDIENCE, challenge: CHALLENGE });
    if (!report.verified) throw new Error('passport did not verify');
  };
  const raw = () => {
    for (const r of s.raw)
      if (!cryptoVerify(null, r.data, r.key, r.signature)) throw new Error('raw verify failed');
  };
  const veramo = async () => {
    const [vp, ...vcs] = await Promise.all([
      s.agent.verifyPresentation({ presentation: s.vp11, challenge: CHALLENGE, domain: AUDIENCE }),
      ...s.vc11.map((credential) => s.agent.verifyCredential({ credential })),
    ]);
    if (!vp.verified || vcs.some((r) => !r.verified)) throw new Error('Veramo did not verify');
  };

  // Preconditions: every contender verifies, and ours ran every check it has.
  const report = await s.verifier.verifyPassport(s.passport, { audience: AUDIENCE, challenge: CHALLENGE });
  check(report.verified && report.credentials.length === COUNT, 'our passport verifies');
  check(
    report.checks.every((c) => c.ok && !c.skipped) && report.checks.some((c) => c.name === 'presentation'),
    'presentation checks all ran',
  );
  const expected = s.seams.status ? [...REQUIRED_CHECKS, 'status', 'trust'] : REQUIRED_CHECKS;
  for (const c of report.credentials) {
    const ran = new Set(c.checks.filter((k) => k.ok && !k.skipped).map((k) => k.name));
    check(
      expected.every((name) => ran.has(name)),
      `credential ${c.index} ran ${expected.join(', ')} (ran: ${[...ran].join(', ')})`,
    );
  }
  raw();
  await veramo();

  console.log(
    `\npassport-20: one vp+jwt holding ${COUNT} skill credentials (vc+jwt, EdDSA, did:key), 21 Ed25519 signatures`,
  );
  console.log(
    `  ours runs per credential: ${report.credentials[0].checks.map((c) => `${c.name}${c.skipped ? ' (skipped)' : ''}`).join(', ')}; per passport: ${report.checks.map((c) => c.name).join(', ')}`,
  );
  if (!s.seams.status) {
    console.log(
      `  note: status and trust checks are not in this build of @skillpass/verifier/@skillpass/issuer (missing: ${s.seams.missing.join(', ')}); measured without them`,
    );
  } else {
    console.log(
      '  status: offline Bitstring Status List (131,072 entries, signed by the centre); trust: registry, ESCO prefix, level ≤ 5',
    );
  }
  console.log(
    '  Veramo: verifyPresentation of a VC 1.1 JWT presentation + 20 × verifyCredential (its verifyPresentation skips inner credentials)',
  );

  const results = await compare(
    [
      { name: 'skillpass verifyPassport (all checks)', fn: ours },
      { name: 'raw node:crypto, 21 × crypto.verify', fn: raw },
      { name: 'Veramo verifyPresentation + 20 × verifyCredential', fn: veramo },
    ],
    settings,
  );
  printTable(
    `passport-20 (medians of ${settings.rounds} interleaved runs of ≥ ${settings.minMs} ms)`,
    results,
  );
  const [o, r, v] = results;
  const summary = `passport-20: ratio-to-raw=${(o.opsPerSec / r.opsPerSec).toFixed(2)} speedup-vs-veramo=${(o.opsPerSec / v.opsPerSec).toFixed(2)}`;
  console.log(summary);
  return summary;
}
