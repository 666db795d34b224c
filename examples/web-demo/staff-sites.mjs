// The centre's and the employer's staff pages with demo data, for `npm run demo:web`:
//   const { centre, employer } = await startStaffSites({ outDir, adminSecret });
// The centre (did:web on 127.0.0.1, status lists, the example skill list) serves its
// OpenID4VCI endpoints and pages; the employer (did:key verifier) serves OpenID4VP and its pages
// with the example crosswalk, training catalogue, qualification map and skill list, and a pool
// folder of 60 consenting job seekers' passports addressed to it. Both listen on 127.0.0.1 only.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initIssuer } from '@skillpass/issuer';
import {
  createCentreSite,
  OfferStore,
  parseCentreSkills,
  startIssuerService,
} from '@skillpass/issuer-service';
import { compileCrosswalk, parseQualificationMap, parseTrainingCatalogue } from '@skillpass/match';
import { openSqlite } from '@skillpass/store';
import { createNetworkDidResolver, createStatusChecker, createVerifier } from '@skillpass/verifier';
import {
  createEmployerSite,
  createVerifierService,
  initVerifier,
  listen,
  openVerifierStore,
} from '@skillpass/verifier-service';
import { DEFAULT_SEED, generatePassports, generatePool } from '../generate-pool.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SECTOR = join(HERE, '..', 'metal-sector');
const read = (file) => JSON.parse(readFileSync(join(SECTOR, file), 'utf8'));

/** The challenge the pool's passports carry (fill it in on the ranking page, with the audience). */
export const POOL_CHALLENGE = `pool-${DEFAULT_SEED}`;

/**
 * Start the centre's and the employer's sites on 127.0.0.1 (free ports) with demo data under
 * `outDir` (wiped by the caller). Returns their URLs, the staff access code and a `close()`.
 *
 * @param {{ outDir: string, adminSecret?: string, centrePassphrase?: string, poolSize?: number }} options
 */
export async function startStaffSites({
  outDir,
  adminSecret = randomBytes(18).toString('base64url'),
  centrePassphrase = 'demo centre passphrase',
  poolSize = 60,
}) {
  for (const dir of ['centre', 'employer', 'pool']) mkdirSync(join(outDir, dir), { recursive: true });
  const skills = parseCentreSkills(read('centre-skills.json'));

  // The centre: did:web on its own bound port (the DID document and status lists are served by it).
  const centrePath = join(outDir, 'centre', 'issuer.db');
  let centreIssuer;
  const centre = await startIssuerService({
    port: 0,
    app: async (url) => {
      const host = new URL(url).host;
      centreIssuer = await initIssuer({
        path: centrePath,
        passphrase: centrePassphrase,
        didWeb: host,
        name: 'Metaal Examencentrum Eindhoven (demo)',
        statusBaseUrl: `${url}/status`,
        // Lists say ttl 0, so a verifier sees a revocation at once (the default is 5 minutes of caching).
        statusTtlMs: 0,
      });
      return createCentreSite({
        issuer: centreIssuer,
        offers: new OfferStore(openSqlite(centrePath)),
        publicUrl: url,
        skills,
        adminSecret,
      });
    },
  });

  // The employer: a did:key verifier; every presentation gets every check (status over http on loopback).
  const employerDir = join(outDir, 'employer');
  initVerifier({ dir: employerDir, didKey: true });
  const store = openVerifierStore(employerDir);
  const resolver = createNetworkDidResolver({ allowHttpLocalhost: true });
  const verifier = createVerifier({ resolver, status: createStatusChecker({ allowHttpLocalhost: true }) });
  const crosswalk = compileCrosswalk(read('crosswalk.json'));
  const service = createVerifierService({ store, verifier, resolver, crosswalk });
  const poolDir = join(outDir, 'pool');
  const site = createEmployerSite({
    service,
    store,
    verifier,
    crosswalk,
    skills,
    catalogue: parseTrainingCatalogue(read('training-catalogue.json')),
    qualifications: parseQualificationMap(read('qualifications.json')),
    adminSecret,
    allowHttpLocalhost: true,
    poolDir,
  });
  const employer = await listen(site, { port: 0 });
  store.setPublicUrl(employer.url);

  // A pool of consenting job seekers' passports, addressed to this employer (none with poolSize 0).
  const pool = poolSize > 0 ? generatePool({ n: Math.ceil(poolSize * 1.1) }) : [];
  const passports = (await generatePassports(pool, { audience: employer.url })).slice(0, poolSize);
  for (const p of passports) writeFileSync(join(poolDir, `${p.id}.jwt`), `${p.token}\n`);

  return {
    adminSecret,
    centre: { url: centre.url, did: centreIssuer.did },
    employer: { url: employer.url, clientId: store.identity.clientId, poolDir, poolSize: passports.length },
    poolChallenge: POOL_CHALLENGE,
    async close() {
      await employer.close();
      await centre.close();
      store.close();
      centreIssuer.close();
    },
  };
}
