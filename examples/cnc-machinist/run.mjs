#!/usr/bin/env node
// The CNC-machinist scenario, end to end, over the protocols real wallets speak: an assessment
// centre (did:web, served on 127.0.0.1 with its status lists and OpenID4VCI 1.0) assesses a
// worker and offers each credential; the worker's encrypted wallet receives every one by offer
// (from the centre, an MBO school and the employer who placed them), proving it holds its key.
// The employer runs an OpenID4VP 1.0 verifier and turns a vacancy into a DCQL request URI; the
// wallet resolves it, shows who asks for what, the worker chooses what to disclose and answers.
// The employer reads the full verification report and the match; sees answers refused for the
// right reasons when a credential is tampered with, when an answer is replayed to another
// employer or to the same request, when it holds someone else's credential; sees a revocation
// at its next request; receives an SD-JWT without its assessor and score; and lays the result
// beside the vacancy (gaps, training plan) and ranks a pool of candidates.
// Run with `npm run demo` (it builds first). State goes to examples/out/demo. Exits non-zero when
// any step does not give the expected outcome, and closes every server it started.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signCompactJws } from '@skillpass/core';
import {
  createWallet,
  describePresentationRequest,
  listDisclosableClaims,
  preparePresentationAnswer,
  receiveCredential,
  resolvePresentationRequest,
  sendPresentationAnswer,
} from '@skillpass/holder';
import { initIssuer, issueSkillCredential } from '@skillpass/issuer';
import {
  createCredentialOffer,
  createIssuerApp,
  OfferStore,
  startIssuerService,
} from '@skillpass/issuer-service';
import {
  compileCrosswalk,
  parseQualificationMap,
  parseTrainingCatalogue,
  planTraining,
} from '@skillpass/match';
import { openSqlite } from '@skillpass/store';
import {
  createNetworkDidResolver,
  createStatusChecker,
  createVerifier,
  loadTrustRegistry,
} from '@skillpass/verifier';
import {
  createPresentationRequest,
  createVerifierService,
  initVerifier,
  listen,
  openVerifierStore,
  readPresentationResult,
} from '@skillpass/verifier-service';
import { main as skillpass } from 'skillpass';
import { DEFAULT_SEED, generatePassports, generatePool } from '../generate-pool.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SECTOR = join(HERE, '..', 'metal-sector');
const OUT = join(HERE, '..', 'out', 'demo');
// Demo passphrases; real users set SKILLPASS_ISSUER_PASSPHRASE / SKILLPASS_WALLET_PASSPHRASE.
const CENTRE_PASSPHRASE = 'demo centre passphrase';
const WALLET_PASSPHRASE = 'demo worker passphrase';
// Plain http on 127.0.0.1 is allowed for this demo only (`--allow-http-localhost` on the CLI).
const LOCAL = { allowHttpLocalhost: true };
const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';

const step = (n, title) =>
  console.log(`\n\x1b[1m── ${n}. ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}\x1b[0m`);
const say = (text) => console.log(`   ${text}`);
const daysAgo = (days) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const codesOf = (report) => [...new Set((report?.problems ?? []).map((p) => p.code))];
const codes = (report) => codesOf(report).join(', ') || '(none)';
const short = (text, width = 110) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
const readSector = (file) => JSON.parse(readFileSync(join(SECTOR, file), 'utf8'));
const vacancyPath = join(SECTOR, 'vacancy-cnc-machinist.json');
const vacancy = readSector('vacancy-cnc-machinist.json');
const skill = (name) => {
  const r = vacancy.requirements.find((q) => q.name === name);
  if (r === undefined) throw new Error(`no requirement ${name} in the vacancy`);
  return { uri: r.uri, name: r.name, framework: r.framework };
};
/** Fail the demo (exit 1) unless `condition` holds. */
const expect = (condition, what) => {
  if (!condition) throw new Error(`unexpected outcome: ${what}`);
};

// Everything started is closed in reverse order, also when a step fails.
const closers = [];
const closeAll = async () => {
  for (const close of closers.splice(0).reverse()) {
    try {
      await close();
    } catch (err) {
      console.error(`while closing: ${err?.message ?? err}`);
    }
  }
};

/**
 * An issuer service on 127.0.0.1 (a free port): the issuer's keys and register, its status
 * lists (Bitstring and IETF Token Status List) and OpenID4VCI 1.0, all on one origin. The
 * issuer is created once the port is bound, since its DID (did:web) and status URLs name it.
 */
