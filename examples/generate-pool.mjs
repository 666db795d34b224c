#!/usr/bin/env node
// Generate a seeded pool of metal-sector worker passport summaries (CandidateSummary[] of
// @skillpass/match) for the CNC-machinist scenario and the rank-100k benchmark.
//
//   node examples/generate-pool.mjs [--n 200] [--seed 20261101] [--as-of 2026-11-01] [--out examples/out]
//                                   [--passports [--audience https://jobs.example]]
//
// Writes <out>/candidate-pool.json. The same seed always gives the same pool. With --passports
// (needs the packages built: `npx tsc -b`) it also writes <out>/passports/<worker>.jwt: each
// worker's skills as credentials signed by one assessment centre, presented in a passport signed
// by the worker (did:key, keys derived from the seed), valid 30 days, challenge `pool-<seed>`.
// Rank them with:
//   skillpass rank examples/metal-sector/vacancy-cnc-machinist.json examples/out/passports \
//     --crosswalk examples/metal-sector/crosswalk.json --audience https://jobs.example --max-age 2592000 Workers are drawn
// from six profiles (experienced CNC machinist, conventional machinist, junior, welder,
// assembler, logistics) with skills, levels and assessment dates typical of each; some
// credentials are aligned to CompetentNL rather than ESCO, or to a narrower skill, so matching
// needs the crosswalk. Skill URIs come from examples/metal-sector (mostly illustrative).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const SECTOR = join(HERE, 'metal-sector');
const readJson = (file) => JSON.parse(readFileSync(join(SECTOR, file), 'utf8'));

/** Default seed and reference date: the pool is the same on every machine and every day. */
export const DEFAULT_SEED = 20261101;
export const DEFAULT_AS_OF = '2026-11-01';

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function createRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The skill concepts workers can hold, keyed; URIs from the example vacancy and crosswalk. */
function skillTable() {
  const vacancy = readJson('vacancy-cnc-machinist.json');
  const crosswalk = readJson('crosswalk.json');
  const concepts = new Map();
  for (const r of vacancy.requirements) concepts.set(r.name, r.uri);
  for (const g of crosswalk.exactMatch) for (const c of g.concepts) concepts.set(c.name, c.uri);
  for (const n of crosswalk.narrower) for (const c of [n.narrower, n.broader]) concepts.set(c.name, c.uri);
  const uri = (name) => {
    const found = concepts.get(name);
    if (found === undefined) throw new Error(`example data has no concept named ${name}`);
    return found;
  };
  // Skills outside the vacancy (illustrative ESCO-form URIs, random UUIDs).
  const other = (id) => `http://data.europa.eu/esco/skill/${id}`;
  return {
    prog: {
      name: 'program a CNC controller',
      uri: uri('program a CNC controller'),
      nl: uri('CNC-machines programmeren'),
    },
    mill: { name: 'operate a CNC milling machine', uri: uri('operate a CNC milling machine') },
    mill5: { name: 'operate a 5-axis CNC milling machine', uri: uri('operate a 5-axis CNC milling machine') },
    blue: {
      name: 'read standard blueprints',
      uri: uri('read standard blueprints'),
      nl: uri('Technische tekeningen lezen'),
    },
    lathe: { name: 'operate a CNC lathe', uri: uri('operate a CNC lathe') },
    meas: {
      name: 'use precision measuring equipment',
      uri: uri('use precision measuring equipment'),
      nl: uri('Precisiemeetinstrumenten gebruiken'),
    },
    cmm: {
      name: 'operate a coordinate measuring machine',
      uri: uri('operate a coordinate measuring machine'),
      nl: uri('Meten met een 3D-coördinatenmeetmachine'),
    },
    setup: {
      name: 'set up machine tools and work holding',
      uri: uri('set up machine tools and work holding'),
    },
    hs: {
      name: 'apply health and safety standards in the workshop',
      uri: uri('apply health and safety standards in the workshop'),
    },
    qual: { name: 'monitor machining quality', uri: uri('monitor machining quality') },
    cadcam: { name: 'use CAD/CAM software', uri: uri('use CAD/CAM software') },
    maint: {
      name: 'perform preventive machine maintenance',
      uri: uri('perform preventive machine maintenance'),
    },
    fork: { name: 'operate forklift', uri: uri('operate forklift') },
    aid: { name: 'first aid', uri: uri('first aid') },
    weld: { name: 'weld metal parts', uri: other('bea578ef-dcb6-420b-b1b9-e088da084390') },
    convlathe: { name: 'operate a conventional lathe', uri: other('72849513-3e9c-4fc8-8cd1-a611c872d7e7') },
    grind: { name: 'grind and deburr metal', uri: other('46ae00bb-bc2d-434e-874c-431f8f1421fe') },
    assembly: { name: 'assemble metal parts', uri: other('01d3c4e5-47c3-4540-8456-292c4b92269c') },
  };
}

