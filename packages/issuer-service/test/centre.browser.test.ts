import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { receiveCredential } from '@skillpass/holder';
import { type Issuer, initIssuer } from '@skillpass/issuer';
import { openSqlite } from '@skillpass/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPage, launchBrowser, type TestBrowser } from '../../../test-support/browser.js';
import {
  createCentreSite,
  OfferStore,
  parseCentreSkills,
  type RunningIssuerService,
  startIssuerService,
} from '../src/index.js';
import { makeWallet, TEST_KDF, tempDir } from './helpers.js';

// The centre's pages in Chromium: sign in, record an assessment, the offer as QR + link with the
// transaction code apart (a wallet then takes it), the register, revoke with a reason; every
// page axe-clean and nothing blocked by the CSP, in Dutch and in English.

const SECRET = 'centre staff access code 0123456789';
const skills = parseCentreSkills(
  JSON.parse(
    readFileSync(new URL('../../../examples/metal-sector/centre-skills.json', import.meta.url), 'utf8'),
  ),
);

let browser: TestBrowser;
let service: RunningIssuerService;
let issuer: Issuer;

beforeAll(async () => {
  const path = join(tempDir(), 'issuer.db');
  service = await startIssuerService({
    port: 0,
    app: async (url) => {
      issuer = await initIssuer({
        path,
        passphrase: 'p',
        didKey: true,
        name: 'Metaal Examencentrum',
        statusBaseUrl: `${url}/status`,
        ...TEST_KDF,
      });
      return createCentreSite({
        issuer,
        offers: new OfferStore(openSqlite(path)),
        publicUrl: url,
        skills,
        adminSecret: SECRET,
      });
    },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await service?.close();
  issuer?.close();
});

const clean = { violations: [], consoleErrors: [], pageErrors: [] };

describe("the centre's pages in Chromium", () => {
  it('signs in, records an assessment, shows the offer and the code apart, lists and revokes it', async () => {
    const party = await browser.newParty({ locale: 'nl-NL' });
    const { page } = party;
    await page.goto(`${service.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await inspectPage(party, 'centre-sign-in')).toEqual(clean);
    await page.getByLabel('Uw naam').fill('Anja Bakker');
    await page.getByLabel('Toegangscode').fill(SECRET);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.waitForSelector('form[action="/assessments"]');

    // A form sent incomplete: the errors are announced and linked to their fields.
    await page.getByRole('button', { name: 'Uitgeven als aanbod' }).click();
    // The browser's own validation stops an empty required select first; the server check
    // is covered by the HTTP tests. Fill the form properly:
    await page.getByLabel('Vaardigheid').selectOption(skills[0]!.uri);
    await page.getByRole('radio', { name: /Zelfstandig/ }).check();
    await page.getByLabel('Methode').selectOption('practical-exam');
    await page.getByLabel('Score (0–100, niet verplicht)').fill('84');
    await page
      .getByLabel('Wat u zag (niet verplicht)')
      .fill('Programma voor een freesdeel <binnen tolerantie>.');
    expect(await inspectPage(party, 'centre-assess')).toEqual(clean);
    await page.getByRole('button', { name: 'Uitgeven als aanbod' }).click();
    await page.waitForSelector('#tx-code');
    const offer = (await page.textContent('#offer-uri'))!.trim();
    const txCode = (await page.textContent('#tx-code'))!.trim();
    expect(offer.startsWith('openid-credential-offer://')).toBe(true);
    expect(txCode).toMatch(/^\d{6}$/);
    expect(await page.locator('svg.qr').getAttribute('aria-label')).toContain(skills[0]!.name);
    expect(await inspectPage(party, 'centre-offer')).toEqual(clean);

    const wallet = await makeWallet();
    const { entry } = await receiveCredential(wallet, offer, { txCode, allowHttpLocalhost: true });

    await page.getByRole('link', { name: 'Uitgegeven' }).click();
    const row = page.locator(`tr[data-credential-id="${entry.id}"]`);
    expect(await row.getAttribute('data-state')).toBe('valid');
    expect(await inspectPage(party, 'centre-register')).toEqual(clean);
    await row.getByLabel(`Reden voor ${skills[0]!.name}`).fill('Fraude bij het examen vastgesteld');
    await row.getByRole('button', { name: 'Intrekken' }).click();
    await page.waitForSelector(`tr[data-credential-id="${entry.id}"][data-state="revoked"]`);
    expect(await page.getByRole('status').textContent()).toContain('ingetrokken');

    // The switch on every page: the same register in English, still axe-clean.
    await page.getByRole('navigation', { name: 'Taal' }).getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Issued credentials');
    expect(await inspectPage(party, 'centre-register-en')).toEqual(clean);
    await party.context.close();
  });
});
