import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDidResolver } from '@skillpass/core';
import { answerPresentationRequest, resolvePresentationRequest } from '@skillpass/holder';
import { parseTrainingCatalogue } from '@skillpass/match';
import { createVerifier } from '@skillpass/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPage, launchBrowser, type TestBrowser } from '../../../test-support/browser.js';
import {
  createEmployerSite,
  createVerifierService,
  initVerifier,
  listen,
  openVerifierStore,
  type RunningServer,
  type VerifierStore,
} from '../src/index.js';
import { tempDir, VACANCY, workerWithCredentials } from './helpers.js';

// The employer's pages in Chromium: sign in, compose a vacancy, the request as QR + link, the
// result appearing by itself when the worker answers (the page's script polls), every check in
// plain words with gaps and training plan; a pool ranked with progress and explanations.

const SECRET = 'employer staff access code 0123456789';
const catalogue = parseTrainingCatalogue(
  JSON.parse(
    readFileSync(new URL('../../../examples/metal-sector/training-catalogue.json', import.meta.url), 'utf8'),
  ),
);
const skills = VACANCY.requirements.map((r) => ({ uri: r.uri, name: r.name, framework: 'ESCO' }));

let browser: TestBrowser;
let server: RunningServer;
let store: VerifierStore;

beforeAll(async () => {
  const dir = tempDir();
  initVerifier({ dir, didKey: true });
  store = openVerifierStore(dir);
  const resolver = createDidResolver({ allowHttpLocalhost: true });
  const verifier = createVerifier({ resolver });
  const service = createVerifierService({ store, verifier, resolver });
  server = await listen(
    createEmployerSite({
      service,
      store,
      verifier,
      skills,
      catalogue,
      adminSecret: SECRET,
      allowHttpLocalhost: true,
    }),
    { port: 0 },
  );
  store.setPublicUrl(server.url);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  store?.close();
});

const clean = { violations: [], consoleErrors: [], pageErrors: [] };

describe("the employer's pages in Chromium", () => {
  it('composes a vacancy, shows the request, and the result appears when the worker answers', async () => {
    const party = await browser.newParty({ locale: 'nl-NL' });
    const { page } = party;
    await page.goto(`${server.url}/`);
    expect(await inspectPage(party, 'employer-sign-in')).toEqual(clean);
    await page.getByLabel('Uw naam').fill('Piet de Wit');
    await page.getByLabel('Toegangscode').fill(SECRET);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.waitForSelector('form#compose');
    expect(await inspectPage(party, 'employer-vacancy')).toEqual(clean);

    await page.getByLabel('Functie').fill('CNC-verspaner');
    for (const [i, r] of VACANCY.requirements.slice(0, 4).entries()) {
      await page.locator(`#req-${i}-uri`).selectOption(r.uri);
      await page.locator(`#req-${i}-minLevel`).selectOption(String(r.minLevel ?? ''));
    }
    await page.locator('form#compose').getByRole('button', { name: 'Vraag aanmaken' }).click();
    await page.waitForSelector('#request-uri');
    const uri = (await page.textContent('#request-uri'))!.trim();
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('pending');
    expect(await inspectPage(party, 'employer-request')).toEqual(clean);

    const { wallet } = await workerWithCredentials();
    const request = await resolvePresentationRequest(uri, wallet, { allowHttpLocalhost: true });
    expect((await answerPresentationRequest(wallet, request, { allowHttpLocalhost: true })).accepted).toBe(
      true,
    );

    // No reload: the page's script polls and shows the result.
    await page.waitForSelector('[data-status="verified"]', { timeout: 90_000 });
    expect(await page.locator('li[data-check="signature"]').first().textContent()).toContain(
      'De handtekening klopt',
    );
    expect(await page.locator('#gaps li').count()).toBeGreaterThan(0);
    expect(await page.locator('#plan li').count()).toBeGreaterThan(0);
    expect(await inspectPage(party, 'employer-result')).toEqual(clean);
    await party.context.close();
  });

  it('ranks a pool of passports with a progress bar and an explanation per candidate (English)', async () => {
    const party = await browser.newParty({ locale: 'en-GB' });
    const { page } = party;
    const dir = tempDir();
    const a = await workerWithCredentials();
    const b = await workerWithCredentials();
    const files = [join(dir, 'anna.jwt'), join(dir, 'bram.jwt'), join(dir, 'broken.jwt')];
    writeFileSync(files[0]!, await a.wallet.createPassport({ audience: server.url, challenge: 'pool-7' }));
    writeFileSync(
      files[1]!,
      await b.wallet.createPassport({
        audience: server.url,
        challenge: 'pool-7',
        only: [b.wallet.list()[0]!.id],
      }),
    );
    writeFileSync(files[2]!, 'not a passport');
    const vacancyFile = join(dir, 'vacancy.json');
    writeFileSync(vacancyFile, JSON.stringify(VACANCY));

    await page.goto(`${server.url}/`);
    await page.getByLabel('Your name').fill('Piet de Wit');
    await page.getByLabel('Access code').fill(SECRET);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Rank candidates' }).click();
    await page.getByLabel('Or a vacancy file (JSON)').setInputFiles(vacancyFile);
    await page.getByLabel('Passports (one or more files)').setInputFiles(files);
    await page.getByLabel('Who the passports were made for (optional)').fill(server.url);
    await page.getByLabel('Code (challenge) of the passports (optional)').fill('pool-7');
    expect(await inspectPage(party, 'employer-rank-form')).toEqual(clean);
    await page.getByRole('button', { name: 'Rank', exact: true }).click();
    await page.waitForSelector('#candidates', { timeout: 120_000 });
    expect(await page.locator('progress').getAttribute('value')).toBe('3');
    expect(await page.locator('#candidates tbody tr').count()).toBe(2);
    expect(await page.locator('#candidates tbody tr').first().getAttribute('data-candidate')).toBe(
      'anna.jwt',
    );
    expect(await page.locator('li[data-file="broken.jwt"]').textContent()).toContain('ERR_MALFORMED');
    expect(await inspectPage(party, 'employer-ranking')).toEqual(clean);
    await party.context.close();
  });
});