// Per profile: share of the pool, how far back assessments go (months), and per skill
// [probability of holding it, lowest level, highest level] on the 1-5 proficiency scale.
const PROFILES = [
  {
    name: 'experienced CNC machinist',
    share: 0.15,
    months: 96,
    skills: {
      prog: [0.9, 3, 5],
      mill: [0.85, 3, 5],
      mill5: [0.25, 3, 5],
      blue: [0.9, 3, 5],
      lathe: [0.6, 2, 4],
      meas: [0.8, 3, 4],
      cmm: [0.2, 3, 4],
      setup: [0.85, 3, 5],
      hs: [0.8, 2, 3],
      qual: [0.6, 2, 4],
      cadcam: [0.4, 2, 4],
      maint: [0.4, 2, 3],
      fork: [0.3, 2, 2],
      aid: [0.25, 2, 2],
    },
  },
  {
    name: 'conventional machinist',
    share: 0.2,
    months: 84,
    skills: {
      blue: [0.9, 3, 4],
      convlathe: [0.9, 3, 5],
      meas: [0.85, 3, 4],
      setup: [0.6, 2, 4],
      lathe: [0.3, 1, 3],
      prog: [0.25, 1, 2],
      mill: [0.2, 1, 3],
      hs: [0.8, 2, 3],
      qual: [0.5, 2, 3],
      grind: [0.5, 2, 4],
      maint: [0.35, 2, 3],
      fork: [0.3, 2, 2],
      aid: [0.2, 2, 2],
    },
  },
  {
    name: 'junior',
    share: 0.2,
    months: 30,
    skills: {
      prog: [0.6, 1, 3],
      mill: [0.5, 1, 3],
      lathe: [0.5, 1, 3],
      blue: [0.7, 2, 3],
      meas: [0.6, 2, 3],
      setup: [0.4, 1, 2],
      hs: [0.7, 1, 2],
      qual: [0.3, 1, 2],
      cadcam: [0.3, 1, 3],
      aid: [0.1, 2, 2],
    },
  },
  {
    name: 'welder',
    share: 0.15,
    months: 72,
    skills: {
      weld: [0.95, 2, 5],
      blue: [0.7, 2, 4],
      grind: [0.6, 2, 4],
      hs: [0.85, 2, 3],
      fork: [0.4, 2, 2],
      aid: [0.3, 2, 2],
      meas: [0.3, 2, 3],
      assembly: [0.4, 2, 4],
    },
  },
  {
    name: 'assembler',
    share: 0.2,
    months: 72,
    skills: {
      assembly: [0.9, 2, 4],
      hs: [0.8, 2, 3],
      qual: [0.5, 2, 3],
      fork: [0.5, 2, 2],
      meas: [0.4, 1, 3],
      blue: [0.4, 1, 3],
      aid: [0.25, 2, 2],
      maint: [0.3, 1, 3],
    },
  },
  {
    name: 'logistics',
    share: 0.1,
    months: 72,
    skills: { fork: [0.7, 2, 2], aid: [0.5, 2, 2], hs: [0.5, 1, 2] },
  },
];

/** Share of credentials for a skill with a CompetentNL equivalent that are aligned to it instead. */
const COMPETENTNL_SHARE = 0.3;
const MS_PER_DAY = 86_400_000;

/**
 * Generate `n` candidate summaries. Same `seed` and `asOf`, same pool.
 * @returns {{ id: string, skills: { uri: string, level: number, assessedOn: string, name: string }[] }[]}
 */
