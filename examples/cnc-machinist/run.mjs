#!/usr/bin/env node
// The CNC-machinist scenario, end to end: an assessment centre (did:web, served on 127.0.0.1)
// assesses a worker and signs skill credentials; the worker keeps them in an encrypted wallet
// and builds a passport for one employer; the employer verifies it, sees it fail for the right
// reasons when it is tampered with, replayed or padded with someone else's credential, sees a
// revocation; the worker shows an SD-JWT credential without its assessor and score; and the
// employer lays the passport beside a vacancy: gaps, training plan, and a ranking of a pool of
// candidates. Run with `npm run demo` (it builds first). State goes to examples/out/demo.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  answerPresentationRequest,
  createPassport,
  createWallet,
  describePresentationRequest,
  listDisclosableClaims,
  resolvePresentationRequest,
} from '@skillpass/holder';
import { createStatusHandler, initIssuer, issueSkillCredential } from '@skillpass/issuer';
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
const EMPLOYER = 'https://jobs.precisietechniek-oost.example';
const OTHER_EMPLOYER = 'https://jobs.elsewhere.example';
// Demo passphrases; real users set SKILLPASS_ISSUER_PASSPHRASE / SKILLPASS_WALLET_PASSPHRASE.
const CENTRE_PASSPHRASE = 'demo centre passphrase';
const WALLET_PASSPHRASE = 'demo worker passphrase';

const step = (n, title) =>
  console.log(`\n\x1b[1m── ${n}. ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}\x1b[0m`);
const say = (text) => console.log(`   ${text}`);
const daysAgo = (days) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const challenge = () => randomBytes(16).toString('base64url');
const codes = (report) => [...new Set(report.problems.map((p) => p.code))].join(', ') || '(none)';
const readSector = (file) => JSON.parse(readFileSync(join(SECTOR, file), 'utf8'));
const vacancyPath = join(SECTOR, 'vacancy-cnc-machinist.json');
const vacancy = readSector('vacancy-cnc-machinist.json');
const skill = (name) => {
  const r = vacancy.requirements.find((q) => q.name === name);
  if (r === undefined) throw new Error(`no requirement ${name} in the vacancy`);
  return { uri: r.uri, name: r.name, framework: r.framework };
};

rmSync(OUT, { recursive: true, force: true });
for (const dir of ['centre', 'school', 'employer', 'worker', 'colleague', 'pool'])
  mkdirSync(join(OUT, dir), { recursive: true });

// ── 1. The assessment centre ──────────────────────────────────────────────────────────────
step(1, 'Assessment centre: a did:web identity, keys in Veramo, served on 127.0.0.1');
let handler;
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const host = `127.0.0.1:${server.address().port}`;
const centre = await initIssuer({
  path: join(OUT, 'centre', 'issuer.db'),
  passphrase: CENTRE_PASSPHRASE,
  didWeb: host,
  name: 'Metal Assessment Centre Eindhoven',
  statusBaseUrl: `http://${host}/status`,
});
handler = createStatusHandler(centre);
say(`DID          ${centre.did}`);
say(`DID document http://${host}/.well-known/did.json   status lists http://${host}/status/<n>`);
say("The private key lives in Veramo's key manager, encrypted in centre/issuer.db; it is never printed.");

// ── 2. The worker ─────────────────────────────────────────────────────────────────────────
step(2, 'Worker: an encrypted wallet of their own, with their own DID');
// The wallet verifies every credential before storing it; this demo's centre is on http://127.0.0.1.
const localVerifier = () =>
  createVerifier({
    resolverOptions: { allowHttpLocalhost: true },
    status: createStatusChecker({ allowHttpLocalhost: true }),
  });
const wallet = await createWallet({
  path: join(OUT, 'worker', 'wallet.skillpass'),
  passphrase: WALLET_PASSPHRASE,
  verifier: localVerifier(),
});
say(`Worker DID   ${wallet.did}`);