async function startIssuerSite(dir, { name, didWeb = false, role }) {
  const path = join(OUT, dir, 'issuer.db');
  let issuer;
  let db;
  let offers;
  const service = await startIssuerService({
    port: 0,
    app: async (url) => {
      issuer = await initIssuer({
        path,
        passphrase: CENTRE_PASSPHRASE,
        ...(didWeb ? { didWeb: new URL(url).host } : { didKey: true }),
        name,
        statusBaseUrl: `${url}/status`,
        // Lists say ttl 0, so a verifier sees a revocation at once (the default is 5 minutes of caching).
        statusTtlMs: 0,
        ...(role !== undefined ? { role } : {}),
      });
      db = openSqlite(path);
      offers = new OfferStore(db);
      return createIssuerApp({ issuer, offers, publicUrl: url });
    },
  });
  closers.push(() => issuer.close());
  closers.push(() => db.close());
  closers.push(() => service.close());
  return { issuer, offers, url: service.url };
}

/** The site records an offer; the wallet resolves it, proves its key, verifies and stores. */
async function offerAndReceive(site, toWallet, assessment, { format = 'vc+jwt', txCode = false } = {}) {
  const offer = createCredentialOffer({
    offers: site.offers,
    publicUrl: site.url,
    assessment,
    format,
    txCode,
  });
  const { entry } = await receiveCredential(toWallet, offer.offer, {
    ...LOCAL,
    ...(offer.txCode !== null ? { txCode: offer.txCode } : {}),
  });
  return { ...offer, id: entry.id, token: toWallet.get(entry.id).token };
}

/** An OpenID4VP verifier (did:key client id) with every check: status, trust, holder binding. */
async function startVerifierSite(dir, { registry, crosswalk, qualifications }) {
  const path = join(OUT, dir);
  initVerifier({ dir: path, didKey: true });
  const store = openVerifierStore(path);
  closers.push(() => store.close());
  const resolver = createNetworkDidResolver(LOCAL);
  const service = createVerifierService({
    store,
    resolver,
    crosswalk,
    qualifications,
    verifier: createVerifier({
      resolver,
      status: createStatusChecker(LOCAL),
      trust: await loadTrustRegistry(registry),
    }),
  });
  const server = await listen(service.app, { port: 0 });
  closers.push(() => server.close());
  store.setPublicUrl(server.url);
  return { store, url: server.url, dir: path };
}

/** The id of the DCQL credential query of `format` that names the skill `uri`. */
function queryFor(request, uri, format = 'jwt_vc_json') {
  const query = request.credentials.find((c) => c.format === format && c.skills.includes(uri));
  expect(query !== undefined, `the request asks for ${uri} as ${format}`);
  return query.queryId;
}