export function generatePool({ n = 200, seed = DEFAULT_SEED, asOf = DEFAULT_AS_OF } = {}) {
  if (!Number.isInteger(n) || n < 0) throw new Error('n must be a non-negative integer');
  const random = createRandom(seed);
  const table = skillTable();
  const asOfDay = Math.floor(Date.parse(`${asOf}T00:00:00Z`) / MS_PER_DAY);
  if (Number.isNaN(asOfDay)) throw new Error('asOf must be a date (YYYY-MM-DD)');
  const width = Math.max(6, String(n).length);
  const entries = new Map(PROFILES.map((profile) => [profile, Object.entries(profile.skills)]));
  // A few thousand distinct days: format each once instead of once per credential.
  const dates = new Map();
  const dateOf = (day) => {
    let text = dates.get(day);
    if (text === undefined) {
      text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
      dates.set(day, text);
    }
    return text;
  };
  const pool = [];
  for (let i = 1; i <= n; i++) {
    const profile = pickProfile(random());
    const skills = [];
    for (const [key, [p, lo, hi]] of entries.get(profile)) {
      if (random() >= p) continue;
      const skill = table[key];
      const level = lo + Math.floor(random() * (hi - lo + 1));
      const ageDays = Math.floor(random() * profile.months * 30.44);
      const uri = skill.nl !== undefined && random() < COMPETENTNL_SHARE ? skill.nl : skill.uri;
      skills.push({
        uri,
        level,
        assessedOn: dateOf(asOfDay - ageDays),
        name: skill.name,
      });
    }
    pool.push({ id: `worker-${String(i).padStart(width, '0')}`, skills });
  }
  return pool;
}

/** An Ed25519 did:key identity whose private key is 32 bytes of the seeded PRNG. */
function seededIdentity(random, core) {
  const seed = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) seed[i] = Math.floor(random() * 256);
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const did = core.didKeyFromPublicKey(createPublicKey(privateKey));
  return {
    did,
    signingKey: {
      keyId: `${did}#${did.slice('did:key:'.length)}`,
      alg: 'EdDSA',
      sign: core.keyObjectSigner(privateKey),
    },
  };
}

/**
 * Sign the pool as passports: one assessment centre issues every skill as a credential, each
 * worker presents theirs. Workers without skills get none (a passport holds at least one).
 * Needs the built packages.
 * @returns {Promise<{ id: string, holder: string, token: string }[]>}
 */
export async function generatePassports(
  pool,
  { seed = DEFAULT_SEED, audience = 'https://jobs.example', expiresInSeconds = 30 * 86_400 } = {},
) {
  const [core, { issueSkillCredential }, { createPassport }] = await Promise.all([
    import('@skillpass/core'),
    import('@skillpass/issuer'),
    import('@skillpass/holder'),
  ]);
  const random = createRandom(seed ^ 0x5eed);
  const centre = seededIdentity(random, core);
  const issuer = { did: centre.did, name: 'Metal Sector Assessment Centre (example)' };
  const out = [];
  for (const worker of pool) {
    const holder = seededIdentity(random, core);
    if (worker.skills.length === 0) continue;
    const credentials = [];
    for (const s of worker.skills) {
      const assessment = {
        skill: { uri: s.uri, name: s.name },
        level: s.level,
        evidence: [{ method: 'practical-exam', assessedOn: s.assessedOn }],
      };
      credentials.push(
        (
          await issueSkillCredential(assessment, {
            issuer,
            subject: holder.did,
            signingKey: centre.signingKey,
          })
        ).token,
      );
    }
    const token = await createPassport({
      holder,
      credentials,
      audience,
      challenge: `pool-${seed}`,
      expiresInSeconds,
    });
    out.push({ id: worker.id, holder: holder.did, token });
  }
  return out;
}

function pickProfile(x) {
  let acc = 0;
  for (const profile of PROFILES) {
    acc += profile.share;
    if (x < acc) return profile;
  }
  return PROFILES[PROFILES.length - 1];
}

async function main() {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '200' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      'as-of': { type: 'string', default: DEFAULT_AS_OF },
      out: { type: 'string', default: join(HERE, 'out') },
      passports: { type: 'boolean', default: false },
      audience: { type: 'string', default: 'https://jobs.example' },
    },
  });
  const seed = Number(values.seed);
  const pool = generatePool({ n: Number(values.n), seed, asOf: values['as-of'] });
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const file = join(out, 'candidate-pool.json');
  writeFileSync(file, `${JSON.stringify(pool, null, 1)}\n`);
  process.stdout.write(`wrote ${pool.length} candidate summaries to ${file}\n`);
  if (values.passports) {
    const dir = join(out, 'passports');
    mkdirSync(dir, { recursive: true });
    const passports = await generatePassports(pool, { seed, audience: values.audience });
    for (const p of passports) writeFileSync(join(dir, `${p.id}.jwt`), `${p.token}\n`);
    process.stdout.write(
      `wrote ${passports.length} signed passports (audience ${values.audience}) to ${dir}\n`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
