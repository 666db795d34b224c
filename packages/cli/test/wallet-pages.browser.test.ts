import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDidResolver } from '@skillpass/core';
import {
  answerPresentationRequest,
  createWallet,
  openWallet,
  resolvePresentationRequest,
} from '@skillpass/holder';
import { type Issuer, initIssuer } from '@skillpass/issuer';
import {
  createCredentialOffer,
  createIssuerApp,
  OfferStore,
  type RunningIssuerService,
  startIssuerService,
} from '@skillpass/issuer-service';
import { parseTrainingCatalogue, type Vacancy } from '@skillpass/match';
import { openSqlite } from '@skillpass/store';
import { createStatusChecker, createVerifier } from '@skillpass/verifier';
import {
  createPresentationRequest,
  createVerifierService,
  initVerifier,
  listen,
  openVerifierStore,
  type RunningServer,
  readPresentationResult,
  type VerifierStore,
} from '@skillpass/verifier-service';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inspectPage,
  launchBrowser,
  type Party,
  PHONE,
  type TestBrowser,
} from '../../../test-support/browser.js';
import { createWalletSite, type WalletSite } from '../src/pages/wallet-site.js';

// The worker's pages (`skillpass wallet serve`) in Chromium, against a real assessment centre
// (OpenID4VCI) and a real employer (OpenID4VP) on loopback: unlock (wrong passphrase first),
// receive an offer (an expired one too), see the passport with a revoked credential, lay it
// beside a vacancy, answer a request choosing what to disclose, and answer it a second time.

