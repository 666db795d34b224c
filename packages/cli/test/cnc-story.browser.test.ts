import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWallet } from '@skillpass/holder';
import { type RunningIssuerService, startIssuerService } from '@skillpass/issuer-service';
import { parseTrainingCatalogue } from '@skillpass/match';
import { createNetworkDidResolver, createStatusChecker, createVerifier } from '@skillpass/verifier';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaffSites } from '../../../examples/web-demo/staff-sites.mjs';
import {
  inspectPage,
  launchBrowser,
  type Party,
  PHONE,
  type TestBrowser,
} from '../../../test-support/browser.js';
import { TEST_KDF, tempDir } from '../../issuer-service/test/helpers.js';
import { createWalletSite, type WalletSite } from '../src/pages/wallet-site.js';

// The whole CNC story across the three parties, in Chromium: the centre issues, the worker's
// wallet accepts the offer, the employer requests, the worker chooses what to disclose, the
// employer's page shows the report and the gaps. Then the failure paths a user can cause: the
// same request answered twice, a credential the centre revoked.

const SECTOR = join(import.meta.dirname, '..', '..', '..', 'examples', 'metal-sector');
const VACANCY_FILE = join(SECTOR, 'vacancy-cnc-machinist.json');
const skills = JSON.parse(readFileSync(join(SECTOR, 'centre-skills.json'), 'utf8')).skills as {
  uri: string;
  name: string;
}[];
const clean = { violations: [], consoleErrors: [], pageErrors: [] };

let browser: TestBrowser;
let sites: Awaited<ReturnType<typeof startStaffSites>>;
let walletSite: WalletSite;
let walletServer: RunningIssuerService;
const PASSPHRASE = 'worker passphrase';