async function run() {
  rmSync(OUT, { recursive: true, force: true });
  for (const dir of ['centre', 'school', 'employer', 'worker', 'colleague', 'pool', 'other-employer'])
    mkdirSync(join(OUT, dir), { recursive: true });

  // ── 1. The assessment centre ────────────────────────────────────────────────────────────
  step(1, 'Assessment centre: a did:web identity, keys in Veramo, served on 127.0.0.1 (OpenID4VCI 1.0)');
  const centreSite = await startIssuerSite('centre', {
    name: 'Metal Assessment Centre Eindhoven',
    didWeb: true,
  });
  const centre = centreSite.issuer;
  const base = centreSite.url;
  const metadata = await (await fetch(`${base}/.well-known/openid-credential-issuer`)).json();
  expect(metadata.credential_issuer === base, 'the credential issuer metadata names the service');
  say(`DID          ${centre.did}`);
  say(`DID document ${base}/.well-known/did.json`);
  say(`status lists ${base}/status/<n> (Bitstring)   ${base}/status/token/<n> (IETF Token Status List)`);
  say(`OpenID4VCI   ${base}/.well-known/openid-credential-issuer, token, nonce and credential endpoints`);
  say(`             configurations: ${Object.keys(metadata.credential_configurations_supported).join(', ')}`);
  say("The private key lives in Veramo's key manager, encrypted in centre/issuer.db; it is never printed.");

  // ── 2. The worker ───────────────────────────────────────────────────────────────────────
  step(2, 'Worker: an encrypted wallet of their own, with their own DID');
  // The wallet verifies every credential before storing it; this demo's issuers are on http://127.0.0.1.
  const localVerifier = () => createVerifier({ resolverOptions: LOCAL, status: createStatusChecker(LOCAL) });
  const wallet = await createWallet({
    path: join(OUT, 'worker', 'wallet.skillpass'),
    passphrase: WALLET_PASSPHRASE,
    verifier: localVerifier(),
  });
  closers.push(() => wallet.close());
  say(`Worker DID   ${wallet.did}`);

  // ── 3. Assessment and issuing ───────────────────────────────────────────────────────────
  step(3, 'The centre assesses the worker and signs one credential per skill, offered by OpenID4VCI');
  const assessments = [
    {
      skill: skill('program a CNC controller'),
      level: 3,
      evidence: [
        {
          method: 'practical-exam',
          assessedOn: daysAgo(20),
          assessor: { name: 'J. de Vries' },
          score: 84,
          description: 'Wrote and proved out a G-code program for a 3-axis milling part within tolerance.',
        },
      ],
    },
    {
      skill: skill('read standard blueprints'),
      level: 4,
      evidence: [{ method: 'written-test', assessedOn: daysAgo(20), score: 91 }],
    },
    {
      skill: skill('use precision measuring equipment'),
      level: 3,
      evidence: [
        {
          method: 'workplace-observation',
          assessedOn: daysAgo(45),
          assessor: { name: 'M. Bakker' },
          description: 'Observed measuring turned parts with micrometer and height gauge during two shifts.',
        },
      ],
    },
    {
      skill: skill('operate a CNC milling machine'),
      level: 2,
      evidence: [
        { method: 'workplace-observation', assessedOn: daysAgo(45), assessor: { name: 'M. Bakker' } },
      ],
    },
    {
      skill: skill('apply health and safety standards in the workshop'),
      level: 2,
      evidence: [{ method: 'recognition-of-prior-learning', assessedOn: daysAgo(3 * 365) }],
    },
  ];
  // The first offer, step by step, as the centre and the worker would type it.
  const first = createCredentialOffer({
    offers: centreSite.offers,
    publicUrl: base,
    assessment: assessments[0],
    format: 'vc+jwt',
    txCode: true,
  });
  say('$ skillpass issuer offer --issuer centre --skill program-cnc.json --format vc+jwt --tx-code');
  say(`${short(first.offer)}   (QR code; the code ${first.txCode} is told in person)`);
  // A wrong transaction code: refused by the token endpoint, nothing stored.
  const wrongCode = first.txCode === '000000' ? '111111' : '000000';
  try {
    await receiveCredential(wallet, first.offer, { ...LOCAL, txCode: wrongCode });
    expect(false, 'a wrong transaction code is refused');
  } catch (err) {
    expect(
      err.code === 'ERR_ISSUANCE_REFUSED' && err.oauthError === 'invalid_grant',
      `wrong tx_code: ${err}`,
    );
    expect(wallet.list().length === 0, 'nothing is stored after a refused offer');
    say(
      `✗ the offer with a wrong transaction code                  ${err.code} (${err.oauthError} at ${err.step})`,
    );
  }
  say(`$ skillpass wallet receive '<offer>' --tx-code ${first.txCode} --allow-http-localhost`);
  const issued = [];
  {
    const { entry } = await receiveCredential(wallet, first.offer, { ...LOCAL, txCode: first.txCode });
    issued.push({ id: entry.id, token: wallet.get(entry.id).token });
    say(`✓ ${assessments[0].skill.name.padEnd(52)} level ${assessments[0].level}   ${entry.id}`);
  }
  for (const a of assessments.slice(1)) {
    const got = await offerAndReceive(centreSite, wallet, a); // the wallet verifies before it stores
    issued.push(got);
    say(`✓ ${a.skill.name.padEnd(52)} level ${a.level}   ${got.id}`);
  }
  // One more as a W3C VC 2.0 with a Data Integrity proof (ldp_vc), for wallets of that family.
  const maintenance = await offerAndReceive(
    centreSite,
    wallet,
    {
      skill: skill('perform preventive machine maintenance'),
      level: 2,
      evidence: [{ method: 'practical-exam', assessedOn: daysAgo(60) }],
    },
    { format: 'ldp_vc' },
  );
  const suite = JSON.parse(maintenance.token).proof?.cryptosuite;
  expect(typeof suite === 'string', 'the ldp_vc credential carries a Data Integrity proof');
  say(
    `✓ ${'perform preventive machine maintenance'.padEnd(52)} level 2   ${maintenance.id}   (ldp_vc, ${suite})`,
  );
  // The offer is single use: once redeemed it is gone.
  try {
    await receiveCredential(wallet, first.offer, { ...LOCAL, txCode: first.txCode });
    expect(false, 'a redeemed offer is refused');
  } catch (err) {
    expect(err.code === 'ERR_ISSUANCE_REFUSED', `redeemed offer: ${err}`);
    say(`✗ the same offer redeemed again                            ${err.code} (at ${err.step})`);
  }
  const register = await centre.listIssued();
  expect(
    register.length === 6 && register.every((r) => r.subject === wallet.did),
    'six credentials, each bound to the wallet DID',
  );
  say(`The centre's register now lists ${register.length} credentials for this worker.`);

  // ── 3b. The whole passport ─────────────────────────────────────────────────────────────
  step('3b', 'The whole passport: a diploma, learning on the job, soft skills, an own statement');
  // An MBO school signs the worker's diploma (did:key here; the trust registry accredits it for
  // the qualification) and offers it the same way.
  const qualifications = readSector('qualifications.json');
  const allround = qualifications.qualifications.find((q) => q.id === 'crebo:illustrative-25293');
  const schoolSite = await startIssuerSite('school', { name: 'Techniek College Oost (MBO school)' });
  const diploma = await offerAndReceive(schoolSite, wallet, {
    skill: { uri: allround.id, name: allround.name, framework: 'MBO', achievementType: 'Diploma' },
    level: 3,
    evidence: [{ method: 'practical-exam', name: 'Final examination', assessedOn: daysAgo(400) }],
  });
  say(`✓ ${`diploma: ${allround.name}`.padEnd(52)} school    ${diploma.id}`);
  // The employer the worker was placed with attests what the foreman saw on the shop floor:
  // a vocational skill and two soft (ESCO transversal) skills, by workplace observation,
  // offered from its own issuer service (role employer).
  const employerSite = await startIssuerSite('employer', {
    name: 'Precisietechniek Oost B.V. (fictitious)',
    role: 'employer',
  });
  // ESCO transversal skills; these two URIs are illustrative (ESCO form, random UUID).
  const SOFT = { framework: 'ESCO-transversal' };
  const onTheJob = [
    { skill: skill('operate a CNC lathe'), level: 3 },
    {
      skill: {
        uri: 'http://data.europa.eu/esco/skill/8a7f2c1e-5b4d-4e8a-9c3f-2d1e0b9a8c7d',
        name: 'work in teams',
        ...SOFT,
      },
      level: 3,
    },
    {
      skill: {
        uri: 'http://data.europa.eu/esco/skill/3c9e1f4a-7d2b-4a6e-8f1c-5b3d2e1a0f9e',
        name: 'organise own work',
        ...SOFT,
      },
      level: 2,
    },
  ];
  for (const a of onTheJob) {
    const attested = await offerAndReceive(employerSite, wallet, {
      ...a,
      evidence: [
        {
          method: 'workplace-observation',
          assessedOn: daysAgo(30),
          assessor: { name: 'foreman P. Smit' },
          description: 'Observed over a three-month placement on the shop floor.',
        },
      ],
    });
    say(`✓ ${a.skill.name.padEnd(52)} employer  ${attested.id}`);
  }
  // The worker's own statement, signed with the worker's own key: it counts, at its tier only.
  const own = await issueSkillCredential(
    {
      skill: { uri: skill('use CAD/CAM software').uri, name: 'use CAD/CAM software', framework: 'ESCO' },
      level: 2,
      evidence: [
        {
          method: 'self-assessment',
          assessedOn: daysAgo(5),
          description: 'My own statement: I draw parts in Fusion 360.',
        },
      ],
    },
    {
      issuer: { did: wallet.did, name: 'the worker' },
      subject: wallet.did,
      signingKey: await wallet.signingKey(),
    },
  );
  await wallet.addCredential(own.token);
  say(`✓ ${'use CAD/CAM software (own statement)'.padEnd(52)} self      ${own.id}`);
  say(`Every credential but the own statement came by offer: ${wallet.list().length} in the wallet.`);

  // The sector's trust registry, listing this demo's issuers by their (port-dependent) DIDs.
  // Its accreditation periods are stretched to cover today, so the demo keeps working after the
  // dates written in the file have passed.
  const registry = readSector('trust-registry.json');
  registry.assessmentCentres[0].id = centre.did;
  registry.assessmentCentres.find((c) => c.name.startsWith('Techniek College')).id = schoolSite.issuer.did;
  registry.employers[0].id = employerSite.issuer.did;
  const inThreeYears = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString().slice(0, 10);
  const stretch = (period) => {
    if (period.validFrom > daysAgo(500)) period.validFrom = daysAgo(500);
    if (period.validUntil !== undefined && period.validUntil < inThreeYears) period.validUntil = inThreeYears;
  };
  for (const c of registry.assessmentCentres) c.accreditations.forEach(stretch);
  registry.employers.forEach(stretch);
  const registryFile = join(OUT, 'trust-registry.json');
  writeFileSync(registryFile, `${JSON.stringify(registry, null, 2)}\n`);
  const crosswalk = compileCrosswalk(readSector('crosswalk.json'));
  // The employer's qualification map: which skills a diploma certifies (asked for and matched).
  const qualificationMap = parseQualificationMap(qualifications);

  // ── 4. The request ─────────────────────────────────────────────────────────────────────
  step(4, "The employer asks the worker's wallet over OpenID4VP 1.0 (DCQL), no files passed");
  const employer = await startVerifierSite('employer', {
    registry,
    crosswalk,
    qualifications: qualificationMap,
  });
  say(`verifier ${short(employer.store.identity.clientId, 60)} serving on ${employer.url}`);
  const request = await createPresentationRequest(employer.store, {
    vacancy,
    qualifications: qualificationMap,
    ...LOCAL,
  });
  say(
    '$ skillpass verifier request --dir employer --vacancy vacancy-cnc-machinist.json --qualifications qualifications.json',
  );
  say(short(request.uri));
  say(`$ skillpass present --request '<uri>' --allow-http-localhost`);
  const resolved = await resolvePresentationRequest(request.uri, wallet, LOCAL);
  say('The wallet checks the request object’s signature against the client id, then shows:');
  for (const line of describePresentationRequest(resolved)) say(`  ${short(line, 150)}`);
  if (!resolved.credentials.some((c) => c.matches.includes(maintenance.id))) {
    say(
      `  (preventive maintenance is held as ldp_vc, which this request does not ask for: its DCQL names ${[...new Set(resolved.credentials.map((c) => c.format))].join(' and ')})`,
    );
  }
  // The worker looks at exactly what would be sent before sending it.
  const answer = await preparePresentationAnswer(wallet, resolved);
  say('The worker sees what each answer shows, and sends it:');
  for (const shown of answer.shown) {
    const entry = wallet.list().find((e) => e.id === shown.credentialId);
    say(
      `  ${shown.queryId.padEnd(6)} ${(entry?.skill?.name ?? shown.credentialId).padEnd(50)} ${shown.format}, whole`,
    );
  }
  const answered = await sendPresentationAnswer(resolved, answer, LOCAL);
  expect(answered.accepted, `the employer accepts the honest answer: ${JSON.stringify(answered.error)}`);
  say(
    `✓ sent ${Object.keys(answered.presented).length} presentations (vp_token keyed by DCQL query id, encrypted: direct_post.jwt)`,
  );

  // ── 5. Verification ────────────────────────────────────────────────────────────────────
  step(5, 'The employer verifies: every check, per credential');
  say(`$ skillpass verifier result --dir employer ${request.id}\n`);
  const resultExit = await skillpass(['verifier', 'result', '--dir', employer.dir, request.id]);
  expect(resultExit === 0, `the honest answer verifies (verifier result exit ${resultExit})`);
  const firstResult = readPresentationResult(employer.store, request.id);
  expect(firstResult?.status === 'verified', `a verified result, got ${firstResult?.status}`);

  // ── 5b. The worker's own view ──────────────────────────────────────────────────────────
  step('5b', 'The worker sees the whole passport: by kind, who vouches for each, whether it still stands');
  say('$ skillpass wallet list --trust trust-registry.json --allow-http-localhost\n');
  process.env.SKILLPASS_WALLET_PASSPHRASE = WALLET_PASSPHRASE;
  const listExit = await skillpass([
    'wallet',
    'list',
    '--wallet',
    join(OUT, 'worker', 'wallet.skillpass'),
    '--trust',
    registryFile,
    '--allow-http-localhost',
  ]);
  expect(listExit === 0, `wallet list succeeds (exit ${listExit})`);

  // ── 6. What must fail ──────────────────────────────────────────────────────────────────
  step(6, 'The same answers, abused: each is refused by the response endpoint with its code');
  const signingKey = await wallet.signingKey();
  // A presentation as a wallet builds it for jwt_vc_json (VC 1.1 VP JWT bound to the request).
  const vpJwt = (req, credentials) => {
    const iat = Math.floor(Date.now() / 1000);
    return signCompactJws(
      { typ: 'JWT' },
      {
        iss: wallet.did,
        aud: req.clientId,
        nonce: req.payload.nonce,
        iat,
        nbf: iat,
        exp: iat + 600,
        jti: `urn:uuid:${randomUUID()}`,
        vp: {
          '@context': [VC_V1_CONTEXT],
          type: ['VerifiablePresentation'],
          holder: wallet.did,
          verifiableCredential: credentials,
        },
      },
      signingKey,
    );
  };
  // Send a forged answer; the verifier must refuse it with every expected code in its report.
  const expectRefused = async (label, site, req, prepared, expected) => {
    const outcome = await sendPresentationAnswer(req, prepared, LOCAL);
    const result = readPresentationResult(site.store, req.id);
    const seen = result === undefined ? [] : codesOf(result.verification);
    if (outcome.accepted || !expected.every((c) => seen.includes(c) || outcome.error?.code === c)) {
      throw new Error(
        `${label}: expected ${expected.join(', ')}, got ${seen.join(', ')} / ${outcome.error?.code}`,
      );
    }
    say(`✗ ${label.padEnd(58)} ${seen.join(', ') || outcome.error.code}`);
    return result;
  };
  // Each attempt answers a fresh request of its own.
  const newRequest = async (site) => {
    const created = await createPresentationRequest(site.store, {
      vacancy,
      qualifications: qualificationMap,
      ...LOCAL,
    });
    const resolvedRequest = await resolvePresentationRequest(created.uri, wallet, LOCAL);
    resolvedRequest.id = created.id;
    return resolvedRequest;
  };

  // a) The worker raises a level inside a signed credential.
  const [h, p, s] = issued[3].token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  claims.credentialSubject.result[0].achievedLevel = 'urn:skillpass:scale:proficiency:v1:level-5';
  const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
  {
    const req = await newRequest(employer);
    const forged = await preparePresentationAnswer(wallet, req, { only: [issued[0].id, issued[3].id] });
    const millingQuery = Object.keys(forged.presented).find((q) => forged.presented[q] === issued[3].id);
    forged.vpToken[millingQuery] = [await vpJwt(req, [tampered])];
    await expectRefused('a) milling level edited from 2 to 5 inside the credential', employer, req, forged, [
      'ERR_SIGNATURE_INVALID',
    ]);
  }
  // b) The employer who received the first answer replays it to another employer's request,
  //    and posts it once more to the request it answered.
  const otherEmployer = await startVerifierSite('other-employer', {
    registry,
    crosswalk,
    qualifications: qualificationMap,
  });
  {
    const req = await newRequest(otherEmployer);
    await expectRefused('b) vp_token replayed to another employer', otherEmployer, req, answer, [
      'ERR_AUDIENCE_MISMATCH',
      'ERR_CHALLENGE_MISMATCH',
    ]);
    const again = await sendPresentationAnswer(resolved, answer, LOCAL);
    expect(!again.accepted && again.error?.code === 'ERR_REQUEST_ANSWERED', 'a second answer is refused');
    say(`✗ ${'   the same vp_token posted again to its own request'.padEnd(58)} ${again.error.code}`);
  }
  // c) The worker adds a colleague's credential (the colleague received it by offer).
  const colleague = await createWallet({
    path: join(OUT, 'colleague', 'wallet.skillpass'),
    passphrase: 'colleague passphrase',
    verifier: localVerifier(),
  });
  closers.push(() => colleague.close());
  const theirs = await offerAndReceive(centreSite, colleague, {
    skill: skill('operate a CNC lathe'),
    level: 4,
    evidence: [{ method: 'practical-exam', assessedOn: daysAgo(10) }],
  });
  {
    const req = await newRequest(employer);
    const padded = await preparePresentationAnswer(wallet, req, { only: [issued[0].id] });
    const latheQuery = queryFor(req, skill('operate a CNC lathe').uri);
    padded.vpToken[latheQuery] = [await vpJwt(req, [theirs.token])];
    padded.presented[latheQuery] = theirs.id;
    await expectRefused("c) answer holding a colleague's lathe credential", employer, req, padded, [
      'ERR_HOLDER_MISMATCH',
    ]);
  }
  say('(The wallet itself refuses to store a credential issued to someone else:');
  try {
    await wallet.addCredential(theirs.token);
    throw new Error('the wallet accepted a credential of another subject');
  } catch (err) {
    if (err.code !== 'ERR_HOLDER_MISMATCH') throw err;
    say(` wallet.addCredential → ${err.code}.)`);
  }

  // ── 7. Revocation ──────────────────────────────────────────────────────────────────────
  step(7, 'The centre revokes a credential; the employer sees it at its next request');
  await centre.revoke(issued[2].id, { reason: 'measuring assessment found irregular on audit' });
  say(`centre.revoke(${issued[2].id}) — recorded in the audit log; the status list is re-signed and served`);
  {
    const req = await newRequest(employer);
    const outcome = await sendPresentationAnswer(req, await preparePresentationAnswer(wallet, req), LOCAL);
    const result = readPresentationResult(employer.store, req.id);
    const report = result?.verification;
    const revoked = report?.credentials.find((c) => !c.verified);
    expect(
      !outcome.accepted &&
        result.status === 'refused' &&
        revoked?.id === issued[2].id &&
        revoked.checks.find((c) => c.name === 'status')?.code === 'ERR_REVOKED' &&
        report.credentials.filter((c) => !c.verified).length === 1,
      `the revoked credential fails its status check, got ${codes(report)}`,
    );
    say(
      `✗ ${revoked.skill.name}: status check → ERR_REVOKED; the other ${report.credentials.length - 1} still verify`,
    );
    say(`  the response endpoint answered ${outcome.status} ${outcome.error.error} (${outcome.error.code})`);
  }
  // The worker drops it from the wallet; the next steps use the remaining credentials.
  wallet.remove(issued[2].id);

  // ── 8. Selective disclosure ────────────────────────────────────────────────────────────
  step(8, 'Selective disclosure: how and when, not who assessed or the score');
  const CAD_ASSESSOR = 'R. Jansen';
  const CAD_SCORE = 77;
  // Every assessment detail selectively disclosable: dc+sd-jwt, bound to the wallet's key (cnf).
  const cadcam = await offerAndReceive(
    centreSite,
    wallet,
    {
      skill: skill('use CAD/CAM software'),
      level: 3,
      evidence: [
        {
          method: 'practical-exam',
          assessedOn: daysAgo(7),
          assessor: { name: CAD_ASSESSOR },
          score: CAD_SCORE,
        },
      ],
    },
    { format: 'dc+sd-jwt', txCode: true },
  );
  const sdPayload = JSON.parse(Buffer.from(cadcam.token.split('~')[0].split('.')[1], 'base64url').toString());
  expect(
    sdPayload.cnf?.jwk !== undefined && sdPayload.status?.status_list !== undefined,
    'the SD-JWT is bound to the wallet key and carries a Token Status List entry',
  );
  say(`✓ ${'use CAD/CAM software'.padEnd(52)} level 3   ${cadcam.id}   (dc+sd-jwt, by offer with tx code)`);
  say(
    `  bound to the wallet's key (cnf); status in both lists: status_list ${sdPayload.status.status_list.uri.replace(base, '')}#${sdPayload.status.status_list.idx}`,
  );
  say(`  the worker may disclose: ${(await listDisclosableClaims(cadcam.token)).join(', ')}`);
  const sdRequest = await newRequest(employer);
  const disclose = ['evidence', 'assessedOn'];
  say(
    `$ skillpass present --request '<the next request>' --disclose ${cadcam.id}=${disclose.join(',')} --allow-http-localhost`,
  );
  const selective = await preparePresentationAnswer(wallet, sdRequest, {
    disclose: { [cadcam.id]: disclose },
  });
  const cadShown = selective.shown.find((x) => x.credentialId === cadcam.id);
  expect(cadShown !== undefined, 'the SD-JWT answers the CAD/CAM query');
  say(`The wallet shows, before sending (${cadShown.queryId}, dc+sd-jwt with key binding):`);
  say(`  disclosed   ${cadShown.disclosed.join(', ')}`);
  say(`  kept back   ${cadShown.withheld.join(', ')}`);
  const sdOutcome = await sendPresentationAnswer(sdRequest, selective, LOCAL);
  expect(sdOutcome.accepted, `the selective answer is accepted: ${JSON.stringify(sdOutcome.error)}`);
  const sdResult = readPresentationResult(employer.store, sdRequest.id);
  const sdReport = sdResult.verification;
  expect(
    sdResult.status === 'verified' && sdReport.verified,
    `the selective answer verifies: ${codes(sdReport)}`,
  );
  const cadReport = sdReport.credentials.find((c) => c.id === cadcam.id);
  say(
    `The employer verifies: ✓ all ${sdReport.credentials.length} credentials. For the CAD/CAM credential the report holds`,
  );
  say(`  disclosed   ${cadReport.disclosed.join(', ')}`);
  say(`  evidence    ${JSON.stringify(cadReport.claims.evidence)}`);
  say(`  checks      ${cadReport.checks.map((c) => `${c.name} ${c.ok ? '✓' : `✗ ${c.code}`}`).join('  ')}`);
  // Nothing the worker kept back may reach the employer: not the name or the score as any value
  // anywhere in the result, nor an assessor or score claim in this credential's report.
  const leaks = [];
  const scan = (value, path) => {
    if (typeof value === 'string' && value.includes(CAD_ASSESSOR)) leaks.push(`${path}: the assessor's name`);
    else if (value === CAD_SCORE) leaks.push(`${path}: the score`);
    else if (value !== null && typeof value === 'object')
      for (const [key, child] of Object.entries(value)) scan(child, `${path}/${key}`);
  };
  scan(JSON.parse(JSON.stringify(sdResult)), '');
  for (const claim of ['"assessor"', '"score"']) {
    if (JSON.stringify(cadReport).includes(claim)) leaks.push(`${claim} in the CAD/CAM credential's report`);
  }
  expect(leaks.length === 0, `undisclosed claims reached the verifier: ${leaks.join('; ')}`);
  say(
    `✓ neither the assessor (${CAD_ASSESSOR}) nor the score (${CAD_SCORE}) appears anywhere in the employer's result`,
  );

  // ── 9. Beside the vacancy ──────────────────────────────────────────────────────────────
  step(9, `Laid beside the vacancy "${vacancy.title}"`);
  say(
    `$ skillpass verifier result --dir employer ${sdRequest.id} --catalogue training-catalogue.json --crosswalk crosswalk.json\n`,
  );
  const planExit = await skillpass([
    'verifier',
    'result',
    '--dir',
    employer.dir,
    sdRequest.id,
    '--catalogue',
    join(SECTOR, 'training-catalogue.json'),
    '--crosswalk',
    join(SECTOR, 'crosswalk.json'),
  ]);
  expect(planExit === 0, `verifier result succeeds (exit ${planExit})`);
  const match = sdResult.match;
  const plan = planTraining(match, parseTrainingCatalogue(readSector('training-catalogue.json')), {
    crosswalk,
  });
  expect(
    plan.modules.length > 0 &&
      match.requirements.some((r) => r.outcome === 'met' && r.via === 'qualification'),
    'a match that counts the diploma, and a training plan',
  );

  // ── 10. The employer's view: a pool of candidates ──────────────────────────────────────
  step(10, 'The employer ranks 200 consenting job seekers for the same vacancy');
  // Some generated job seekers hold no assessed skill yet and so have no passport; draw a few
  // more than 200 and keep the first 200 passports.
  const EMPLOYER = 'https://jobs.precisietechniek-oost.example';
  const pool = generatePool({ n: 210 });
  const poolDir = join(OUT, 'pool');
  const poolPassports = (await generatePassports(pool, { audience: EMPLOYER })).slice(0, 200);
  for (const pp of poolPassports) writeFileSync(join(poolDir, `${pp.id}.jwt`), `${pp.token}\n`);
  say(`${poolPassports.length} passports written to pool/, each signed by its worker for this employer`);
  say('$ skillpass rank vacancy-cnc-machinist.json pool/ --top 5 --crosswalk crosswalk.json …\n');
  const rankExit = await skillpass([
    'rank',
    vacancyPath,
    poolDir,
    '--top',
    '5',
    '--crosswalk',
    join(SECTOR, 'crosswalk.json'),
    '--audience',
    EMPLOYER,
    '--challenge',
    `pool-${DEFAULT_SEED}`,
    '--max-age',
    String(31 * 86_400),
  ]);
  expect(rankExit === 0, `rank succeeds (exit ${rankExit})`);
}

const started = Date.now();
try {
  await run();
  console.log(
    `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. State of this run: examples/out/demo (issuer stores, wallets, verifier stores, pool).`,
  );
} catch (err) {
  console.error(`\ndemo failed: ${err?.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await closeAll();
}