const sector = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/metal-sector/${name}`, import.meta.url), 'utf8'));
const VACANCY = sector('vacancy-cnc-machinist.json') as Vacancy;
const skillOf = (name: string) => {
  const r = VACANCY.requirements.find((q) => q.name === name)!;
  return { uri: r.uri, name: r.name };
};
const TEST_KDF = { kdf: { N: 2 ** 14 }, allowWeakKdf: true } as const;
const PASSPHRASE = 'worker passphrase';
const today = new Date().toISOString().slice(0, 10);

let dir: string;
let browser: TestBrowser;
let centre: { issuer: Issuer; offers: OfferStore; service: RunningIssuerService; url: string };
let clock = () => new Date();
let employer: { store: VerifierStore; server: RunningServer; url: string };
let site: WalletSite;
let walletServer: RunningIssuerService;
let worker: Party;
let walletPath: string;

function offerFor(name: string, level: number, expiresInSeconds = 600): string {
  return createCredentialOffer({
    offers: centre.offers,
    publicUrl: centre.url,
    assessment: {
      skill: skillOf(name),
      level,
      evidence: [
        { method: 'practical-exam', assessedOn: today, assessor: { name: 'J. de Vries' }, score: 84 },
      ],
    },
    expiresInSeconds,
    format: name === 'read standard blueprints' ? 'vc+jwt' : 'dc+sd-jwt',
  }).offer;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skillpass-wallet-pages-'));
  // The centre: a did:key issuer serving OpenID4VCI and its status lists, with a clock the test moves.
  const issuerPath = join(dir, 'centre.db');
  let issuer: Issuer | undefined;
  let offers: OfferStore | undefined;
  const service = await startIssuerService({
    port: 0,
    app: async (url) => {
      issuer = await initIssuer({
        path: issuerPath,
        passphrase: 'centre passphrase',
        didKey: true,
        name: 'Metaal Examencentrum Oost',
        statusBaseUrl: `${url}/status`,
        ...TEST_KDF,
      });
      offers = new OfferStore(openSqlite(issuerPath));
      return createIssuerApp({ issuer, offers, publicUrl: url, now: () => clock() });
    },
  });
  centre = { issuer: issuer!, offers: offers!, service, url: service.url };

  // The employer: a did:key OpenID4VP verifier service.
  const verifierDir = join(dir, 'employer');
  initVerifier({ dir: verifierDir, didKey: true });
  const store = openVerifierStore(verifierDir);
  const resolver = createDidResolver({ allowHttpLocalhost: true });
  const verifierService = createVerifierService({ store, verifier: createVerifier({ resolver }), resolver });
  const server = await listen(verifierService.app, { port: 0 });
  store.setPublicUrl(server.url);
  employer = { store, server, url: server.url };

  // The worker: a wallet file and its pages.
  walletPath = join(dir, 'wallet.skillpass');
  (await createWallet({ path: walletPath, passphrase: PASSPHRASE, ...TEST_KDF })).close();
  site = createWalletSite({
    walletPath,
    allowHttpLocalhost: true,
    verifier: createVerifier({
      resolverOptions: { allowHttpLocalhost: true },
      status: createStatusChecker({ allowHttpLocalhost: true, ttlMs: 1, maxTtlMs: 1 }),
    }),
    catalogue: parseTrainingCatalogue(sector('training-catalogue.json')),
  });
  walletServer = await startIssuerService({ app: site.app as unknown as Hono, port: 0 });
  browser = await launchBrowser();
  worker = await browser.newParty({ locale: 'nl-NL', viewport: PHONE });
});

afterAll(async () => {
  await browser?.close();
  site?.close();
  await walletServer?.close();
  await employer?.server.close();
  employer?.store.close();
  await centre?.service.close();
  centre?.issuer.close();
  rmSync(dir, { recursive: true, force: true });
});

const clean = { violations: [], consoleErrors: [], pageErrors: [] };

async function submit(party: Party, button: string): Promise<void> {
  await Promise.all([
    party.page.waitForNavigation(),
    party.page.getByRole('button', { name: button }).click(),
  ]);
}

describe("the worker's pages in Chromium", () => {
  it('refuses a wrong passphrase with ERR_WALLET_LOCKED, then opens with the right one', async () => {
    const { page } = worker;
    await page.goto(`${walletServer.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await page.getByLabel('Wachtwoordzin').fill('not the passphrase');
    await submit(worker, 'Openen');
    expect(await page.getAttribute('[data-error-code]', 'data-error-code')).toBe('ERR_WALLET_LOCKED');
    expect(await inspectPage(worker, 'wallet-unlock-wrong')).toEqual(clean);
    await page.getByLabel('Wachtwoordzin').fill(PASSPHRASE);
    await submit(worker, 'Openen');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Mijn paspoort');
    expect(await inspectPage(worker, 'wallet-empty')).toEqual(clean);
  });

  it('receives offers, refuses an expired one, and shows the passport with a revoked credential', async () => {
    const { page } = worker;
    for (const [name, level] of [
      ['program a CNC controller', 3],
      ['read standard blueprints', 4],
      ['operate a CNC milling machine', 2],
    ] as const) {
      await page.goto(`${walletServer.url}/receive`);
      await page.getByLabel('Link van het aanbod').fill(offerFor(name, level));
      await submit(worker, 'Ontvangen');
      await expect(page.getByRole('status').textContent()).resolves.toContain(name);
    }
    expect(await inspectPage(worker, 'wallet-received')).toEqual(clean);

    // An offer past its lifetime: the centre refuses the code.
    const expired = offerFor('operate a CNC milling machine', 3, 60);
    clock = () => new Date(Date.now() + 2 * 3600_000);
    await page.goto(`${walletServer.url}/receive`);
    await page.getByLabel('Link van het aanbod').fill(expired);
    await submit(worker, 'Ontvangen');
    clock = () => new Date();
    expect(await page.getAttribute('[data-error-code]', 'data-error-code')).toBe('ERR_ISSUANCE_REFUSED');
    expect(await inspectPage(worker, 'wallet-offer-expired')).toEqual(clean);

    // The centre revokes the milling credential.
    const milling = (await centre.issuer.listIssued()).find(
      (r) => r.skillName === 'operate a CNC milling machine',
    )!;
    await centre.issuer.revoke(milling.id);
    await page.goto(`${walletServer.url}/`);
    const cards = page.locator('li.card');
    expect(await cards.count()).toBe(3);
    const states = await cards.evaluateAll((els) =>
      els.map((e) => (e as unknown as { dataset: { state: string } }).dataset.state),
    );
    expect(states.sort()).toEqual(['revoked', 'valid', 'valid']);
    await expect(page.locator('li.card[data-state="revoked"] h3').textContent()).resolves.toBe(
      'operate a CNC milling machine',
    );
    await expect(page.locator('li.card[data-state="revoked"]').textContent()).resolves.toContain(
      'ERR_REVOKED',
    );
    await expect(page.locator('li.card').first().textContent()).resolves.toContain(
      'Metaal Examencentrum Oost',
    );
    expect(await inspectPage(worker, 'wallet-passport')).toEqual(clean);
  });

  it('lays the passport beside the vacancy with the training plan', async () => {
    const { page } = worker;
    await page.goto(`${walletServer.url}/match?lang=en`);
    await page.getByLabel('Vacancy (JSON)').fill(JSON.stringify(VACANCY));
    await submit(worker, 'Compare');
    const outcomes = Object.fromEntries(
      await page.locator('tr[data-outcome]').evaluateAll((rows) =>
        rows.map((r) => {
          const row = r as unknown as {
            dataset: { outcome: string };
            querySelector(s: string): { textContent: string };
          };
          return [row.querySelector('th').textContent, row.dataset.outcome];
        }),
      ),
    );
    expect(outcomes['program a CNC controller']).toBe('met');
    expect(outcomes['read standard blueprints']).toBe('met');
    // Revoked: it proves nothing any more.
    expect(['unverified', 'missing']).toContain(outcomes['operate a CNC milling machine']);
    expect(await page.locator('table[data-plan="modules"] tbody tr').count()).toBeGreaterThan(0);
    expect(await inspectPage(worker, 'wallet-match-en')).toEqual(clean);
  });

  it('answers a request after showing exactly what is sent; the same request cannot be answered twice', async () => {
    const { page } = worker;
    const first = await createPresentationRequest(employer.store, {
      vacancy: VACANCY,
      allowHttpLocalhost: true,
    });
    await page.goto(`${walletServer.url}/request?lang=nl`);
    await page.getByLabel('Link van de vraag').fill(first.uri);
    await submit(worker, 'Bekijken');
    expect(await inspectPage(worker, 'wallet-request-choose')).toEqual(clean);
    await page.locator('fieldset input[name^="disclose:"][value$="score"]').first().check();
    await submit(worker, 'Bekijk wat de werkgever ziet');
    const shown = await page.locator('[data-shown] pre').allTextContents();
    expect(shown).toHaveLength(3);
    expect(shown.join('\n')).toContain('"score"');
    expect(readPresentationResult(employer.store, first.id)?.status).toBe('pending');
    expect(await inspectPage(worker, 'wallet-request-preview')).toEqual(clean);
    await submit(worker, 'Versturen');
    expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('accepted');
    expect(readPresentationResult(employer.store, first.id)?.status).toBe('verified');

    // The same link again: the employer no longer serves an answered request.
    await page.goto(`${walletServer.url}/request`);
    await page.getByLabel('Link van de vraag').fill(first.uri);
    await submit(worker, 'Bekijken');
    expect(await page.getAttribute('[data-error-code]', 'data-error-code')).toBe('ERR_REQUEST_INVALID');

    // A request answered from elsewhere (another device) while this page showed the preview.
    const second = await createPresentationRequest(employer.store, {
      vacancy: VACANCY,
      allowHttpLocalhost: true,
    });
    await page.goto(`${walletServer.url}/request`);
    await page.getByLabel('Link van de vraag').fill(second.uri);
    await submit(worker, 'Bekijken');
    await submit(worker, 'Bekijk wat de werkgever ziet');
    const elsewhere = await openWallet({ path: walletPath, passphrase: PASSPHRASE });
    try {
      const request = await resolvePresentationRequest(second.uri, elsewhere, { allowHttpLocalhost: true });
      expect(
        (await answerPresentationRequest(elsewhere, request, { allowHttpLocalhost: true })).accepted,
      ).toBe(true);
    } finally {
      elsewhere.close();
    }
    await submit(worker, 'Versturen');
    expect(await page.getAttribute('[data-error-code]', 'data-error-code')).toBe('ERR_REQUEST_ANSWERED');
    expect(await inspectPage(worker, 'wallet-request-answered-twice')).toEqual(clean);
  });

  it('forgets the unlocked wallet when the worker closes it', async () => {
    const { page } = worker;
    await page.goto(`${walletServer.url}/`);
    await submit(worker, 'Sluiten');
    await expect(page.getByLabel('Wachtwoordzin').isVisible()).resolves.toBe(true);
    await page.goto(`${walletServer.url}/receive`);
    await expect(page.getByLabel('Wachtwoordzin').isVisible()).resolves.toBe(true);
  });
});