// ── 3. Assessment and issuing ─────────────────────────────────────────────────────────────
step(3, 'The centre assesses the worker and signs one credential per skill');
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
    evidence: [{ method: 'workplace-observation', assessedOn: daysAgo(45), assessor: { name: 'M. Bakker' } }],
  },
  {
    skill: skill('apply health and safety standards in the workshop'),
    level: 2,
    evidence: [{ method: 'recognition-of-prior-learning', assessedOn: daysAgo(3 * 365) }],
  },
];
const issued = [];
for (const a of assessments) {
  const { token, id } = await centre.issue(a, { subject: wallet.did });
  const entry = await wallet.addCredential(token); // the wallet verifies before it stores
  issued.push({ id, token });
  say(`✓ ${a.skill.name.padEnd(52)} level ${a.level}   ${entry.id}`);
}
say(`The centre's register now lists ${(await centre.listIssued()).length} credentials for this worker.`);

// ── 3b. The whole passport ───────────────────────────────────────────────────────────────
step('3b', 'The whole passport: a diploma, learning on the job, soft skills, an own statement');
// An MBO school signs the worker's diploma (did:key here; the trust registry accredits it for
// the qualification). Its skills count through the qualification map (--qualifications).
const qualifications = readSector('qualifications.json');
const allround = qualifications.qualifications.find((q) => q.id === 'crebo:illustrative-25293');
const school = await initIssuer({
  path: join(OUT, 'school', 'issuer.db'),
  passphrase: CENTRE_PASSPHRASE,
  didKey: true,
  name: 'Techniek College Oost (MBO school)',
});
const diploma = await school.issue(
  {
    skill: { uri: allround.id, name: allround.name, framework: 'MBO', achievementType: 'Diploma' },
    level: 3,
    evidence: [{ method: 'practical-exam', name: 'Final examination', assessedOn: daysAgo(400) }],
  },
  { subject: wallet.did },
);
await wallet.addCredential(diploma.token);
say(`✓ ${`diploma: ${allround.name}`.padEnd(52)} school    ${diploma.id}`);
// The employer the worker was placed with attests what the foreman saw on the shop floor:
// a vocational skill and two soft (ESCO transversal) skills, by workplace observation.
const employer = await initIssuer({
  path: join(OUT, 'employer', 'issuer.db'),
  passphrase: CENTRE_PASSPHRASE,
  didKey: true,
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
  const attested = await employer.issue(
    {
      ...a,
      evidence: [
        {
          method: 'workplace-observation',
          assessedOn: daysAgo(30),
          assessor: { name: 'foreman P. Smit' },
          description: 'Observed over a three-month placement on the shop floor.',
        },
      ],
    },
    { subject: wallet.did },
  );
  await wallet.addCredential(attested.token);
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

// ── 4. The passport ──────────────────────────────────────────────────────────────────────
step(4, 'The employer sends a challenge; the worker builds a passport for that employer only');
const nonce = challenge();
const passport = await wallet.createPassport({ audience: EMPLOYER, challenge: nonce });
const passportFile = join(OUT, 'passport.jwt');
writeFileSync(passportFile, `${passport}\n`);
say(`audience ${EMPLOYER}   challenge ${nonce}`);
say(`passport.jwt: ${passport.length} bytes, ${issued.length} credentials, signed by the worker`);

// The sector's trust registry, listing this demo centre by its (port-dependent) DID.
// Its accreditation periods are stretched to cover today, so the demo keeps working after the
// dates written in the file have passed.
const registry = readSector('trust-registry.json');
registry.assessmentCentres[0].id = centre.did;
registry.assessmentCentres.find((c) => c.name.startsWith('Techniek College')).id = school.did;
registry.employers[0].id = employer.did;
const inThreeYears = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString().slice(0, 10);
const stretch = (period) => {
  if (period.validFrom > daysAgo(500)) period.validFrom = daysAgo(500);
  if (period.validUntil !== undefined && period.validUntil < inThreeYears) period.validUntil = inThreeYears;
};
for (const c of registry.assessmentCentres) c.accreditations.forEach(stretch);
registry.employers.forEach(stretch);
const registryFile = join(OUT, 'trust-registry.json');
writeFileSync(registryFile, `${JSON.stringify(registry, null, 2)}\n`);

// ── 5. Verification ──────────────────────────────────────────────────────────────────────
step(5, 'The employer verifies: every check, per credential');
say(
  `$ skillpass verify passport.jwt --audience ${EMPLOYER} --challenge=${nonce} --trust trust-registry.json --allow-http-localhost\n`,
);
const verifyArgs = (file, audience, nonceValue) => [
  'verify',
  file,
  '--audience',
  audience,
  // `=` form: a base64url challenge may start with '-', which would read as a flag.
  `--challenge=${nonceValue}`,
  '--trust',
  registryFile,
  '--allow-http-localhost',
];
const exit = await skillpass(verifyArgs(passportFile, EMPLOYER, nonce));
if (exit !== 0) throw new Error(`the honest passport should verify (exit ${exit})`);

// ── 5b. The worker's own view ────────────────────────────────────────────────────────────
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
if (listExit !== 0) throw new Error(`wallet list should succeed (exit ${listExit})`);

// ── 6. What must fail ────────────────────────────────────────────────────────────────────
step(6, 'The same passport, abused: each fails with its code');
const verifier = createVerifier({
  resolverOptions: { allowHttpLocalhost: true },
  status: createStatusChecker({ allowHttpLocalhost: true }),
  trust: await loadTrustRegistry(registry),
});
const expectFailure = async (label, token, options, expected) => {
  const report = await verifier.verifyPassport(token, options);
  const seen = codes(report);
  if (report.verified || !expected.every((c) => seen.includes(c))) {
    throw new Error(`${label}: expected ${expected.join(', ')}, got ${seen}`);
  }
  say(`✗ ${label.padEnd(58)} ${seen}`);
};
const holder = { did: wallet.did, signingKey: await wallet.signingKey() };

// a) The worker raises a level inside a signed credential.
const [h, p, s] = issued[3].token.split('.');
const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
claims.credentialSubject.result[0].achievedLevel = 'urn:skillpass:scale:proficiency:v1:level-5';
const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
const tamperedNonce = challenge();
await expectFailure(
  'a) milling level edited from 2 to 5 inside the credential',
  await createPassport({
    holder,
    credentials: [issued[0].token, tampered],
    audience: EMPLOYER,
    challenge: tamperedNonce,
  }),
  { audience: EMPLOYER, challenge: tamperedNonce },
  ['ERR_SIGNATURE_INVALID'],
);
// b) Another employer receives the passport and replays it.
await expectFailure(
  'b) passport replayed to another employer',
  passport,
  { audience: OTHER_EMPLOYER, challenge: challenge() },
  ['ERR_AUDIENCE_MISMATCH', 'ERR_CHALLENGE_MISMATCH'],
);
// c) The worker adds a colleague's credential.
const colleague = await createWallet({
  path: join(OUT, 'colleague', 'wallet.skillpass'),
  passphrase: 'colleague passphrase',
  verifier: localVerifier(),
});
const theirs = await centre.issue(
  {
    skill: skill('operate a CNC lathe'),
    level: 4,
    evidence: [{ method: 'practical-exam', assessedOn: daysAgo(10) }],
  },
  { subject: colleague.did },
);
const paddedNonce = challenge();
await expectFailure(
  "c) passport holding a colleague's lathe credential",
  await createPassport({
    holder,
    credentials: [issued[0].token, theirs.token],
    audience: EMPLOYER,
    challenge: paddedNonce,
  }),
  { audience: EMPLOYER, challenge: paddedNonce },
  ['ERR_HOLDER_MISMATCH'],
);
say('(The wallet itself refuses to store a credential issued to someone else:');
try {
  await wallet.addCredential(theirs.token);
  throw new Error('the wallet accepted a credential of another subject');
} catch (err) {
  if (err.code !== 'ERR_HOLDER_MISMATCH') throw err;
  say(` wallet.addCredential → ${err.code}.)`);
}

// ── 7. Revocation ────────────────────────────────────────────────────────────────────────
step(7, 'The centre revokes a credential; the employer sees it at the next verification');
await centre.revoke(issued[2].id, { reason: 'measuring assessment found irregular on audit' });
say(`centre.revoke(${issued[2].id}) — recorded in the audit log; the status list is re-signed and served`);
const laterNonce = challenge();
const later = await wallet.createPassport({ audience: EMPLOYER, challenge: laterNonce });
const afterRevocation = await localVerifier().verifyPassport(later, {
  audience: EMPLOYER,
  challenge: laterNonce,
});
const revoked = afterRevocation.credentials.find((c) => !c.verified);
if (revoked?.checks.find((c) => c.name === 'status')?.code !== 'ERR_REVOKED') {
  throw new Error(`expected ERR_REVOKED, got ${codes(afterRevocation)}`);
}
say(
  `✗ ${revoked.skill.name}: status check → ERR_REVOKED; the other ${afterRevocation.credentials.length - 1} still verify`,
);
// The worker drops it from the wallet; the next steps use the remaining credentials.
wallet.remove(issued[2].id);

// ── 8. Selective disclosure ──────────────────────────────────────────────────────────────
step(8, 'Selective disclosure: how and when, not who assessed or the score');
const CAD_ASSESSOR = 'R. Jansen';
const CAD_SCORE = 77;
const cadcam = await centre.issue(
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
  { subject: wallet.did, format: 'dc+sd-jwt' }, // every assessment detail selectively disclosable
);
await wallet.addCredential(cadcam.token);
say(`✓ ${'use CAD/CAM software'.padEnd(52)} level 3   ${cadcam.id}   (dc+sd-jwt)`);
say(
  `  registered with its own status entry; the worker may disclose: ${(await listDisclosableClaims(cadcam.token)).join(', ')}`,
);
const sdNonce = challenge();
const disclose = ['evidence', 'assessedOn'];
say(
  `$ skillpass present --audience ${EMPLOYER} --challenge=${sdNonce} --disclose ${cadcam.id}=${disclose.join(',')}`,
);
const selective = await wallet.createPassport({
  audience: EMPLOYER,
  challenge: sdNonce,
  disclose: { [cadcam.id]: disclose },
});
const sdReport = await verifier.verifyPassport(selective, { audience: EMPLOYER, challenge: sdNonce });
if (!sdReport.verified) throw new Error(`the selective passport should verify: ${codes(sdReport)}`);
const cadReport = sdReport.credentials.find((c) => c.id === cadcam.id);
say(
  `The employer verifies: ✓ all ${sdReport.credentials.length} credentials. For the CAD/CAM credential the report holds`,
);
say(`  disclosed   ${cadReport.disclosed.join(', ')}`);
say(`  evidence    ${JSON.stringify(cadReport.claims.evidence)}`);
say(`  checks      ${cadReport.checks.map((c) => `${c.name} ${c.ok ? '✓' : `✗ ${c.code}`}`).join('  ')}`);
// Nothing the worker kept back may reach the employer: not the name or the score as any value
// anywhere in the report, nor an assessor or score claim in this credential's report.
const leaks = [];
const scan = (value, path) => {
  if (typeof value === 'string' && value.includes(CAD_ASSESSOR)) leaks.push(`${path}: the assessor's name`);
  else if (value === CAD_SCORE) leaks.push(`${path}: the score`);
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) scan(child, `${path}/${key}`);
};
scan(JSON.parse(JSON.stringify(sdReport)), '');
for (const claim of ['"assessor"', '"score"']) {
  if (JSON.stringify(cadReport).includes(claim)) leaks.push(`${claim} in the CAD/CAM credential's report`);
}
if (leaks.length > 0) throw new Error(`undisclosed claims reached the verifier: ${leaks.join('; ')}`);
say(
  `✓ neither the assessor (${CAD_ASSESSOR}) nor the score (${CAD_SCORE}) appears anywhere in the JSON report`,
);

// ── 9. Beside the vacancy ────────────────────────────────────────────────────────────────
step(9, `Laid beside the vacancy "${vacancy.title}"`);
const matchNonce = challenge();
const matchFile = join(OUT, 'passport-for-match.jwt');
writeFileSync(matchFile, `${await wallet.createPassport({ audience: EMPLOYER, challenge: matchNonce })}\n`);
say(
  `$ skillpass match passport.jwt vacancy-cnc-machinist.json --catalogue training-catalogue.json --crosswalk crosswalk.json --qualifications qualifications.json --trust trust-registry.json …\n`,
);
const matchExit = await skillpass([
  'match',
  matchFile,
  vacancyPath,
  '--catalogue',
  join(SECTOR, 'training-catalogue.json'),
  '--crosswalk',
  join(SECTOR, 'crosswalk.json'),
  '--qualifications',
  join(SECTOR, 'qualifications.json'),
  '--audience',
  EMPLOYER,
  `--challenge=${matchNonce}`,
  '--trust',
  registryFile,
  '--allow-http-localhost',
]);
if (matchExit !== 0) throw new Error(`match failed (exit ${matchExit})`);

// ── 10. The employer's view: a pool of candidates ────────────────────────────────────────
step(10, 'The employer ranks 200 consenting job seekers for the same vacancy');
// Some generated job seekers hold no assessed skill yet and so have no passport; draw a few
// more than 200 and keep the first 200 passports.
const pool = generatePool({ n: 210 });
const poolDir = join(OUT, 'pool');
const poolPassports = (await generatePassports(pool, { audience: EMPLOYER })).slice(0, 200);
for (const p of poolPassports) writeFileSync(join(poolDir, `${p.id}.jwt`), `${p.token}\n`);
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
if (rankExit !== 0) throw new Error(`rank failed (exit ${rankExit})`);

// ── 11. Any wallet, any verifier: the same exchange over OpenID4VP 1.0 ──────────────────
step(11, "The employer asks the worker's wallet over OpenID4VP 1.0 (DCQL), no files passed");
const employerDir = join(OUT, 'employer');
initVerifier({ dir: employerDir, didKey: true });
const employerStore = openVerifierStore(employerDir);
const employerResolver = createNetworkDidResolver({ allowHttpLocalhost: true });
const employerService = createVerifierService({
  store: employerStore,
  resolver: employerResolver,
  verifier: createVerifier({
    resolver: employerResolver,
    status: createStatusChecker({ allowHttpLocalhost: true }),
    trust: await loadTrustRegistry(registry),
  }),
});
const employerServer = await listen(employerService.app, { port: 0 });
employerStore.setPublicUrl(employerServer.url);
say(`verifier ${employerStore.identity.clientId.slice(0, 60)}… serving on ${employerServer.url}`);
const vpRequest = await createPresentationRequest(employerStore, { vacancy, allowHttpLocalhost: true });
say(`$ skillpass verifier request --dir employer --vacancy vacancy-cnc-machinist.json`);
say(`${vpRequest.uri.slice(0, 100)}…`);
const resolvedRequest = await resolvePresentationRequest(vpRequest.uri, wallet, { allowHttpLocalhost: true });
say('The wallet checks the request object’s signature against the client id, then shows:');
for (const line of describePresentationRequest(resolvedRequest).slice(0, 6)) say(`  ${line.slice(0, 150)}`);
const answered = await answerPresentationRequest(wallet, resolvedRequest, { allowHttpLocalhost: true });
if (!answered.accepted) throw new Error(`the employer refused the answer: ${JSON.stringify(answered.error)}`);
say(
  `✓ sent ${Object.keys(answered.presented).length} presentations (vp_token keyed by DCQL query id, encrypted: direct_post.jwt)`,
);
const vpResult = readPresentationResult(employerStore, vpRequest.id);
if (vpResult?.status !== 'verified') throw new Error(`expected a verified result, got ${vpResult?.status}`);
say(
  `$ skillpass verifier result --dir employer ${vpRequest.id} → ${vpResult.status}, match score ${vpResult.match.score.toFixed(2)}`,
);
for (const r of vpResult.match.requirements) say(`  ${r.outcome.padEnd(22)} ${r.name}`);
const replayed = await answerPresentationRequest(wallet, resolvedRequest, { allowHttpLocalhost: true });
if (replayed.accepted || replayed.error?.code !== 'ERR_REQUEST_ANSWERED') {
  throw new Error(
    `a second answer to the same request must be refused, got ${JSON.stringify(replayed.error)}`,
  );
}
say(`✗ answering the same request again                          ${replayed.error.code}`);
await employerServer.close();
employerStore.close();

wallet.close();
colleague.close();
centre.close();
school.close();
employer.close();
server.close();
console.log('\nDone. State of this run: examples/out/demo (centre store, wallet, passports).');