beforeAll(async () => {
  sites = await startStaffSites({ outDir: tempDir(), poolSize: 0 });
  // The worker's own wallet file and their pages (`skillpass wallet serve`), on 127.0.0.1.
  const walletPath = join(tempDir(), 'wallet.skillpass');
  (await createWallet({ path: walletPath, passphrase: PASSPHRASE, ...TEST_KDF })).close();
  const resolver = createNetworkDidResolver({ allowHttpLocalhost: true });
  walletSite = createWalletSite({
    walletPath,
    allowHttpLocalhost: true,
    verifier: createVerifier({ resolver, status: createStatusChecker({ allowHttpLocalhost: true }) }),
    catalogue: parseTrainingCatalogue(
      JSON.parse(readFileSync(join(SECTOR, 'training-catalogue.json'), 'utf8')),
    ),
  });
  walletServer = await startIssuerService({ app: walletSite.app as unknown as Hono, port: 0 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  walletSite?.close();
  await walletServer?.close();
  await sites?.close();
});

async function signIn(party: Party, url: string, name: string): Promise<void> {
  await party.page.goto(`${url}/`);
  await party.page.getByLabel('Uw naam').fill(name);
  await party.page.getByLabel('Toegangscode').fill(sites.adminSecret);
  await party.page.getByRole('button', { name: 'Aanmelden' }).click();
}

async function issue(
  centre: Party,
  skill: { uri: string },
  level: string,
): Promise<{ offer: string; txCode: string }> {
  const { page } = centre;
  await page.getByRole('link', { name: 'Beoordeling vastleggen', exact: true }).click();
  await page.getByLabel('Vaardigheid').selectOption(skill.uri);
  await page.getByRole('radio', { name: new RegExp(`^${level} ·`) }).check();
  await page.getByLabel('Methode').selectOption('practical-exam');
  await page.getByLabel('Score (0–100, niet verplicht)').fill('84');
  await page.getByRole('button', { name: 'Uitgeven als aanbod' }).click();
  await page.waitForSelector('#tx-code');
  return {
    offer: (await page.textContent('#offer-uri'))!.trim(),
    txCode: (await page.textContent('#tx-code'))!.trim(),
  };
}

async function request(employer: Party): Promise<string> {
  const { page } = employer;
  await page.getByRole('link', { name: 'Vacature en vraag', exact: true }).click();
  await page.getByLabel('Vacaturebestand (JSON)').setInputFiles(VACANCY_FILE);
  await page.locator('form#upload').getByRole('button', { name: 'Vraag aanmaken' }).click();
  await page.waitForSelector('#request-uri');
  return (await page.textContent('#request-uri'))!.trim();
}

async function submit(party: Party, button: string): Promise<void> {
  await Promise.all([
    party.page.waitForNavigation(),
    party.page.getByRole('button', { name: button }).click(),
  ]);
}

/** The worker opens the employer's request in their wallet page, looks at what is sent, sends. */
async function answer(worker: Party, uri: string, discloseScore: boolean): Promise<void> {
  const { page } = worker;
  await page.goto(`${walletServer.url}/request`);
  await page.getByLabel('Link van de vraag').fill(uri);
  await submit(worker, 'Bekijken');
  if (discloseScore) await page.locator('fieldset input[name^="disclose:"][value$="score"]').first().check();
  await submit(worker, 'Bekijk wat de werkgever ziet');
  await submit(worker, 'Versturen');
}

describe('the CNC story in the browser', () => {
  it('centre issues, worker accepts, employer asks, worker discloses, employer sees report and gaps; replay and revocation fail', async () => {
    const centre = await browser.newParty({ locale: 'nl-NL' });
    const employer = await browser.newParty({ locale: 'nl-NL' });
    await signIn(centre, sites.centre.url, 'J. de Vries');
    await signIn(employer, sites.employer.url, 'Piet de Wit');

    // 1. The centre assesses two skills and issues each as an offer.
    const cnc = skills.find((s) => s.name === 'program a CNC controller')!;
    const blue = skills.find((s) => s.name === 'read standard blueprints')!;
    const offers = [await issue(centre, cnc, '3'), await issue(centre, blue, '4')];
    expect(await inspectPage(centre, 'story-centre-offer')).toEqual(clean);

    // 2. The worker opens their wallet page (on a phone) and accepts both offers with the codes said aloud.
    const worker = await browser.newParty({ locale: 'nl-NL', viewport: PHONE });
    await worker.page.goto(`${walletServer.url}/`);
    await worker.page.getByLabel('Wachtwoordzin').fill(PASSPHRASE);
    await submit(worker, 'Openen');
    for (const { offer, txCode } of offers) {
      await worker.page.goto(`${walletServer.url}/receive`);
      await worker.page.getByLabel('Link van het aanbod').fill(offer);
      await worker.page.getByLabel('Transactiecode (als u die kreeg)').fill(txCode);
      await submit(worker, 'Ontvangen');
      expect(await worker.page.getByRole('status').textContent()).toBeTruthy();
    }
    await worker.page.goto(`${walletServer.url}/`);
    expect(await worker.page.locator('li.card[data-state="valid"]').count()).toBe(2);
    expect(await inspectPage(worker, 'story-worker-passport')).toEqual(clean);

    // 3. The employer asks for the CNC vacancy.
    const first = await request(employer);
    expect(await inspectPage(employer, 'story-employer-request')).toEqual(clean);

    // 4. The worker answers, choosing to show a score, after seeing what the employer will see.
    await answer(worker, first, true);
    expect(await worker.page.getAttribute('[data-outcome]', 'data-outcome')).toBe('accepted');

    // 5. The employer's page shows the report and the gaps by itself.
    await employer.page.waitForSelector('[data-status="verified"]', { timeout: 90_000 });
    expect(await employer.page.locator('li.card[data-verified="true"]').count()).toBe(2);
    expect(await employer.page.locator('tr[data-outcome="met"]').count()).toBe(2);
    expect(await employer.page.locator('#gaps li').count()).toBeGreaterThan(0);
    expect(await employer.page.locator('#plan li').count()).toBeGreaterThan(0);
    expect(await inspectPage(employer, 'story-employer-result')).toEqual(clean);

    // 6. The same request answered twice: refused on the worker's page, the result stays the first one.
    await worker.page.goto(`${walletServer.url}/request`);
    await worker.page.getByLabel('Link van de vraag').fill(first);
    await submit(worker, 'Bekijken');
    expect(await worker.page.getAttribute('[data-error-code]', 'data-error-code')).toMatch(/^ERR_REQUEST_/);
    await employer.page.reload();
    expect(await employer.page.locator('[data-status]').getAttribute('data-status')).toBe('verified');

    // 7. The centre revokes the CNC credential; the next answer shows it in plain words.
    await centre.page.getByRole('link', { name: 'Uitgegeven', exact: true }).click();
    const row = centre.page.locator('#register tbody tr', { hasText: cnc.name });
    const id = (await row.getAttribute('data-credential-id'))!;
    await row.getByLabel(`Reden voor ${cnc.name}`).fill('Beoordeling ongeldig verklaard');
    await row.getByRole('button', { name: 'Intrekken' }).click();
    await centre.page.waitForSelector(`tr[data-credential-id="${id}"][data-state="revoked"]`);
    await worker.page.goto(`${walletServer.url}/`);
    expect(await worker.page.locator('li.card[data-state="revoked"]').count()).toBe(1);
    const second = await request(employer);
    await answer(worker, second, false);
    await employer.page.waitForSelector('[data-status="refused"]', { timeout: 90_000 });
    const revoked = employer.page.locator('li[data-check="status"][data-ok="false"]');
    expect(await revoked.textContent()).toContain('De uitgever heeft dit bewijs ingetrokken');
    expect(await revoked.textContent()).toContain('ERR_REVOKED');
    expect(await inspectPage(employer, 'story-employer-revoked')).toEqual(clean);
    await centre.context.close();
    await employer.context.close();
    await worker.context.close();
  });
});
